"""Order placement under real concurrency (threads against PostgreSQL)."""

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from commerce.catalogue.models import ProductStock
from commerce.orders.models import Order, OrderLine, PaymentTransaction
from commerce.shipping.models import ShippingMethod
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = [
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL",
    ),
]

WORKERS = 24


def _run(calls):
    def call(function):
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(call, calls))


def test_200_single_unit_orders_for_50_units_sell_exactly_50():
    # given
    product = product_make(category_make(), stock=50)
    clients = [client_for(UserFactory()) for _ in range(200)]
    body = {"lines": [{"product": product.pk}], "shipping_address": ADDRESS}

    # when
    responses = _run(
        [
            lambda c=c: c.post("/api/orders", body, format="json").status_code
            for c in clients
        ]
    )

    # then
    assert Counter(responses) == {201: 50, 409: 150}
    assert Order.objects.count() == 50
    assert ProductStock.objects.get(product=product).quantity == 0


def test_overlapping_multi_line_orders_never_deadlock_or_oversell():
    # given
    category = category_make()
    products = [product_make(category, stock=30) for _ in range(5)]
    rng = random.Random(3)
    clients = [client_for(UserFactory()) for _ in range(20)]
    bodies = []
    for _ in range(20):
        chosen = rng.sample(products, k=3)
        rng.shuffle(chosen)
        lines = [{"product": p.pk, "quantity": rng.randint(1, 4)} for p in chosen]
        bodies.append({"lines": lines, "shipping_address": ADDRESS})

    # when
    responses = _run(
        [
            lambda c=c, b=b: c.post("/api/orders", b, format="json").status_code
            for c, b in zip(clients, bodies, strict=True)
        ]
    )

    # then
    assert set(responses) <= {201, 409}
    for product in products:
        remaining = ProductStock.objects.get(product=product).quantity
        ordered = sum(
            OrderLine.objects.filter(product=product).values_list("quantity", flat=True)
        )
        assert remaining >= 0
        assert remaining + ordered == 30


def test_the_same_idempotency_key_ten_times_at_once_makes_one_order():
    # given
    product = product_make(category_make(), stock=100)
    customer = UserFactory()
    clients = [client_for(customer) for _ in range(10)]
    body = {"lines": [{"product": product.pk}], "shipping_address": ADDRESS}

    # when
    responses = _run(
        [
            lambda c=c: c.post(
                "/api/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
            for c in clients
        ]
    )

    # then
    assert [response.status_code for response in responses] == [201] * 10
    assert len({response.content for response in responses}) == 1
    assert Order.objects.count() == 1
    assert ProductStock.objects.get(product=product).quantity == 99


def test_concurrent_payments_of_one_order_take_the_money_once():
    # given
    product = product_make(category_make(), stock=5)
    owner = UserFactory()
    client = client_for(owner)
    order_id = client.post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    ).json()["id"]
    body = {"gateway": "dummy_card", "card_number": "4242424242424242"}
    payers = [client_for(owner) for _ in range(10)]

    # when
    responses = _run(
        [
            lambda c=c: (
                c.post(f"/api/orders/{order_id}/pay", body, format="json").status_code
            )
            for c in payers
        ]
    )

    # then
    assert Counter(responses) == {200: 1, 409: 9}
    assert PaymentTransaction.objects.filter(succeeded=True).count() == 1
    assert Order.objects.get(pk=order_id).payment_status == "paid"


def test_a_customer_losing_a_concurrent_cancel_race_gets_409():
    # given: one pending order, cancelled by its customer from eight sessions at once
    product = product_make(category_make(), stock=5)
    customer = UserFactory()
    placed = client_for(customer).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "quantity": 2}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )
    assert placed.status_code == 201, placed.content
    order_id = placed.json()["id"]
    clients = [client_for(customer) for _ in range(8)]

    # when
    responses = _run(
        [
            lambda client=client: client.patch(
                f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
            )
            for client in clients
        ]
    )

    # then: one cancel wins, the others conflict with it; the stock came back once
    assert Counter(response.status_code for response in responses) == {200: 1, 409: 7}
    assert {
        response.json()["code"] for response in responses if response.status_code == 409
    } == {"illegal_transition"}
    assert Order.objects.get(pk=order_id).status == "cancelled"
    assert ProductStock.objects.get(product=product).quantity == 5


def test_200_concurrent_guest_and_customer_checkouts_for_50_units_sell_exactly_50():
    # given: 100 guests and 100 customers, each with one unit in a checked-out cart
    product = product_make(category_make(), stock=50)
    method = ShippingMethod.objects.create(name="Standard", price=Decimal("4.90"))
    address = {
        "name": "Ada",
        "street_address_1": "1 Road",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    }
    checkouts = []
    for index in range(200):
        if index % 2:
            client = client_for(None)
            token = client.post("/api/cart").json()["token"]
            client.credentials(HTTP_X_CART_TOKEN=token)
            client.put("/api/cart/email", {"email": f"g{index}@example.com"})
        else:
            client = client_for(UserFactory())
        client.post("/api/cart/items", {"product": product.pk}, format="json")
        client.put("/api/cart/shipping-address", address, format="json")
        client.put("/api/cart/shipping-method", {"shipping_method": method.pk})
        checkouts.append(client)

    # when
    responses = _run(
        [
            lambda c=c: c.post("/api/checkout/complete", {}, format="json").status_code
            for c in checkouts
        ]
    )

    # then
    assert Counter(responses) == {201: 50, 409: 150}
    assert Order.objects.count() == 50
    assert OrderLine.objects.count() == 50
    assert ProductStock.objects.get(product=product).quantity == 0
    assert ProductStock.objects.get(product=product).units_sold == 50
