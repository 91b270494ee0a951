"""Versioned cache of the public catalogue reads, and its invalidation.

Each public read is stored under a key that contains a *version token*. A change to
the catalogue replaces the tokens it affects, so entries stored under the old token
are never read again and simply expire. Scopes:

- ``lists``: product and package lists, the category tree and category details;
  replaced by every change (publish, unpublish, move, delete, stock);
- ``product:<id>`` / ``package:<id>``: one detail read by numeric id; replaced when
  that item changes, and for a package also when a component changes;
- ``details``: every detail read; replaced by changes that any item may show
  (a customization published or unpublished). A detail read by slug uses ``lists``.

Tokens are random (not counters), so a token evicted from Redis and created again
can never match entries stored before. A token also carries the time it was made,
which the API sends as ``Last-Modified``.

The cache is the Django ``default`` cache: django-redis with short socket timeouts
and ``IGNORE_EXCEPTIONS`` in production, so a Redis outage turns every read into a
miss (slower, never an error). When the cache fails (an ignored exception shows as
``add()`` returning None), this process skips it for ``OUTAGE_BACKOFF_SECONDS`` so
that an outage costs one socket timeout per interval rather than several per read.
Changes made while Redis is unreachable cannot replace tokens there: reads may be
stale for up to ``CATALOGUE_CACHE_TIMEOUT`` seconds once it is back.
"""

import hashlib
import logging
import pickle
import time
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from commerce.catalogue.models import PackageComponent, PackagePage, ProductPage
from commerce.money import shop_currency

OUTAGE_BACKOFF_SECONDS = 5.0
LISTS_SCOPE = "lists"
DETAILS_SCOPE = "details"
KEY_PREFIX = "catalogue"
# Part of every response key: a release that changes what an entry holds bumps it,
# so it never reads the entries of the release before it. (v3: ``currency`` beside
# every amount, package components and customization options included; v4:
# ``rating_average`` and ``rating_count``.)
RESPONSE_FORMAT = "v4"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueVersion:
    token: str
    changed_at: float
    cache_available: bool = True


# Per cache backend object (Django keeps one per thread, and makes new ones when the
# CACHES setting changes): until when it is skipped after a failure.
_outage_until: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


def _cache_available() -> bool:
    return time.monotonic() >= _outage_until.get(caches["default"], 0.0)


def _cache_failed() -> None:
    _outage_until[caches["default"]] = time.monotonic() + OUTAGE_BACKOFF_SECONDS


@dataclass(frozen=True)
class CachedResponse:
    """A rendered JSON body with its validators."""

    body: bytes
    etag: str


def product_scope(product_id: int) -> str:
    return f"product:{product_id}"


def package_scope(package_id: int) -> str:
    return f"package:{package_id}"


def _version_key(scope: str) -> str:
    return f"{KEY_PREFIX}:version:{scope}"


def _version_new() -> tuple[str, float]:
    return (uuid.uuid4().hex, time.time())


def catalogue_cache_timeout() -> int:
    """Seconds a response stays cached; 0 turns the response cache off."""
    return int(getattr(settings, "CATALOGUE_CACHE_TIMEOUT", 300))


def catalogue_version_get(*, scopes: Iterable[str]) -> CatalogueVersion:
    """The combined current token of ``scopes``, in one cache round trip.

    A missing token (first read, eviction) is created; ``changed_at`` is the latest
    change among the scopes.
    """
    keys = [_version_key(scope) for scope in scopes]
    available = _cache_available()
    found = cache.get_many(keys) if available else {}
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
    )


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


def catalogue_response_get(
    *, key: str, version: CatalogueVersion
) -> CachedResponse | None:
    """The stored body, or None: a miss, or an entry this release cannot read.

    Entries are plain dicts (no classes of ours are pickled), so a release that moves
    code still reads them; anything else under the key is a miss, never an error.
    """
    if catalogue_cache_timeout() <= 0 or not version.cache_available:
        return None
    try:
        value = cache.get(key)
    except (AttributeError, ImportError, pickle.UnpicklingError, TypeError):
        logger.warning("catalogue cache entry %s unreadable; rendered again", key)
        return None
    if not isinstance(value, dict):
        return None
    body, etag = value.get("body"), value.get("etag")
    if not isinstance(body, bytes) or not isinstance(etag, str):
        return None
    return CachedResponse(body=body, etag=etag)


def catalogue_response_store(
    *, key: str, version: CatalogueVersion, body: bytes
) -> CachedResponse:
    """Store a rendered body under ``key`` with a strong ETag made from its bytes."""
    entry = CachedResponse(
        body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    )
    timeout = catalogue_cache_timeout()
    if timeout > 0 and version.cache_available:
        cache.set(key, {"body": entry.body, "etag": entry.etag}, timeout=timeout)
    return entry


def _scopes_bump(scopes: Iterable[str]) -> None:
    if not _cache_available():
        return
    cache.set_many(
        {_version_key(scope): _version_new() for scope in scopes}, timeout=None
    )


def catalogue_cache_invalidate(
    *,
    product_ids: Iterable[int] = (),
    package_ids: Iterable[int] = (),
    all_details: bool = False,
) -> None:
    """Make the lists and the given items' details stale.

    The tokens are replaced now, so later reads in this transaction (and tests that
    run inside one) see the change, and again when the transaction commits, so that
    a concurrent reader that cached pre-commit data under the first new token is
    superseded. Packages holding any of ``product_ids`` are invalidated too: they
    show their components' names, prices and stock. ``all_details`` also makes every
    detail read stale.
    """
    product_ids = sorted(set(product_ids))
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
    if lookup.isdigit():
        scope = product_scope if kind == "product" else package_scope
        return [scope(int(lookup)), DETAILS_SCOPE]
    return [LISTS_SCOPE]
