"""The read model's reads: catalogue bodies assembled from stored cards.

A card is one product's or package's public JSON, rendered by the API's own
serializers (so it reads exactly as a rendered item does) for an anonymous caller
on a placeholder origin, with holes where stock shows; its storage and staleness
are ``commerce.catalogue.services.cards``'. A public list or detail reads its rows
with their cards in one query (``card_rows``), renders the cards that are stale or
missing (in one batch, and stores them), and joins the stored text: the origin of
the request replaces the placeholder, the stock holes are filled as a cached body's
are (``commerce.catalogue.api.http_cache``).
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from rest_framework.renderers import JSONRenderer

from commerce.catalogue.api.http_cache import Prerendered, holes_make
from commerce.catalogue.api.views.common import (
    PACKAGES,
    PRODUCTS,
    SellableKind,
    serializer_context,
)
from commerce.catalogue.services.cards import card_body_current, cards_store
from commerce.exceptions import CatalogueNotFoundError

# The origin of the absolute URLs in a stored card (replaced by the caller's).
CARD_ORIGIN = "http://catalogue-card.invalid"
# Between a card's text and its slots, and between the text around each stock hole:
# control characters, which JSON never holds unescaped.
SLOTS_START = "\x1d"
HOLE = "\x1e"
# Stands for a page's results while its envelope (count, links) renders.
RESULTS_MARK = HOLE + "cards"
# RESULTS_MARK as the envelope renders it (JSON escapes the control character).
RENDERED_RESULTS_MARK = JSONRenderer().render(RESULTS_MARK).decode()


class _CardRequest:
    """The request a card renders for: anonymous, on the placeholder origin."""

    user = AnonymousUser()
    query_params: dict[str, str] = {}

    def build_absolute_uri(self, location: str | None = None) -> str:
        location = location or "/"
        parts = urlsplit(location)
        if parts.scheme or parts.netloc:
            return location
        return CARD_ORIGIN + (location if location.startswith("/") else "/" + location)


# The fields of a row ``card_rows`` annotates, as ``cards_body`` reads them.
CARD_FIELDS = (
    "pk",
    "card_body",
    "card_generation",
    "card_built_generation",
    "card_built_at",
)


def card_rows(queryset: QuerySet[Any], *, values: bool = True) -> QuerySet[Any]:
    """``queryset``'s rows as named tuples of their ids and stored cards (``CARD_FIELDS``).

    ``queryset`` needs no related rows or prefetches (``loaded=False``). ``values``
    False leaves the rows annotated only, for a caller that adds its own fields
    (a keyset page's sort value) before taking ``CARD_FIELDS``.
    """
    rows: QuerySet[Any] = (
        queryset.select_related(None)
        .prefetch_related(None)
        .annotate(
            card_body=F("catalogue_card__body"),
            card_generation=F("catalogue_card__generation"),
            card_built_generation=F("catalogue_card__built_generation"),
            card_built_at=F("catalogue_card__built_at"),
        )
    )
    return rows.values_list(*CARD_FIELDS, named=True) if values else rows


def _tupled(value: Any) -> Any:
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


def _card_encode(parts: Sequence[bytes], slots: Sequence[Any], product_ids: Any) -> str:
    text = HOLE.join(part.decode() for part in parts)
    return text + SLOTS_START + json.dumps([list(slots), sorted(product_ids)])


def _card_decode(card: str) -> tuple[str, list[tuple[Any, ...]], list[int]]:
    text, _, tail = card.rpartition(SLOTS_START)
    slots, product_ids = json.loads(tail)
    return text, [_tupled(slot) for slot in slots], product_ids


def _cards_render(kind: SellableKind, rows: Sequence[Any]) -> dict[int, str]:
    """Render and store the cards of ``rows``; a row no longer public is left out."""
    seen = {row.pk: row.card_generation or 0 for row in rows}
    items = list(kind.queryset().filter(pk__in=list(seen)))
    if not items:
        return {}
    context = serializer_context(_CardRequest(), items)  # type: ignore[arg-type]
    data = kind.output(items, many=True, context=context).data
    cards = {}
    for item in data:
        cards[int(item["id"])] = _card_encode(*holes_make(item))
    cards_store({pk: (seen[pk], card) for pk, card in cards.items()})
    return cards


# Cards rendered per batch by the queue (one set of queries per batch).
RENDER_BATCH = 200


def cards_render_stale(*, page_ids: Iterable[int] | None = None) -> int:
    """Render and store the stale or missing cards of ``page_ids`` (None: every item).

    What the queue runs after a change; returns how many cards it stored.
    """
    rendered = 0
    for kind in (PRODUCTS, PACKAGES):
        queryset = kind.queryset(loaded=False)
        if page_ids is not None:
            queryset = queryset.filter(pk__in=list(page_ids))
        stale = (
            card_rows(queryset, values=False)
            .filter(
                Q(card_built_generation__isnull=True)
                | ~Q(card_built_generation=F("card_generation"))
            )
            .order_by("pk")
            .values_list("pk", "card_generation", named=True)
        )
        rows = list(stale)
        for start in range(0, len(rows), RENDER_BATCH):
            rendered += len(_cards_render(kind, rows[start : start + RENDER_BATCH]))
    return rendered


def cards_body(
    request: Any, kind: SellableKind, rows: Sequence[Any], *, envelope: Any = None
) -> Prerendered:
    """The body of ``rows`` (from ``card_rows``): one item, or a page in ``envelope``.

    ``envelope`` is a page's body with ``RESULTS_MARK`` for its results; None: the
    body is the one row's card.
    """
    cards: dict[int, str] = {}
    stale = []
    for row in rows:
        card = card_body_current(
            body=row.card_body,
            generation=row.card_generation,
            built_generation=row.card_built_generation,
            built_at=row.card_built_at,
            ages=kind is PACKAGES,
        )
        if card is None:
            stale.append(row)
        else:
            cards[row.pk] = card
    if stale:
        cards.update(_cards_render(kind, stale))
    texts, slots, product_ids = [], [], set()
    for row in rows:
        if row.pk not in cards:
            continue
        text, card_slots, card_products = _card_decode(cards[row.pk])
        texts.append(text)
        slots += card_slots
        product_ids.update(card_products)
    if envelope is None:
        if not texts:  # unpublished since its row was read
            raise CatalogueNotFoundError()
        body = texts[0]
    else:
        rendered = JSONRenderer().render(envelope).decode()
        before, _, after = rendered.partition(RENDERED_RESULTS_MARK)
        body = before + "[" + ",".join(texts) + "]" + after
    origin = f"{request.scheme}://{request.get_host()}"
    parts = body.replace(CARD_ORIGIN, origin).encode().split(HOLE.encode())
    return Prerendered(parts=parts, slots=slots, product_ids=product_ids)
