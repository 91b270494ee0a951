"""Demo offers for ``seed_catalogue``: running ones of every kind and one scheduled.

Each offer is looked up by its name and created only when missing, so running again
changes nothing and what staff edited in the admin stays. Dates count from the run.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commerce.catalogue.models import CategoryPage, Offer, PackagePage, ProductPage
from commerce.catalogue.services.offers import offer_create
from commerce.enums import OfferKind


def demo_offers_seed(
    *, products: list[ProductPage], packages: list[PackagePage]
) -> int:
    """Create the demo offers that are missing; returns how many were created."""
    now = timezone.now()
    flowers = CategoryPage.objects.filter(title="Flowers").first()
    gifts = CategoryPage.objects.filter(title="Gifts").first()
    wanted = [
        {
            "name": "Spring flowers: 15 % off",
            "kind": OfferKind.PERCENTAGE,
            "value": Decimal("15"),
            "ends_at": now + timedelta(days=14),
            "categories": [flowers] if flowers else [],
        },
        {
            "name": "€5 off this week's favourite",
            "kind": OfferKind.FIXED,
            "value": Decimal("5.00"),
            "ends_at": now + timedelta(days=7),
            "products": products[1:2],
        },
        {
            "name": "Gift set deal: 20 % off",
            "kind": OfferKind.PERCENTAGE,
            "value": Decimal("20"),
            "packages": packages[:1],
        },
        {
            "name": "Weekend gifts: 25 % off",
            "kind": OfferKind.PERCENTAGE,
            "value": Decimal("25"),
            "starts_at": now + timedelta(days=2),
            "ends_at": now + timedelta(days=4),
            "categories": [gifts] if gifts else [],
        },
    ]
    created = 0
    for offer in wanted:
        has_target = any(
            offer.get(key) for key in ("products", "packages", "categories")
        )
        if not has_target or Offer.objects.filter(name=offer["name"]).exists():
            continue
        offer_create(**offer)  # type: ignore[arg-type]
        created += 1
    return created
