"""Vouchers in the cart: each kind, the rules, the discount before tax, bad codes."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from rest_framework.settings import api_settings

from commerce.vouchers.enums import VoucherKind
from tests.commerce.catalogue_factories import category_make, package_make
from tests.commerce.checkout_factories import (
    VoucherFactory,
)
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.vouchers.conftest import NOON, apply, cart_ready

pytestmark = pytest.mark.django_db


def _totals(cart):
    return {
        key: cart[key] for key in ("subtotal", "shipping", "discount", "tax", "total")
    }


def test_a_percentage_voucher_takes_its_share_of_every_line_before_tax(shop):
    # given
    VoucherFactory(code="WELCOME10", kind=VoucherKind.PERCENTAGE, value=10)
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when: typed in lower case
    response = apply(client, " welcome10 ")

    # then: 10 % of 89.90 = 8.99, the lamp's 4.99 and the vases' 4.00. Taxed after
    # it (prices include 19 %): 44.91 − 44.91 / 1.19 = 7.17; 36.00 − 36.00 / 1.19
    # = 5.75; shipping 0.78; 13.70 in all. 89.90 + 4.90 − 8.99 = 85.81.
    assert response.status_code == 200, response.content
    cart = response.json()
    assert _totals(cart) == {
        "subtotal": "89.90",
        "shipping": "4.90",
        "discount": "8.99",
        "tax": "13.70",
        "total": "85.81",
    }
    assert [line["discount"] for line in cart["lines"]] == ["4.99", "4.00"]
    assert [line["tax"] for line in cart["lines"]] == ["7.17", "5.75"]
    assert [line["gross"] for line in cart["lines"]] == ["44.91", "36.00"]
    assert cart["voucher"] == {
        "code": "WELCOME10",
        "description": "",
        "kind": "percentage",
        "value": "10.00",
        "min_order_value": None,
        "ends_at": None,
    }
    assert cart["problems"] == {}


def test_a_fixed_amount_is_spread_pro_rata_to_the_cent(shop):
    # given
    VoucherFactory(code="TENOFF", kind=VoucherKind.FIXED, value=Decimal("10.00"))
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    cart = apply(client, "TENOFF").json()

    # then: 10.00 × 49.90 / 89.90 = 5.5506 and 10.00 × 40.00 / 89.90 = 4.4494 give
    # 5.55 and 4.44; the cent left goes to the larger remainder, the vases': 4.45.
    # Tax: 44.35 − 44.35 / 1.19 = 7.08; 35.55 − 35.55 / 1.19 = 5.68; shipping 0.78.
    assert [line["discount"] for line in cart["lines"]] == ["5.55", "4.45"]
    assert _totals(cart) == {
        "subtotal": "89.90",
        "shipping": "4.90",
        "discount": "10.00",
        "tax": "13.54",
        "total": "84.80",
    }


def test_free_shipping_takes_off_the_shipping_and_its_tax(shop):
    # given
    VoucherFactory(code="FREESHIP", kind=VoucherKind.FREE_SHIPPING, value=0)
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    cart = apply(client, "freeship").json()

    # then: the lines' tax only, 7.97 + 6.39
    assert _totals(cart) == {
        "subtotal": "89.90",
        "shipping": "4.90",
        "discount": "4.90",
        "tax": "14.36",
        "total": "89.90",
    }
    assert [line["discount"] for line in cart["lines"]] == ["0.00", "0.00"]


@override_settings(PRICES_INCLUDE_TAX=False)
def test_with_prices_excluding_tax_the_tax_is_on_the_discounted_amounts(shop):
    # given
    VoucherFactory(code="WELCOME10", value=10)
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    cart = apply(client, "WELCOME10").json()

    # then: 44.91 × 19 % = 8.53; 36.00 × 19 % = 6.84; 4.90 × 19 % = 0.93.
    # 89.90 + 4.90 − 8.99 + 16.30 = 102.11
    assert _totals(cart) == {
        "subtotal": "89.90",
        "shipping": "4.90",
        "discount": "8.99",
        "tax": "16.30",
        "total": "102.11",
    }


def test_a_product_restriction_discounts_only_that_product(shop):
    # given
    voucher = VoucherFactory(code="VASES", value=25)
    voucher.products.set([shop["vase"]])
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    cart = apply(client, "VASES").json()

    # then: 25 % of 40.00
    assert [line["discount"] for line in cart["lines"]] == ["0.00", "10.00"]
    assert cart["discount"] == "10.00"


def test_a_category_restriction_covers_its_subcategories_and_packages_in_them(shop):
    # given: the lamp is in a subcategory of Lamps; a package sits in Lamps itself
    voucher = VoucherFactory(code="LAMPS", kind=VoucherKind.FIXED, value=100)
    voucher.categories.set([shop["lamps"]])
    package = package_make(shop["lamps"], [(shop["lamp"], 1)], price="30.00")
    client = client_for(UserFactory())
    cart_ready(client, shop)
    client.post("/api/cart/items", {"package": package.pk}, format="json")

    # when
    cart = apply(client, "LAMPS").json()

    # then: never more than the qualifying lines, 49.90 + 30.00
    assert [line["discount"] for line in cart["lines"]] == ["49.90", "0.00", "30.00"]
    assert cart["discount"] == "79.90"
    assert cart["total"] == "44.90"


def test_no_qualifying_item_is_a_problem_of_the_cart_not_an_error(shop):
    # given
    voucher = VoucherFactory(code="OTHER", value=10)
    voucher.categories.set([category_make("Rugs")])
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    response = apply(client, "OTHER")

    # then
    assert response.status_code == 200
    cart = response.json()
    assert cart["voucher"]["code"] == "OTHER"
    assert cart["discount"] == "0.00"
    assert cart["total"] == "94.80"
    assert cart["problems"] == {
        "voucher": "None of the items in the cart qualifies for this voucher."
    }


def test_below_the_minimum_order_value_the_cart_says_how_much_to_spend(shop):
    # given
    VoucherFactory(code="BIG", value=10, min_order_value=Decimal("100.00"))
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    below = apply(client, "BIG").json()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")
    above = client.get("/api/cart").json()

    # then
    assert below["discount"] == "0.00"
    assert below["problems"] == {
        "voucher": "Spend at least 100.00 EUR (before the discount) to use this "
        "voucher."
    }
    assert (above["subtotal"], above["discount"], above["problems"]) == (
        "109.90",
        "10.99",
        {},
    )


def test_the_voucher_works_only_between_its_dates(shop):
    # given
    VoucherFactory(
        code="SUMMER",
        value=10,
        starts_at=datetime(2030, 6, 1, tzinfo=UTC),
        ends_at=datetime(2030, 7, 1, tzinfo=UTC),
    )
    customer = UserFactory()
    cart_ready(client_for(customer), shop)

    # when: a token issued at each moment, for the customer's one cart
    with time_machine.travel(datetime(2030, 5, 31, 23, 59, tzinfo=UTC)):
        early = apply(client_for(customer), "SUMMER")
    with time_machine.travel(NOON):
        during = apply(client_for(customer), "SUMMER")
    with time_machine.travel(datetime(2030, 7, 1, tzinfo=UTC)):
        after = client_for(customer).get("/api/cart").json()

    # then
    assert early.status_code == 400
    assert early.json()["errors"] == {"code": ["This code is not valid."]}
    assert during.status_code == 200
    assert during.json()["discount"] == "8.99"
    assert after["voucher"]["code"] == "SUMMER"
    assert after["discount"] == "0.00"
    assert after["problems"] == {"voucher": "This voucher has expired."}


@pytest.mark.parametrize(
    ("code", "voucher"),
    [
        ("NOSUCH", None),
        ("USEDUP", {"usage_limit": 3, "uses": 3}),
        ("ENDED", {"ends_at": datetime(2020, 1, 1, tzinfo=UTC)}),
        ("SOON", {"starts_at": datetime(2099, 1, 1, tzinfo=UTC)}),
        ("OFF", {"is_active": False}),
        ("X" * 41, None),
    ],
    ids=[
        "unknown_case",
        "used_up_case",
        "expired_case",
        "not_started_case",
        "inactive_case",
        "too_long_case",
    ],
)
def test_a_code_that_cannot_be_used_gets_one_answer_whatever_the_reason(
    shop, code, voucher, django_assert_num_queries
):
    # given
    if voucher is not None:
        VoucherFactory(code=code, **voucher)
    client = client_for(UserFactory())
    cart_ready(client, shop)

    # when
    response = apply(client, code.lower())

    # then: the same body as for an unknown code, and the cart unchanged
    assert response.status_code == 400
    assert response.json() == {
        "type": "https://fantasize.dev/errors/invalid",
        "title": "Invalid",
        "status": 400,
        "detail": "This code is not valid.",
        "code": "invalid",
        "errors": {"code": ["This code is not valid."]},
    }
    assert client.get("/api/cart").json()["voucher"] is None


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"code": ["This field is required."]}),
        ({"code": ""}, {"code": ["This field may not be blank."]}),
        ({"code": None}, {"code": ["This field may not be null."]}),
        (
            {"code": "A" * 101},
            {"code": ["Ensure this field has no more than 100 characters."]},
        ),
    ],
    ids=["missing_case", "blank_case", "null_case", "too_long_case"],
)
def test_bad_input_is_a_400_on_the_field(shop, body, errors):
    client = client_for(UserFactory())

    response = client.post("/api/cart/voucher", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == errors


def test_removing_the_voucher_gives_the_full_price_again(shop):
    # given
    VoucherFactory(code="WELCOME10", value=10)
    client = client_for(UserFactory())
    cart_ready(client, shop)
    apply(client, "WELCOME10")

    # when
    response = client.delete("/api/cart/voucher")

    # then
    assert response.status_code == 200
    cart = response.json()
    assert (cart["voucher"], cart["discount"], cart["total"]) == (None, "0.00", "94.80")


def test_a_guest_applies_by_token_and_keeps_it_when_merging_at_login(shop):
    # given
    VoucherFactory(code="WELCOME10", value=10)
    guest = client_for(None)
    token = guest.post("/api/cart").json()["token"]
    guest.post(f"/api/carts/{token}/items", {"product": shop["vase"].pk}, format="json")

    # when
    applied = guest.post(
        f"/api/carts/{token}/voucher", {"code": "WELCOME10"}, format="json"
    )
    customer = client_for(UserFactory())
    merged = customer.post("/api/cart/merge", {"token": token}, format="json")

    # then
    assert applied.json()["discount"] == "2.00"
    assert merged.json()["voucher"]["code"] == "WELCOME10"
    assert merged.json()["discount"] == "2.00"


def test_a_customer_who_used_up_their_own_limit_sees_it_in_the_cart(shop):
    # given: one use each; this customer placed an order with it already
    VoucherFactory(code="ONCE", value=10, usage_limit_per_customer=1)
    client = client_for(UserFactory())
    cart_ready(client, shop)
    apply(client, "ONCE")
    assert client.post("/api/checkout/complete", {}, format="json").status_code == 201

    # when
    cart_ready(client, shop)
    response = apply(client, "ONCE")

    # then
    assert response.status_code == 200
    assert response.json()["discount"] == "0.00"
    assert response.json()["problems"] == {
        "voucher": "You have already used this voucher as often as it allows."
    }


def _rates(**rates):
    return override_settings(
        REST_FRAMEWORK={
            **api_settings.user_settings,
            "DEFAULT_THROTTLE_RATES": {
                **api_settings.user_settings["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }
    )


@_rates(voucher="3/hour")
def test_voucher_attempts_are_limited_per_client_address(shop):
    # given
    client = client_for(UserFactory())

    # when
    statuses = [apply(client, f"GUESS{number}").status_code for number in range(4)]
    removed = client.delete("/api/cart/voucher")

    # then: removing is not an attempt
    assert statuses == [400, 400, 400, 429]
    assert removed.status_code == 200
