"""Which shipping methods a cart can use, and at what price.

A method is offered when it is active, ships to the address's country (no countries
means everywhere) and the cart meets its item-count rules and, when every item's
weight is known, its weight rules. The price is 0 from ``free_above`` up.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from commerce.shipping.models import ShippingMethod

METHOD_NOT_OFFERED = "This shipping method is not offered for this cart and address."


@dataclass(frozen=True)
class ShippingQuote:
    """A method offered to one cart and address, priced for it."""

    method_id: int
    name: str
    description: str
    price: Decimal  # after free_above


def _methods_matching(
    *, item_count: int, weight_grams: int | None
) -> QuerySet[ShippingMethod]:
    """Active methods whose item-count and (known) weight rules the cart meets."""
    methods = ShippingMethod.objects.filter(
        Q(min_items__isnull=True) | Q(min_items__lte=item_count),
        Q(max_items__isnull=True) | Q(max_items__gte=item_count),
        is_active=True,
    )
    if weight_grams is not None:
        methods = methods.filter(
            Q(min_weight_grams__isnull=True) | Q(min_weight_grams__lte=weight_grams),
            Q(max_weight_grams__isnull=True) | Q(max_weight_grams__gte=weight_grams),
        )
    return methods.order_by("sort_order", "pk")


def _ships_to(method: ShippingMethod, country: str) -> bool:
    # The countries are stored as one comma-separated column: compared here.
    return not method.countries or country in {str(c) for c in method.countries}


def _quote(method: ShippingMethod, subtotal: Decimal) -> ShippingQuote:
    free = method.free_above is not None and subtotal >= method.free_above
    return ShippingQuote(
        method_id=method.pk,
        name=method.name,
        description=method.description,
        price=Decimal("0.00") if free else method.price,
    )


def _quotes(
    methods: QuerySet[ShippingMethod], *, country: str | None, subtotal: Decimal
) -> list[ShippingQuote]:
    if country is None:
        return []
    code = country.upper()
    return [_quote(method, subtotal) for method in methods if _ships_to(method, code)]


def shipping_methods_available(
    *, country: str | None, subtotal: Decimal, item_count: int, weight_grams: int | None
) -> list[ShippingQuote]:
    """The methods offered for the cart and address, by ``sort_order`` then pk.

    None for ``country`` (no address yet) offers nothing; None for ``weight_grams``
    (an item's weight is unknown) ignores the weight rules. One query.
    """
    methods = _methods_matching(item_count=item_count, weight_grams=weight_grams)
    return _quotes(methods, country=country, subtotal=subtotal)


def shipping_quote(
    *,
    method_id: int,
    country: str | None,
    subtotal: Decimal,
    item_count: int,
    weight_grams: int | None,
) -> ShippingQuote:
    """The chosen method, priced as ``shipping_methods_available`` prices it.

    Raises ValidationError on ``shipping_method`` when the method is unknown,
    inactive or not offered for this cart and address.
    """
    methods = _methods_matching(item_count=item_count, weight_grams=weight_grams)
    quotes = _quotes(methods.filter(pk=method_id), country=country, subtotal=subtotal)
    if not quotes:
        raise ValidationError({"shipping_method": [METHOD_NOT_OFFERED]})
    return quotes[0]
