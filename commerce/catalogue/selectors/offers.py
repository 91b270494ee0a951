"""Reads of offers: the price a shopper pays for an item now, and why.

Every read of a product or package loads its offer price row with the item (one
join, ``OFFER_PRICE_RELATED``); ``sellable_pricing`` then needs no query.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce

# What select_related loads with a product or package for its pricing.
OFFER_PRICE_RELATED = ("offer_price", "offer_price__offer")


@dataclass(frozen=True)
class SellablePricing:
    """What a shopper pays for one unit of an item now, and what it is reduced from.

    ``compare_at_price`` is the item's own price while an offer applies, otherwise
    the editor's compare-at price.
    """

    price: Decimal
    compare_at_price: Decimal | None
    offer_name: str = ""
    offer_ends_at: datetime | None = None

    @property
    def is_on_sale(self) -> bool:
        return self.compare_at_price is not None and self.compare_at_price > self.price

    @property
    def has_offer(self) -> bool:
        return bool(self.offer_name)


def sellable_pricing(*, item: Any) -> SellablePricing:
    """The pricing of a product or package from its loaded offer price row.

    ``item`` should be read with ``OFFER_PRICE_RELATED``; otherwise this costs a
    query per item.
    """
    offer_price = getattr(item, "offer_price", None)
    if offer_price is None or offer_price.sale_price >= item.price:
        return SellablePricing(price=item.price, compare_at_price=item.compare_at_price)
    return SellablePricing(
        price=offer_price.sale_price,
        compare_at_price=item.price,
        offer_name=offer_price.offer.name,
        offer_ends_at=offer_price.ends_at,
    )


def current_price_expression() -> Coalesce:
    """SQL of the price a shopper pays now (needs the offer_price join)."""
    return Coalesce(F("offer_price__sale_price"), F("price"))
