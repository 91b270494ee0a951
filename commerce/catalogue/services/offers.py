"""Writes of offers and of the offer prices the catalogue reads.

The offer price rows (``ProductOfferPrice``, ``PackageOfferPrice``) are derived data:
``offer_prices_refresh`` rebuilds them from the offers running now and the items'
live prices, changes only the rows that differ, and makes the cached catalogue
stale for exactly the items whose price changed. It runs after an offer is saved or
deleted, after a catalogue page is published, unpublished or moved, and every
minute (``offer_prices_refresh_task``), which is when scheduled offers start and end.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.catalogue.models import (
    CategoryPage,
    Offer,
    PackageOfferPrice,
    PackagePage,
    ProductOfferPrice,
    ProductPage,
)
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.enums import OfferKind

# pg_advisory_xact_lock key of offer price refreshes ("OFFR" in ASCII).
OFFER_REFRESH_LOCK = 0x4F464652
NO_END = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Priced:
    offer_id: int
    sale_price: Decimal
    regular_price: Decimal
    ends_at: datetime | None


def offers_running(*, at: datetime) -> list[Offer]:
    """Active offers whose schedule includes ``at``, with their direct targets' ids."""
    return list(
        Offer.objects.filter(is_active=True, starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .prefetch_related("categories")
        .order_by("pk")
    )


def _targets(offer: Offer, model: type[ProductPage] | type[PackagePage]) -> Q:
    direct = offer.products if model is ProductPage else offer.packages
    targets = Q(pk__in=direct.values("pk"))
    for category in offer.categories.all():
        targets |= Q(path__startswith=category.path)
    return targets


def _best_prices(
    offers: list[Offer], model: type[ProductPage] | type[PackagePage]
) -> dict[int, _Priced]:
    """Each targeted item's lowest price among ``offers`` (ties: ends first, oldest)."""
    best: dict[int, tuple[tuple[Decimal, datetime, int], _Priced]] = {}
    for offer in offers:
        rows = model.objects.filter(_targets(offer, model)).values_list("pk", "price")
        for item_id, price in rows:
            sale_price = offer.price_for(price)
            if sale_price >= price:
                continue
            rank = (sale_price, offer.ends_at or NO_END, offer.pk)
            if item_id not in best or rank < best[item_id][0]:
                best[item_id] = (
                    rank,
                    _Priced(
                        offer_id=offer.pk,
                        sale_price=sale_price,
                        regular_price=price,
                        ends_at=offer.ends_at,
                    ),
                )
    return {item_id: priced for item_id, (_, priced) in best.items()}


def _rows_sync(
    model: type[ProductOfferPrice] | type[PackageOfferPrice],
    key: str,
    wanted: dict[int, _Priced],
) -> set[int]:
    """Make ``model``'s rows equal ``wanted``; the ids of the items that changed."""
    current = {
        row[key]: _Priced(
            offer_id=row["offer_id"],
            sale_price=row["sale_price"],
            regular_price=row["regular_price"],
            ends_at=row["ends_at"],
        )
        for row in model.objects.values(
            key, "offer_id", "sale_price", "regular_price", "ends_at"
        )
    }
    gone = set(current) - set(wanted)
    if gone:
        model.objects.filter(pk__in=gone).delete()
    changed = {
        item_id for item_id, priced in wanted.items() if current.get(item_id) != priced
    }
    for item_id in sorted(changed):
        priced = wanted[item_id]
        # The primary key is the item's: pk= looks the row up whatever its kind.
        model.objects.update_or_create(
            pk=item_id,
            defaults={
                "offer_id": priced.offer_id,
                "sale_price": priced.sale_price,
                "regular_price": priced.regular_price,
                "ends_at": priced.ends_at,
            },
        )
    return gone | changed


@transaction.atomic
def offer_prices_refresh(*, at: datetime | None = None) -> int:
    """Rebuild the offer prices for the offers running at ``at`` (default: now).

    Idempotent; returns how many items' prices changed. Refreshes run one at a time
    on PostgreSQL (a transaction-level advisory lock).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OFFER_REFRESH_LOCK])
    offers = offers_running(at=at or timezone.now())
    product_ids = _rows_sync(
        ProductOfferPrice, "product", _best_prices(offers, ProductPage)
    )
    package_ids = _rows_sync(
        PackageOfferPrice, "package", _best_prices(offers, PackagePage)
    )
    if product_ids or package_ids:
        catalogue_cache_invalidate(product_ids=product_ids, package_ids=package_ids)
    return len(product_ids) + len(package_ids)


def offer_targets_check(
    *,
    products: Iterable[Any],
    packages: Iterable[Any],
    categories: Iterable[Any],
) -> None:
    """An offer applies to at least one product, package or category."""
    if not (list(products) or list(packages) or list(categories)):
        raise ValidationError(
            {"products": ["Choose at least one product, package or category."]}
        )


@transaction.atomic
def offer_create(
    *,
    name: str,
    kind: OfferKind | str,
    value: Decimal,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    is_active: bool = True,
    products: Iterable[ProductPage] = (),
    packages: Iterable[PackagePage] = (),
    categories: Iterable[CategoryPage] = (),
    user: User | None = None,
) -> Offer:
    """Create an offer, log it and apply it to the catalogue's prices.

    Raises ValidationError with field messages for a bad value or schedule, or an
    offer without targets.
    """
    products, packages, categories = list(products), list(packages), list(categories)
    offer = Offer(
        name=name,
        kind=kind,
        value=value,
        starts_at=starts_at or timezone.now(),
        ends_at=ends_at,
        is_active=is_active,
    )
    offer.full_clean()
    offer_targets_check(products=products, packages=packages, categories=categories)
    offer.save()
    offer.products.set(products)
    offer.packages.set(packages)
    offer.categories.set(categories)
    log(instance=offer, action="wagtail.create", user=user)
    offer_prices_refresh()
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer, user: User | None = None) -> None:
    """Delete an offer, log it and take it off the catalogue's prices."""
    log(instance=offer, action="wagtail.delete", user=user)
    offer.delete()
    offer_prices_refresh()
