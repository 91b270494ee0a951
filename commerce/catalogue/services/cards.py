"""The read model's storage: which cards are current, marking them stale, storing them.

A change that a card shows (publish, unpublish, move, price, offer, rating,
customization, brand, material, category) raises the card's ``generation`` in the
changing transaction, and again when it commits (through
``commerce.catalogue.services.cache.catalogue_cache_invalidate``); stock changes do
not (cards leave holes where stock shows). After the commit the queue renders the
stale cards again (``cards_stale``, ``commerce.tasks``); a read that finds a card
stale or missing before that renders it itself. A card is stored with the
generation its renderer saw *before* reading the data, only if that generation is
still the row's: a card
rendered from data a change replaced meanwhile is never stored as current. A
product's units sold are a hole like its stock; a package's are part of its card:
a card older than ``CATALOGUE_CARD_MAX_AGE`` seconds is rendered again.
"""

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from commerce.catalogue.models import PackagePage, ProductPage, SellableCard
from commerce.money import shop_currency

logger = logging.getLogger(__name__)
# Part of every stored body: a release that changes what a card holds bumps it, so
# it renders the cards again rather than reading the ones of the release before.
# The shop's currency is part of it too (every amount shows it).
CARD_FORMAT = "2"
FORMAT_END = "\x1f"
# Pages whose generations one statement raises.
INVALIDATE_BATCH = 5000


def _format_mark() -> str:
    return f"{CARD_FORMAT}:{shop_currency()}"


# Sent after the commit of a change that made cards stale, with ``page_ids`` (None:
# every card), so that they are rendered again ahead of the next read (the queue).
cards_stale = Signal()


def card_max_age() -> int:
    """Seconds a card's sales figures may be old before it is rendered again."""
    return int(getattr(settings, "CATALOGUE_CARD_MAX_AGE", 300))


def card_body_current(
    *,
    body: str | None,
    generation: int | None,
    built_generation: int | None,
    built_at: Any,
    ages: bool = True,
) -> str | None:
    """The stored card (without its format mark) if it is current, else None.

    ``ages``: the card shows sales figures of its own (a package's), so it is
    current for ``CATALOGUE_CARD_MAX_AGE`` seconds at most; a product's are holes.
    """
    if not body or built_generation is None or built_generation != generation:
        return None
    if ages and (
        built_at is None
        or built_at < timezone.now() - timedelta(seconds=card_max_age())
    ):
        return None
    mark, _, card = body.partition(FORMAT_END)
    return card if mark == _format_mark() else None


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _generations_raise(select_sql: str, params: list[Any]) -> None:
    """Raise the generation of the pages ``select_sql`` lists, adding missing rows."""
    table = _quoted(SellableCard._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page_id, generation, body) "
            f"{select_sql} "
            f"ON CONFLICT (page_id) DO UPDATE SET generation = {table}.generation + 1",
            params,
        )


def _pages_select(page_ids: list[int]) -> tuple[str, list[Any]]:
    page = _quoted("wagtailcore_page")
    marks = ", ".join(["%s"] * len(page_ids))
    return (
        f"SELECT id, 1, '' FROM {page} WHERE id IN ({marks}) ORDER BY id",  # noqa: S608
        list(page_ids),
    )


def _all_sellables_select() -> tuple[str, list[Any]]:
    selects = [
        f"SELECT {_quoted(model._meta.pk.column)} AS id, 1, '' "  # noqa: S608
        f"FROM {_quoted(model._meta.db_table)} WHERE 1 = 1"
        for model in (ProductPage, PackagePage)
    ]
    union = " UNION ALL ".join(selects)
    return f"SELECT * FROM ({union}) AS s WHERE 1 = 1 ORDER BY id", []  # noqa: S608


def cards_invalidate(*, page_ids: Iterable[int] = (), everything: bool = False) -> None:
    """Mark the cards of ``page_ids`` (or of every item) stale, now and at the commit."""
    ids = sorted(set(page_ids))
    if not ids and not everything:
        return

    def raise_now() -> None:
        if everything:
            _generations_raise(*_all_sellables_select())
            return
        # In batches: a statement holds at most so many parameters.
        for start in range(0, len(ids), INVALIDATE_BATCH):
            _generations_raise(*_pages_select(ids[start : start + INVALIDATE_BATCH]))

    def committed() -> None:
        raise_now()
        cards_stale.send(sender=SellableCard, page_ids=None if everything else ids)

    raise_now()
    transaction.on_commit(committed, robust=True)


def cards_store(cards: Mapping[int, tuple[int, str]]) -> None:
    """Store rendered cards: ``{page id: (generation seen before rendering, card)}``.

    A card is stored only where the row's generation is still the one seen, so a
    change committed while it rendered wins. A failure (a page deleted meanwhile, a
    lock timeout) only costs the next read a render.
    """
    if not cards:
        return
    table = _quoted(SellableCard._meta.db_table)
    rows = []
    params: list[Any] = []
    now = timezone.now()
    for page_id in sorted(cards):
        seen, card = cards[page_id]
        rows.append("(%s, %s, %s, %s, %s)")
        params += [page_id, seen, seen, now, _format_mark() + FORMAT_END + card]
    sql = (
        f"INSERT INTO {table} (page_id, generation, built_generation, built_at, body) "  # noqa: S608
        f"VALUES {', '.join(rows)} "
        "ON CONFLICT (page_id) DO UPDATE SET "
        "built_generation = excluded.built_generation, "
        "built_at = excluded.built_at, body = excluded.body "
        f"WHERE {table}.generation = excluded.built_generation"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        logger.warning("catalogue cards %s not stored", sorted(cards), exc_info=True)
