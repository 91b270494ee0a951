"""The HTTP cache of public catalogue reads: one shared body per URL, ETag and 304.

A product or package body is stored with holes where it shows stock (and a
product's units sold), filled on every read from the stock records (``commerce.catalogue.services.cache``), so an
order changes what a cached body shows without replacing it.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.catalogue.api.permissions import is_catalogue_staff
from commerce.catalogue.services.cache import (
    CachedLookup,
    CachedResponse,
    StockFigure,
    catalogue_cache_timeout,
    catalogue_cached_lookup,
    catalogue_cached_store,
)

HOLE_PREFIX = "\x1bstock-hole:"


def private_response(body: Any) -> Response:
    """A body only this caller may see (staff, drafts): never stored by a cache."""
    response = Response(body)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    return response


@dataclass
class Prerendered:
    """A body already rendered, from the read model's cards.

    The bytes around its stock holes, what fills each hole, and the products whose
    stock does.
    """

    parts: list[bytes]
    slots: list[tuple[Any, ...]] = field(default_factory=list)
    product_ids: set[int] = field(default_factory=set)


# Changes a rendered body (a parsed JSON value) for the signed-in caller, in place;
# returns whether it changed anything.
Overlay = Callable[[Any], bool]


def holes_make(
    data: Any,
) -> tuple[list[bytes], list[tuple[Any, ...]], set[int]]:
    """Render ``data`` (an item or a page of items) with holes where stock shows.

    Slots: ``("product", id, is_available)`` for a product's ``stock``,
    ``("sold", id)`` for its ``units_sold``,
    ``("package", is_available, ((product id, units), ...))`` for a package's, and
    ``("component", product id, units)`` for a component's ``in_stock``.
    """
    nonce = uuid.uuid4().hex
    slots: list[tuple[Any, ...]] = []
    product_ids: set[int] = set()

    def hole(slot: tuple[Any, ...]) -> str:
        slots.append(slot)
        return f"{HOLE_PREFIX}{nonce}:{len(slots) - 1}"

    items = data.get("results") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else [data]:
        if not isinstance(item, dict) or not isinstance(item.get("stock"), dict):
            continue
        available = bool(item.get("is_available"))
        components = item.get("components")
        if isinstance(components, list):
            pairs = tuple(
                (int(component["product"]["id"]), int(component["quantity"]))
                for component in components
            )
            item["stock"] = hole(("package", available, pairs))
            for component, (product_id, units) in zip(components, pairs, strict=True):
                component["in_stock"] = hole(("component", product_id, units))
                product_ids.add(product_id)
        else:
            item["stock"] = hole(("product", int(item["id"]), available))
            if "units_sold" in item:
                item["units_sold"] = hole(("sold", int(item["id"])))
            product_ids.add(int(item["id"]))
    body = JSONRenderer().render(data)
    if not slots:
        return [body], [], set()
    marker = json.dumps(HOLE_PREFIX + nonce).encode()[:-1]
    pieces = re.split(re.escape(marker) + rb':(\d+)"', body)
    parts = pieces[0::2]
    ordered = [slots[int(index)] for index in pieces[1::2]]
    return parts, ordered, product_ids


def _on_hand(figures: Mapping[int, StockFigure], product_id: int) -> int:
    figure = figures.get(product_id)
    return figure.quantity if figure is not None else 0


def _hole_bytes(slot: tuple[Any, ...], figures: Mapping[int, StockFigure]) -> bytes:
    """The JSON of one hole, as the serializers render it."""
    kind = slot[0]
    if kind == "sold":
        figure = figures.get(slot[1])
        return b"%d" % (figure.units_sold if figure is not None else 0)
    if kind == "component":
        _, product_id, units = slot
        return b"true" if _on_hand(figures, product_id) >= units else b"false"
    if kind == "package":
        _, available, pairs = slot
        quantity = min(
            (_on_hand(figures, pk) // max(units, 1) for pk, units in pairs), default=0
        )
    else:
        _, product_id, available = slot
        quantity = _on_hand(figures, product_id)
    in_stock = b"true" if quantity > 0 and available else b"false"
    return b'{"quantity":%d,"in_stock":%s}' % (quantity, in_stock)


# Filled bodies by (entry key, stock records token): the same figures fill an entry
# the same way while the records token stays (``catalogue_cached_lookup``).
_filled_bodies: dict[tuple[str, Any], tuple[bytes, str, float]] = {}
FILLED_BODIES = 1024


def _filled(lookup: CachedLookup) -> tuple[bytes, str, float]:
    """The body of ``lookup``'s entry with its holes filled, its ETag and its date."""
    entry = lookup.entry
    assert entry is not None  # noqa: S101 - the callers store one first
    if not entry.slots:
        return entry.body, entry.etag, lookup.version.changed_at
    if lookup.records is None:
        return _fill(lookup, entry)
    memo = (lookup.key, lookup.records)
    filled = _filled_bodies.get(memo)
    if filled is None:
        filled = _fill(lookup, entry)
        if len(_filled_bodies) >= FILLED_BODIES:
            _filled_bodies.clear()
        _filled_bodies[memo] = filled
    return filled


def _fill(lookup: CachedLookup, entry: CachedResponse) -> tuple[bytes, str, float]:
    values = [_hole_bytes(slot, lookup.figures) for slot in entry.slots]
    pieces = [entry.parts[0]]
    for value, part in zip(values, entry.parts[1:], strict=True):
        pieces += (value, part)
    digest = hashlib.sha256(entry.etag.encode())
    digest.update(b",".join(values))
    changed_at = max(
        [lookup.version.changed_at]
        + [
            lookup.figures[pk].changed_at
            for pk in entry.product_ids
            if pk in lookup.figures
        ]
    )
    return b"".join(pieces), '"' + digest.hexdigest()[:32] + '"', changed_at


def _personal_response(
    request: Request, entry: CachedResponse, overlay: Overlay
) -> HttpResponseBase:
    """The shared body with the caller's overlay, validated by its ETag only.

    A body the overlay changed is private, its ETag made from its own bytes; one it
    left as it was is the shared entry (public, its ETag). Neither has
    Last-Modified: the caller's own changes (a favourite added) do not move the
    catalogue's version, so only the ETag can tell a client its copy is stale.
    """
    body = json.loads(entry.body)
    changed = overlay(body)
    if changed:
        rendered = JSONRenderer().render(body)
        etag = '"' + hashlib.sha256(rendered).hexdigest()[:32] + '"'
        entry = CachedResponse(parts=(rendered,), etag=etag)
    response = _body_response(request, entry)
    if changed:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    conditional = get_conditional_response(request, etag=entry.etag, response=response)
    return response if conditional is None else conditional


def _body_response(request: Request, entry: CachedResponse) -> HttpResponse:
    response: HttpResponse
    if request.accepted_renderer.format == "json":
        response = HttpResponse(entry.body, content_type="application/json")
    else:
        response = Response(json.loads(entry.body))
    response["ETag"] = entry.etag
    return response


def catalogue_cached_read(
    request: Request,
    *,
    scopes: list[str],
    render: Callable[[], Any],
    staff_private: bool = True,
    overlay: Overlay | None = None,
    stock_holes: bool = False,
) -> HttpResponseBase:
    """Serve a catalogue read from the shared cache, with ETag and Last-Modified.

    Staff see drafts, so their reads bypass the cache (``staff_private``; a read that
    shows everyone the same, drafts never, passes False). Everyone else (anonymous or
    customer) gets the same body for the same URL: the key holds the scope versions
    and the scheme, host, path and query string, never the user. The version is read
    before the data, so a change committed meanwhile lands under a newer version.

    ``stock_holes``: the body shows products or packages, whose stock is filled in
    from the stock records on every read (the ETag and Last-Modified follow it).
    ``render`` returns the body's data, or a ``Prerendered`` body (the read model's
    cards, holes included).

    ``overlay`` personalises the shared body for a signed-in caller after the cache
    (``is_favourite``); a personalised response is private, and every signed-in
    read is validated by its ETag only. An anonymous JSON answer is marked with
    ``catalogue_read`` so that ``CatalogueFastReadMiddleware`` can answer the next
    one before DRF.
    """
    personal = overlay is not None and request.user.is_authenticated
    if staff_private and is_catalogue_staff(request):
        body = render()
        if overlay is not None and personal:
            overlay(body)
        return private_response(body)
    variant = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    lookup = catalogue_cached_lookup(scopes=scopes, variant=variant)
    assert lookup is not None  # noqa: S101 - with fallback, always a lookup
    if lookup.entry is None:
        data = render()
        caching = catalogue_cache_timeout() > 0 and lookup.version.cache_available
        if isinstance(data, Prerendered):
            parts, slots, product_ids = data.parts, data.slots, data.product_ids
        elif stock_holes and caching:
            parts, slots, product_ids = holes_make(data)
        else:
            parts, slots, product_ids = [JSONRenderer().render(data)], [], set()
        catalogue_cached_store(
            lookup=lookup,
            variant=variant,
            scopes=scopes,
            parts=parts,
            slots=slots,
            product_ids=product_ids,
        )
    body, etag, changed_at = _filled(lookup)
    entry = CachedResponse(parts=(body,), etag=etag)
    if overlay is not None and personal:
        return _personal_response(request, entry, overlay)
    response = _body_response(request, entry)
    response["Last-Modified"] = http_date(changed_at)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(changed_at), response=response
    )
    answer = response if conditional is None else conditional
    if (
        not request.user.is_authenticated
        and request.accepted_renderer.format == "json"
        and lookup.version.cache_available
        and catalogue_cache_timeout() > 0
    ):
        answer.catalogue_read = (tuple(scopes), variant)  # type: ignore[attr-defined]
    return answer


# Headers the fast path computes itself rather than repeating the slow path's.
COMPUTED_HEADERS = {"content-length", "etag", "last-modified", "date"}


def catalogue_fast_response(
    request: HttpRequest,
    *,
    scopes: tuple[str, ...],
    variant: str,
    headers: Mapping[str, str],
) -> HttpResponse | None:
    """A cached anonymous read answered from one cache round trip, or None.

    ``scopes``, ``variant`` and ``headers`` are what the slow path used and
    answered for the same request before; None when the entry or a token changed
    since (the slow path then answers, and remembers the new ones).
    """
    lookup = catalogue_cached_lookup(scopes=scopes, variant=variant, fallback=False)
    if lookup is None:
        return None
    body, etag, changed_at = _filled(lookup)
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed_at)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(changed_at), response=response
    )
    return response if conditional is None else conditional
