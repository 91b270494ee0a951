"""Versioned cache of the public catalogue reads, and its invalidation.

Each public read is stored under a key that contains a *version token*. A change to
the catalogue replaces the tokens it affects, so entries stored under the old token
are never read again and simply expire. Scopes:

- ``lists``: product and package lists, the category tree and category details;
  replaced by every change to what they show (publish, unpublish, move, delete);
- ``product:<id>`` / ``package:<id>``: one detail read by numeric id; replaced when
  that item changes, and for a package also when a component changes;
- ``details``: every detail read; replaced by changes that any item may show
  (a customization published or unpublished). A detail read by slug uses ``lists``;
- ``stock``: only the lists whose rows or order depend on stock or sales (the
  ``in_stock`` filter, the ``popularity`` sort); replaced by every stock change.

Availability apart from the body: a stock change (an order, a cancellation, a
return, an editor's figure) replaces neither ``lists`` nor the items' tokens. A
cached product or package body leaves holes where it shows stock (``stock`` and a
package component's ``in_stock``), filled on every read from small per-product
*stock records* (``catalogue:stock:<product id>`` -> units on hand and sold and
when the record was written, as one integer), read in the same round trip as the tokens and the body. A
stock change deletes its products' records inside its transaction (so later reads
in it see the change) and writes them again right after the commit, re-reading the
rows under their locks, so records are written in the order the changes committed;
a read that finds no record reads the rows (one query) and adds it only where none
was written meanwhile. Staleness bound: a reader sees the previous figure only
between a change's commit and its on-commit write (the same moment, in this
process, before the response that made the change returns); an order that would get
409 for lack of stock is never shown in stock after that. A record holds the
product's units sold too, which fill a product's ``units_sold`` the same way; a
package's sales figure is part of the body: at most ``CATALOGUE_CACHE_TIMEOUT`` old.

Tokens are random (not counters), so a token evicted from Redis and created again
can never match entries stored before. A token also carries the time it was made,
which the API sends as ``Last-Modified`` (or the time of the latest stock record
the body shows, if later).

One round trip: this process remembers, for each response it served, the token
values, a copy of the entry and the stock figures it showed with the token of the
stock records (``stock-records``, replaced after every write of records)
(``catalogue_cached_lookup``). The next read of that response asks the cache for
the current tokens in one ``get_many``; the copy is used only if they are the
remembered ones, and the figures only if the records token is too (else the records
are read: a second round trip, or with the tokens for an entry of a few products,
such as a detail), so nothing is staler than when every step reads the
cache. Otherwise the read falls back to one round trip for the tokens and one for
the entry.

The cache is the Django ``default`` cache: django-redis with short socket timeouts
and ``IGNORE_EXCEPTIONS`` in production, so a Redis outage turns every read into a
miss (slower, never an error). When the cache fails (an ignored exception shows as
``add()`` returning None), this process skips it for ``OUTAGE_BACKOFF_SECONDS`` so
that an outage costs one socket timeout per interval rather than several per read;
bodies are then rendered, with the stock they read, on every request. Changes made
while Redis is unreachable cannot replace tokens or stock records there: reads may
be stale for up to ``CATALOGUE_CACHE_TIMEOUT`` seconds once it is back.
"""

import hashlib
import logging
import pickle
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from commerce.catalogue.models import (
    PackageComponent,
    PackagePage,
    ProductPage,
    ProductStock,
)
from commerce.catalogue.services.cards import cards_invalidate
from commerce.money import shop_currency

OUTAGE_BACKOFF_SECONDS = 5.0
LISTS_SCOPE = "lists"
DETAILS_SCOPE = "details"
STOCK_SCOPE = "stock"
# Replaced after every write of stock records: a process's copy of the figures a
# response showed is current while this token is.
RECORDS_SCOPE = "stock-records"
KEY_PREFIX = "catalogue"
# Part of every response key: a release that changes what an entry holds bumps it,
# so it never reads the entries of the release before it. (v3: ``currency`` beside
# every amount, package components and customization options included; v4:
# ``rating_average`` and ``rating_count``; v5: stock left as holes filled from the
# stock records; v6: a product's ``units_sold`` too.)
RESPONSE_FORMAT = "v6"
# Responses whose token values and entry key this process remembers; past it the
# memory starts again (a forgotten response costs one more round trip, once).
REMEMBERED_RESPONSES = 4096
# Entries showing at most this many products read their stock records with the tokens.
RECORDS_IN_FIRST_TRIP = 4
# Substitution of an unreadable cache value, for the exceptions unpickling may raise.
UNREADABLE = (AttributeError, ImportError, pickle.UnpicklingError, TypeError)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueVersion:
    token: str
    changed_at: float
    cache_available: bool = True
    # The token values as stored, one per scope (what a later read compares).
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class StockFigure:
    """Units on hand and sold of one product, and when this figure was written."""

    quantity: int
    changed_at: float
    units_sold: int = 0


# Per cache backend object (Django keeps one per thread, and makes new ones when the
# CACHES setting changes): until when it is skipped after a failure.
_outage_until: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


def _cache_available() -> bool:
    return time.monotonic() >= _outage_until.get(caches["default"], 0.0)


def _cache_failed() -> None:
    _outage_until[caches["default"]] = time.monotonic() + OUTAGE_BACKOFF_SECONDS


@dataclass(frozen=True)
class CachedResponse:
    """A rendered JSON body with holes for stock, and the ETag of its fixed bytes.

    ``parts`` are the bytes around the holes (one more than ``slots``); each slot
    says what fills its hole (see ``commerce.catalogue.api.http_cache``);
    ``product_ids`` are the products whose stock records fill them.
    """

    parts: tuple[bytes, ...]
    etag: str
    slots: tuple[tuple[Any, ...], ...] = ()
    product_ids: tuple[int, ...] = ()

    @property
    def body(self) -> bytes:
        """The body of a response without holes."""
        return b"".join(self.parts)


def product_scope(product_id: int) -> str:
    return f"product:{product_id}"


def package_scope(package_id: int) -> str:
    return f"package:{package_id}"


def _version_key(scope: str) -> str:
    return f"{KEY_PREFIX}:version:{scope}"


def _stock_key(product_id: int) -> str:
    return f"{KEY_PREFIX}:stock:{product_id}"


def _version_new() -> tuple[str, float]:
    return (uuid.uuid4().hex, time.time())


def catalogue_cache_timeout() -> int:
    """Seconds a response stays cached; 0 turns the response cache off."""
    return int(getattr(settings, "CATALOGUE_CACHE_TIMEOUT", 300))


def _version_from(
    keys: list[str], found: dict[str, Any], *, available: bool
) -> CatalogueVersion:
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            fresh = _version_new()
            if available:
                # add(): of two concurrent first readers, both use the same token.
                added = cache.add(key, fresh, timeout=None)
                if added is None:  # the cache backend failed and ignored it
                    _cache_failed()
                    available = False
                elif not added:
                    value = cache.get(key)
            value = value or fresh
        values.append(value)
    return CatalogueVersion(
        token="-".join(str(token) for token, _ in values),
        changed_at=max(float(changed_at) for _, changed_at in values),
        cache_available=available,
        values=tuple(values),
    )


def catalogue_version_get(*, scopes: Iterable[str]) -> CatalogueVersion:
    """The combined current token of ``scopes``, in one cache round trip.

    A missing token (first read, eviction) is created; ``changed_at`` is the latest
    change among the scopes.
    """
    keys = [_version_key(scope) for scope in scopes]
    available = _cache_available()
    found = cache.get_many(keys) if available else {}
    return _version_from(keys, found, available=available)


def catalogue_response_key(*, version: CatalogueVersion, variant: str) -> str:
    """The cache key of one response: its version token and a digest of ``variant``.

    ``variant`` is everything the body depends on besides the data: scheme, host
    (image URLs are absolute), path and query string. Never the user. The shop's
    currency is part of the key, so a change of ``SHOP_CURRENCY`` never serves a
    body stored under the one before.
    """
    digest = hashlib.sha256(variant.encode()).hexdigest()[:40]
    currency = shop_currency()
    return (
        f"{KEY_PREFIX}:response:{RESPONSE_FORMAT}:{currency}:{version.token}:{digest}"
    )


def _entry_parse(value: Any) -> CachedResponse | None:
    """An entry read from the cache, or None when this release cannot read it.

    Entries are plain dicts (no classes of ours are pickled), so a release that
    moves code still reads them; anything else is a miss, never an error.
    """
    if not isinstance(value, dict):
        return None
    parts, etag = value.get("parts"), value.get("etag")
    slots, product_ids = value.get("slots", ()), value.get("product_ids", ())
    if (
        not isinstance(parts, tuple)
        or not all(isinstance(part, bytes) for part in parts)
        or not isinstance(etag, str)
        or not isinstance(slots, tuple)
        or len(parts) != len(slots) + 1
        or not isinstance(product_ids, tuple)
    ):
        return None
    return CachedResponse(parts=parts, etag=etag, slots=slots, product_ids=product_ids)


def catalogue_response_get(
    *, key: str, version: CatalogueVersion
) -> CachedResponse | None:
    """The stored entry, or None: a miss, or an entry this release cannot read."""
    if catalogue_cache_timeout() <= 0 or not version.cache_available:
        return None
    try:
        value = cache.get(key)
    except UNREADABLE:
        logger.warning("catalogue cache entry %s unreadable; rendered again", key)
        return None
    return _entry_parse(value)


def catalogue_response_store(
    *,
    key: str,
    version: CatalogueVersion,
    parts: Sequence[bytes],
    slots: Sequence[tuple[Any, ...]] = (),
    product_ids: Iterable[int] = (),
) -> CachedResponse:
    """Store a rendered body under ``key`` with a strong ETag made from its bytes."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    digest.update(repr(tuple(slots)).encode())
    entry = CachedResponse(
        parts=tuple(parts),
        etag='"' + digest.hexdigest()[:32] + '"',
        slots=tuple(slots),
        product_ids=tuple(sorted(set(product_ids))),
    )
    timeout = catalogue_cache_timeout()
    if timeout > 0 and version.cache_available:
        value = {
            "parts": entry.parts,
            "etag": entry.etag,
            "slots": entry.slots,
            "product_ids": entry.product_ids,
        }
        cache.set(key, value, timeout=timeout)
    return entry


# STOCK RECORDS


# A stock record is one integer, ``(<written at, whole seconds> * RECORD_SPLIT +
# <units sold>) * RECORD_SPLIT + <units on hand>``: django-redis stores integers as
# they are (no pickle), so a page's records decode cheaply.
RECORD_SPLIT = 10**10


def _record(quantity: int, changed_at: float, units_sold: int = 0) -> int:
    return (int(changed_at) * RECORD_SPLIT + units_sold) * RECORD_SPLIT + quantity


def _figure_parse(value: Any) -> StockFigure | None:
    if type(value) is not int or value < 0:
        return None
    rest, quantity = divmod(value, RECORD_SPLIT)
    if rest < RECORD_SPLIT:  # a record of the release before, without the sales
        return None
    changed_at, units_sold = divmod(rest, RECORD_SPLIT)
    return StockFigure(
        quantity=quantity, changed_at=float(changed_at), units_sold=units_sold
    )


def catalogue_stock_figures(
    *, product_ids: Iterable[int], found: dict[str, Any] | None = None
) -> dict[int, StockFigure]:
    """The stock records of ``product_ids``; the missing ones read in one query.

    ``found`` holds records already read (by ``_stock_key``); None reads them now
    (one round trip). A missing record is added, never set: a stock change that
    wrote it meanwhile wins over the figure this read found.
    """
    product_ids = list(product_ids)
    caching = catalogue_cache_timeout() > 0 and _cache_available()
    if found is None:
        keys = [_stock_key(pk) for pk in product_ids]
        try:
            found = cache.get_many(keys) if caching and keys else {}
        except UNREADABLE:
            found = {}
    figures: dict[int, StockFigure] = {}
    for pk in product_ids:
        figure = _figure_parse(found.get(_stock_key(pk)))
        if figure is not None:
            figures[pk] = figure
    missing = [pk for pk in product_ids if pk not in figures]
    if not missing:
        return figures
    rows = {
        pk: (quantity, sold)
        for pk, quantity, sold in ProductStock.objects.filter(
            product_id__in=missing
        ).values_list("product_id", "quantity", "units_sold")
    }
    now = time.time()
    for pk in missing:
        quantity, sold = rows.get(pk, (0, 0))
        figures[pk] = StockFigure(quantity=quantity, changed_at=now, units_sold=sold)
        if caching:
            cache.add(
                _stock_key(pk),
                _record(quantity, now, sold),
                timeout=catalogue_cache_timeout(),
            )
    return figures


def _stock_records_write(product_ids: list[int]) -> None:
    """Write the records of ``product_ids`` from their rows, read under the locks.

    Runs after the commit of a stock change. The lock orders this write after any
    change in progress, which deletes the records again and writes them after its
    own commit, so the last write of a record holds the last committed figure.
    """
    if not _cache_available() or catalogue_cache_timeout() <= 0:
        return
    with transaction.atomic():
        rows = {
            pk: (quantity, sold)
            for pk, quantity, sold in ProductStock.objects.select_for_update()
            .filter(product_id__in=product_ids)
            .order_by("pk")
            .values_list("product_id", "quantity", "units_sold")
        }
        now = time.time()
        records = {}
        for pk in product_ids:
            quantity, sold = rows.get(pk, (0, 0))
            records[_stock_key(pk)] = _record(quantity, now, sold)
        cache.set_many(records, timeout=catalogue_cache_timeout())


# ONE ROUND TRIP


@dataclass(frozen=True)
class _Remembered:
    """A response this process served: the token values, its entry and its stock.

    ``entry`` is a copy of the cache entry (immutable under its key, which holds
    the tokens); ``figures`` are the stock records read with the records token
    ``records``, still current while that token is.
    """

    values: tuple[Any, ...]
    key: str
    entry: CachedResponse
    records: Any = None
    figures: dict[int, StockFigure] = field(default_factory=dict)


@dataclass
class CachedLookup:
    """What a read found: the version, the entry's key, the entry and its stock."""

    version: CatalogueVersion
    key: str
    entry: CachedResponse | None = None
    figures: dict[int, StockFigure] = field(default_factory=dict)
    # The records token read with the tokens (None: not read, or missing).
    records: Any = None


# By (currency, variant, scopes): a change of ``SHOP_CURRENCY`` (the entry key holds
# it) never answers from a copy made under the one before.
_remembered: dict[tuple[str, str, tuple[str, ...]], _Remembered] = {}
_remembered_lock = threading.Lock()


def _remember(variant: str, scopes: tuple[str, ...], lookup: CachedLookup) -> None:
    if lookup.entry is None:
        return
    with _remembered_lock:
        if len(_remembered) >= REMEMBERED_RESPONSES:
            _remembered.clear()
        _remembered[(shop_currency(), variant, scopes)] = _Remembered(
            values=lookup.version.values,
            key=lookup.key,
            entry=lookup.entry,
            records=lookup.records,
            figures=lookup.figures if lookup.records is not None else {},
        )


def catalogue_cache_forget() -> None:
    """Drop this process's copies of entries and figures (as a new process starts)."""
    with _remembered_lock:
        _remembered.clear()


def catalogue_cached_lookup(
    *, scopes: Sequence[str], variant: str, fallback: bool = True
) -> CachedLookup | None:
    """The version, entry and stock records of a read, in one round trip if it can.

    One ``get_many`` asks for the tokens of ``scopes`` and the stock records token.
    When this process served ``variant`` before and the tokens are still those, the
    entry is its copy; so are the stock figures if the records token is still the
    one they were read with, else they are read (a second round trip). Otherwise,
    with ``fallback``, the tokens (created if missing) and the entry are read as
    before (``entry`` None: a miss); without it, None (the caller takes the slow
    path).
    """
    scopes = tuple(scopes)
    version_keys = [_version_key(scope) for scope in scopes]
    records_key = _version_key(RECORDS_SCOPE)
    caching = catalogue_cache_timeout() > 0 and _cache_available()
    remembered = (
        _remembered.get((shop_currency(), variant, scopes)) if caching else None
    )
    # A detail's few records come in the same round trip (a page's would cost more
    # to decode on every read than a second round trip after a stock change).
    record_keys = (
        [_stock_key(pk) for pk in remembered.entry.product_ids]
        if remembered is not None
        and len(remembered.entry.product_ids) <= RECORDS_IN_FIRST_TRIP
        else []
    )
    try:
        if caching:
            found = cache.get_many([*version_keys, records_key, *record_keys])
        elif fallback and _cache_available():
            # The response cache off: the tokens still give Last-Modified.
            found = cache.get_many(version_keys)
        else:
            found = {}
    except UNREADABLE:
        found, remembered = {}, None
    records = found.get(records_key)
    if records is None and caching:
        cache.add(records_key, _version_new(), timeout=None)
    if (
        remembered is not None
        and all(key in found for key in version_keys)
        and tuple(found[key] for key in version_keys) == remembered.values
    ):
        values = remembered.values
        lookup = CachedLookup(
            version=CatalogueVersion(
                token="-".join(str(token) for token, _ in values),
                changed_at=max(float(changed_at) for _, changed_at in values),
                values=values,
            ),
            key=remembered.key,
            entry=remembered.entry,
            records=records,
        )
        if records is not None and records == remembered.records:
            lookup.figures = remembered.figures
        else:
            lookup.figures = catalogue_stock_figures(
                product_ids=remembered.entry.product_ids,
                found=found if record_keys else None,
            )
            _remember(variant, scopes, lookup)
        return lookup
    if not fallback:
        return None
    version = _version_from(
        version_keys, found, available=caching or _cache_available()
    )
    key = catalogue_response_key(version=version, variant=variant)
    lookup = CachedLookup(version=version, key=key, records=records)
    lookup.entry = catalogue_response_get(key=key, version=version)
    if lookup.entry is not None:
        lookup.figures = catalogue_stock_figures(product_ids=lookup.entry.product_ids)
        _remember(variant, scopes, lookup)
    return lookup


def catalogue_cached_store(
    *,
    lookup: CachedLookup,
    variant: str,
    scopes: Sequence[str],
    parts: Sequence[bytes],
    slots: Sequence[tuple[Any, ...]] = (),
    product_ids: Iterable[int] = (),
) -> CachedResponse:
    """Store a rendered body for ``lookup``; its stock records are read (filled)."""
    entry = catalogue_response_store(
        key=lookup.key,
        version=lookup.version,
        parts=parts,
        slots=slots,
        product_ids=product_ids,
    )
    lookup.entry = entry
    lookup.figures = catalogue_stock_figures(product_ids=entry.product_ids)
    if catalogue_cache_timeout() > 0 and lookup.version.cache_available:
        _remember(variant, tuple(scopes), lookup)
    return entry


# INVALIDATION


def _scopes_bump(scopes: Iterable[str]) -> None:
    if not _cache_available():
        return
    cache.set_many(
        {_version_key(scope): _version_new() for scope in scopes}, timeout=None
    )


def _stock_changed(product_ids: list[int]) -> None:
    """Now: replace ``stock`` and drop the records; after the commit, write them."""
    if _cache_available():
        cache.delete_many([_stock_key(pk) for pk in product_ids])
    _scopes_bump([STOCK_SCOPE, RECORDS_SCOPE])

    def committed() -> None:
        _stock_records_write(product_ids)
        _scopes_bump([STOCK_SCOPE, RECORDS_SCOPE])

    transaction.on_commit(committed, robust=True)


def catalogue_cache_invalidate(
    *,
    product_ids: Iterable[int] = (),
    package_ids: Iterable[int] = (),
    all_details: bool = False,
    stock_only: bool = False,
) -> None:
    """Make the lists and the given items' details stale.

    The tokens are replaced now, so later reads in this transaction (and tests that
    run inside one) see the change, and again when the transaction commits, so that
    a concurrent reader that cached pre-commit data under the first new token is
    superseded. Packages holding any of ``product_ids`` are invalidated too: they
    show their components' names, prices and stock. ``all_details`` also makes every
    detail read stale. The items' cards (the read model) are marked stale with them
    (every card with ``all_details``).

    ``stock_only``: only the stock of ``product_ids`` changed (call it under their
    row locks). Cached bodies stay; their stock records are replaced, and only the
    ``stock`` scope (lists filtered or sorted by stock or sales) is made stale.
    """
    product_ids = sorted(set(product_ids))
    if stock_only:
        _stock_changed(product_ids)
        return
    package_ids = set(package_ids)
    if product_ids:
        package_ids.update(
            PackageComponent.objects.filter(product_id__in=product_ids)
            .values_list("package_id", flat=True)
            .distinct()
        )
    scopes = [
        LISTS_SCOPE,
        *([DETAILS_SCOPE] if all_details else []),
        *(product_scope(pk) for pk in product_ids),
        *(package_scope(pk) for pk in sorted(package_ids)),
    ]
    _scopes_bump(scopes)
    transaction.on_commit(lambda: _scopes_bump(scopes), robust=True)
    cards_invalidate(page_ids=[*product_ids, *package_ids], everything=all_details)


def catalogue_cache_invalidate_for_page(*, page_model: type[Any], page_id: int) -> None:
    """Invalidate after a catalogue page was published, unpublished, moved or deleted."""
    if issubclass(page_model, ProductPage):
        catalogue_cache_invalidate(product_ids=[page_id])
    elif issubclass(page_model, PackagePage):
        catalogue_cache_invalidate(package_ids=[page_id])
    else:
        # A category's name and slug appear in every item below it.
        catalogue_cache_invalidate(all_details=True)


def catalogue_scopes_for_detail(*, kind: str, lookup: str) -> list[str]:
    """Scopes a detail read depends on: its item's when read by id, else ``lists``."""
    if lookup.isascii() and lookup.isdigit():
        scope = product_scope if kind == "product" else package_scope
        return [scope(int(lookup)), DETAILS_SCOPE]
    return [LISTS_SCOPE]
