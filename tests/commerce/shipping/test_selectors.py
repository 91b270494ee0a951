"""Which shipping methods a cart and address get, and at what price."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commerce.shipping.selectors import (
    ShippingQuote,
    shipping_methods_available,
    shipping_quote,
)
from tests.commerce.checkout_factories import ShippingMethodFactory

pytestmark = pytest.mark.django_db

NOT_OFFERED = {
    "shipping_method": [
        "This shipping method is not offered for this cart and address."
    ]
}
CART = {"subtotal": Decimal("20.00"), "item_count": 2, "weight_grams": 800}


def _names(country, **cart):
    return [
        quote.name
        for quote in shipping_methods_available(country=country, **{**CART, **cart})
    ]


@pytest.mark.parametrize(
    ("_case", "country", "expected"),
    [
        ("listed country", "DE", ["Everywhere", "Germany and France"]),
        ("other listed country", "FR", ["Everywhere", "Germany and France"]),
        ("lower-case code", "fr", ["Everywhere", "Germany and France"]),
        ("country outside the zone", "US", ["Everywhere"]),
    ],
)
def test_methods_are_offered_in_their_zone_and_everywhere_when_it_is_empty(
    _case, country, expected
):
    # given
    ShippingMethodFactory(name="Everywhere", countries=[], sort_order=1)
    ShippingMethodFactory(
        name="Germany and France", countries=["DE", "FR"], sort_order=2
    )

    # when / then
    assert _names(country) == expected


def test_no_method_is_offered_before_the_country_is_known(
    django_assert_num_queries,
):
    ShippingMethodFactory(countries=[])

    with django_assert_num_queries(0):
        quotes = shipping_methods_available(country=None, **CART)

    assert quotes == []


def test_quotes_are_ordered_by_sort_order_then_pk_in_one_query(
    django_assert_num_queries,
):
    # given
    late = ShippingMethodFactory(name="Late", sort_order=5)
    first = ShippingMethodFactory(name="First", description="Fast", sort_order=1)
    tie = ShippingMethodFactory(name="Tie", sort_order=5, price=Decimal("7.00"))

    # when
    with django_assert_num_queries(1):
        quotes = shipping_methods_available(country="DE", **CART)

    # then
    assert quotes == [
        ShippingQuote(
            method_id=first.pk, name="First", description="Fast", price=Decimal("4.90")
        ),
        ShippingQuote(
            method_id=late.pk, name="Late", description="", price=Decimal("4.90")
        ),
        ShippingQuote(
            method_id=tie.pk, name="Tie", description="", price=Decimal("7.00")
        ),
    ]


@pytest.mark.parametrize(
    ("_case", "subtotal", "price"),
    [
        ("below the threshold", "49.99", Decimal("4.90")),
        ("at the threshold", "50.00", Decimal("0.00")),
        ("above the threshold", "120.00", Decimal("0.00")),
    ],
)
def test_a_method_is_free_from_its_free_above_amount(_case, subtotal, price):
    ShippingMethodFactory(price=Decimal("4.90"), free_above=Decimal("50.00"))

    [quote] = shipping_methods_available(
        country="DE", subtotal=Decimal(subtotal), item_count=1, weight_grams=None
    )

    assert quote.price == price


@pytest.mark.parametrize(
    ("_case", "weight_grams", "expected"),
    [
        ("lighter than the minimum", 499, ["Any weight"]),
        ("the minimum", 500, ["Any weight", "500 g to 2 kg"]),
        ("the maximum", 2000, ["Any weight", "500 g to 2 kg"]),
        ("heavier than the maximum", 2001, ["Any weight"]),
        ("weight unknown", None, ["Any weight", "500 g to 2 kg"]),
    ],
)
def test_weight_limits_apply_only_when_the_weight_is_known(
    _case, weight_grams, expected
):
    ShippingMethodFactory(name="Any weight", sort_order=1)
    ShippingMethodFactory(
        name="500 g to 2 kg", min_weight_grams=500, max_weight_grams=2000, sort_order=2
    )

    assert _names("DE", weight_grams=weight_grams) == expected


@pytest.mark.parametrize(
    ("_case", "item_count", "weight_grams", "expected"),
    [
        ("fewer than the minimum", 1, 100, ["Any size"]),
        ("the minimum", 2, 100, ["Any size", "2 to 10 items"]),
        ("the maximum", 10, 100, ["Any size", "2 to 10 items"]),
        ("more than the maximum", 11, 100, ["Any size"]),
        ("more than the maximum, weight unknown", 11, None, ["Any size"]),
    ],
)
def test_item_count_limits_always_apply(_case, item_count, weight_grams, expected):
    ShippingMethodFactory(name="Any size", sort_order=1)
    ShippingMethodFactory(name="2 to 10 items", min_items=2, max_items=10, sort_order=2)

    assert _names("DE", item_count=item_count, weight_grams=weight_grams) == expected


def test_inactive_methods_are_not_offered():
    ShippingMethodFactory(name="Active")
    ShippingMethodFactory(name="Retired", is_active=False)

    assert _names("DE") == ["Active"]


def test_shipping_quote_prices_the_chosen_method_in_one_query(
    django_assert_num_queries,
):
    # given
    method = ShippingMethodFactory(
        name="Standard",
        description="2-4 days",
        price=Decimal("4.90"),
        free_above=Decimal("50.00"),
        countries=["DE"],
    )

    # when
    with django_assert_num_queries(1):
        quote = shipping_quote(
            method_id=method.pk,
            country="DE",
            subtotal=Decimal("60.00"),
            item_count=3,
            weight_grams=None,
        )

    # then
    assert quote == ShippingQuote(
        method_id=method.pk,
        name="Standard",
        description="2-4 days",
        price=Decimal("0.00"),
    )


@pytest.mark.parametrize(
    ("_case", "method_fields", "cart"),
    [
        ("unknown method", None, {}),
        ("inactive method", {"is_active": False}, {}),
        ("country outside the zone", {"countries": ["FR"]}, {}),
        ("no country yet", {}, {"country": None}),
        ("too many items", {"max_items": 1}, {}),
        ("too heavy", {"max_weight_grams": 799}, {}),
    ],
)
def test_shipping_quote_refuses_a_method_not_offered(_case, method_fields, cart):
    # given
    method_id = (
        ShippingMethodFactory(**method_fields).pk if method_fields is not None else 999
    )

    # when
    with pytest.raises(ValidationError) as raised:
        shipping_quote(method_id=method_id, **{"country": "DE", **CART, **cart})

    # then
    assert raised.value.message_dict == NOT_OFFERED
