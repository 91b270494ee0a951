"""Vouchers at placement: checked again under the row lock, counted, given back."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from commerce.catalogue.models import ProductStock
from commerce.orders.models import Order, OrderLine
from commerce.vouchers.enums import VoucherKind
from commerce.vouchers.models import Voucher, VoucherUsage
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.vouchers.conftest import apply, cart_ready

pytestmark = pytest.mark.django_db


def guest_client(email):
    client = client_for(None)
    token = client.post("/api/cart").json()["token"]
    client.credentials(HTTP_X_CART_TOKEN=token)
    client.put("/api/cart/email", {"email": email}, format="json")
    return client


def test_the_order_keeps_the_code_and_the_discount_per_line_and_counts_the_use(shop):
    # given
    voucher = Voucher.objects.create(code="TENOFF", kind=VoucherKind.FIXED, value=10)
    customer = UserFactory(email="ada@example.com")
    client = client_for(customer)
    cart_ready(client, shop)
    apply(client, "tenoff")

    # when
    response = client.post("/api/checkout/complete", {}, format="json")

    # then: as the cart showed it (see the cart's pro-rata test)
    assert response.status_code == 201, response.content
    order = response.json()
    assert {
        key: order[key]
        for key in ("subtotal", "shipping", "discount", "tax", "total", "voucher_code")
    } == {
        "subtotal": "89.90",
        "shipping": "4.90",
        "discount": "10.00",
        "tax": "13.54",
        "total": "84.80",
        "voucher_code": "TENOFF",
    }
    assert [(line["discount"], line["gross"]) for line in order["lines"]] == [
        ("5.55", "44.35"),
        ("4.45", "35.55"),
    ]
    usage = VoucherUsage.objects.get()
    assert (usage.voucher_id, usage.order_id, usage.customer, usage.email) == (
        voucher.pk,
        order["id"],
        customer,
        "ada@example.com",
    )
    voucher.refresh_from_db()
    assert voucher.uses == 1
    # The used voucher leaves the customer's cart.
    assert client.get("/api/cart").json()["voucher"] is None


def test_a_used_up_voucher_at_placement_is_409_and_nothing_changes(shop):
    # given: two carts hold the one remaining use
    Voucher.objects.create(code="LAST", value=10, usage_limit=1)
    first, second = client_for(UserFactory()), client_for(UserFactory())
    for client in (first, second):
        cart_ready(client, shop)
        assert apply(client, "LAST").status_code == 200
    assert first.post("/api/checkout/complete", {}, format="json").status_code == 201

    # when
    response = second.post("/api/checkout/complete", {}, format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {
        "type": "https://fantasize.dev/errors/voucher_not_applicable",
        "title": "Voucher not applicable",
        "status": 409,
        "detail": "The voucher LAST no longer applies: This voucher has been used "
        "up. Remove it (DELETE …/voucher) or change the cart, then try again.",
        "code": "voucher_not_applicable",
        "voucher": "LAST",
        "reason": "This voucher has been used up.",
    }
    assert Order.objects.count() == 1
    assert VoucherUsage.objects.count() == 1
    assert Voucher.objects.get().uses == 1
    assert ProductStock.objects.get(product=shop["lamp"]).quantity == 4
    assert len(second.get("/api/cart").json()["lines"]) == 2


def test_an_expired_voucher_at_placement_is_409_with_the_reason(shop):
    # given
    Voucher.objects.create(
        code="SPRING", value=10, ends_at=datetime(2030, 4, 1, tzinfo=UTC)
    )
    customer = UserFactory()
    with time_machine.travel(datetime(2030, 3, 31, tzinfo=UTC)):
        client = client_for(customer)
        cart_ready(client, shop)
        assert apply(client, "SPRING").status_code == 200

    # when
    with time_machine.travel(datetime(2030, 4, 2, tzinfo=UTC)):
        response = client_for(customer).post(
            "/api/checkout/complete", {}, format="json"
        )

    # then
    assert response.status_code == 409
    assert response.json()["reason"] == "This voucher has expired."
    assert Order.objects.count() == 0


def test_the_per_customer_limit_counts_guests_by_their_email(shop):
    # given: one use per customer; a guest used it as Ada@example.com
    Voucher.objects.create(code="ONCE", value=10, usage_limit_per_customer=1)
    first = guest_client("Ada@example.com")
    cart_ready(first, shop)
    apply(first, "ONCE")
    assert first.post("/api/checkout/complete", {}, format="json").status_code == 201
    again = guest_client("ada@EXAMPLE.com")
    cart_ready(again, shop)
    shown = apply(again, "ONCE").json()
    other = guest_client("grace@example.com")
    cart_ready(other, shop)
    apply(other, "ONCE")

    # when
    refused = again.post("/api/checkout/complete", {}, format="json")
    placed = other.post("/api/checkout/complete", {}, format="json")

    # then
    assert shown["problems"] == {
        "voucher": "You have already used this voucher as often as it allows."
    }
    assert refused.status_code == 409
    assert refused.json()["reason"] == (
        "You have already used this voucher as often as it allows."
    )
    assert placed.status_code == 201
    assert Voucher.objects.get().uses == 2


def test_the_minimum_order_value_is_checked_again_at_placement(shop):
    # given: below the minimum, which the cart shows; placing it anyway
    Voucher.objects.create(code="BIG", value=10, min_order_value=Decimal("80.00"))
    client = client_for(UserFactory())
    cart_ready(client, shop)
    client.delete(f"/api/cart/items/{client.get('/api/cart').json()['lines'][1]['id']}")
    cart = apply(client, "BIG").json()
    assert cart["problems"] == {
        "voucher": "Spend at least 80.00 EUR (before the discount) to use this voucher."
    }

    # when
    response = client.post("/api/checkout/complete", {}, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "voucher_not_applicable"
    assert Order.objects.count() == 0


def test_cancelling_the_order_gives_the_use_back(shop):
    # given
    voucher = Voucher.objects.create(code="LAST", value=10, usage_limit=1)
    client = client_for(UserFactory())
    cart_ready(client, shop)
    apply(client, "LAST")
    order_id = client.post("/api/checkout/complete", {}, format="json").json()["id"]

    # when
    response = client.patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    # then: the order keeps what it was sold at; the voucher can be used again
    assert response.status_code == 200, response.content
    assert (response.json()["voucher_code"], response.json()["discount"]) == (
        "LAST",
        "8.99",
    )
    voucher.refresh_from_db()
    assert voucher.uses == 0
    assert VoucherUsage.objects.count() == 0
    cart_ready(client, shop)
    assert apply(client, "LAST").json()["discount"] == "8.99"


def test_an_order_of_explicit_lines_takes_no_voucher(shop):
    # given: the customer's cart has a voucher, the order names its own lines
    Voucher.objects.create(code="WELCOME10", value=10)
    client = client_for(UserFactory())
    cart_ready(client, shop)
    apply(client, "WELCOME10")

    # when
    response = client.post(
        "/api/orders",
        {
            "lines": [{"product": shop["vase"].pk}],
            "shipping_method": shop["standard"].pk,
            "shipping_address": {
                "name": "Ada",
                "line1": "1 Road",
                "city": "Berlin",
                "postal_code": "10115",
                "country": "DE",
            },
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.content
    assert (response.json()["discount"], response.json()["voucher_code"]) == (
        "0.00",
        "",
    )
    assert OrderLine.objects.get().discount == Decimal("0.00")
    assert Voucher.objects.get().uses == 0


# The checkout of test_checkout_queries (13) plus the voucher: its row locked, its
# products and categories, the usage inserted and the uses counted, and the
# customer cart's voucher cleared.
VOUCHER_CHECKOUT_QUERIES = 19


def test_completing_a_checkout_with_a_voucher_takes_a_pinned_number_of_queries(
    shop, django_assert_num_queries
):
    # given
    Voucher.objects.create(code="WELCOME10", value=10)
    client = client_for(UserFactory())
    cart_ready(client, shop)
    apply(client, "WELCOME10")

    # when
    with django_assert_num_queries(VOUCHER_CHECKOUT_QUERIES):
        response = client.post("/api/checkout/complete", {}, format="json")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["discount"] == "8.99"


def test_the_admin_order_page_shows_the_voucher_and_its_discount(shop, client, manager):
    # given
    Voucher.objects.create(code="TENOFF", kind=VoucherKind.FIXED, value=10)
    customer = client_for(UserFactory())
    cart_ready(customer, shop)
    apply(customer, "TENOFF")
    order_id = customer.post("/api/checkout/complete", {}, format="json").json()["id"]
    client.force_login(manager)

    # when
    response = client.get(f"/admin/commerce/order/inspect/{order_id}/")

    # then
    assert response.status_code == 200
    assert "−10.00 EUR (voucher TENOFF)" in response.content.decode()
