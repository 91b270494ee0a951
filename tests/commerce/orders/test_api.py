"""Placing orders, idempotency, the lifecycle and who may see what."""

import re
from decimal import Decimal

import pytest

from commerce.cart.models import CartLine
from commerce.catalogue.models import PackagePage, ProductStock
from commerce.catalogue.services.sellables import product_update
from commerce.orders.models import Order, OrderLine
from notify.models import OutboxMessage
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db


def _stock(product):
    return ProductStock.objects.get(product=product).quantity


@pytest.fixture
def shop():
    category = category_make()
    a = product_make(category, title="Apple", price="2.00", stock=10)
    b = product_make(category, title="Bread", price="3.50", stock=4)
    package = package_make(category, [(a, 2), (b, 1)], title="Breakfast", price="7.00")
    return {"a": a, "b": b, "package": package}


def test_order_from_the_cart_snapshots_lines_takes_stock_and_empties_the_cart(shop):
    customer = UserFactory()
    client = client_for(customer)
    client.post(
        "/api/cart/items", {"product": shop["a"].pk, "quantity": 3}, format="json"
    )
    client.post(
        "/api/cart/items", {"package": shop["package"].pk, "quantity": 2}, format="json"
    )

    response = client.post("/api/orders", {"shipping_address": ADDRESS}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["total"] == "20.00"
    assert [
        (line["name"], line["quantity"], line["line_total"]) for line in body["lines"]
    ] == [
        ("Apple", 3, "6.00"),
        ("Breakfast", 2, "14.00"),
    ]
    assert (_stock(shop["a"]), _stock(shop["b"])) == (10 - 3 - 4, 4 - 2)
    assert not CartLine.objects.exists()
    assert (
        OutboxMessage.objects.get(topic__startswith="order.").topic == "order.created"
    )
    assert body["events"][0]["to_status"] == "pending"


def test_insufficient_stock_is_409_naming_the_items_and_changes_nothing(shop):
    client = client_for(UserFactory())
    lines = [
        {"product": shop["a"].pk, "quantity": 1},
        {"product": shop["b"].pk, "quantity": 5},
    ]

    response = client.post(
        "/api/orders", {"lines": lines, "shipping_address": ADDRESS}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert "Bread (4 left)" in response.json()["detail"]
    # Only the product short is named; the other one's decrement is undone.
    assert response.json()["items"] == [
        {"product": shop["b"].pk, "requested": 5, "available": 4, "name": "Bread"}
    ]
    assert (_stock(shop["a"]), _stock(shop["b"])) == (10, 4)
    assert not Order.objects.exists()
    assert not OutboxMessage.objects.filter(topic__startswith="order.").exists()


def test_snapshots_survive_price_and_customization_changes(shop):
    color = customization_make("color", name="Ribbon")
    product = attach(shop["a"], color)
    client = client_for(UserFactory())
    choice = {"customization": color.pk, "value": str(color.options[0].id)}
    client.post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "customizations": [choice]}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )

    product_update(
        product=product, data={"price": Decimal("99.00")}, publish=True, user=None
    )
    from customization.services import customization_update

    customization_update(
        customization=color, data={"name": "Bow"}, publish=True, user=None
    )

    line = OrderLine.objects.get()
    assert (line.unit_price, line.price_delta, line.line_total) == (
        Decimal("2.00"),
        Decimal("1.25"),
        Decimal("3.25"),
    )
    assert line.customizations[0]["name"] == "Ribbon"


def test_idempotency_replays_the_first_response_and_refuses_a_different_body(shop):
    client = client_for(UserFactory())
    body = {"lines": [{"product": shop["a"].pk}], "shipping_address": ADDRESS}

    first = client.post("/api/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = client.post("/api/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    changed = client.post(
        "/api/orders",
        {**body, "is_gift": True},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert changed.status_code == 422
    assert Order.objects.count() == 1
    assert _stock(shop["a"]) == 9


def _place(client, product):
    return client.post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    ).json()["id"]


@pytest.mark.parametrize(
    ("path", "role", "gateway", "expected"),
    [
        (["processing"], "manager", "dummy_card", [200]),
        (
            ["processing", "shipped", "delivered"],
            "administrator",
            "dummy_card",
            [200, 200, 200],
        ),
        (
            ["processing", "shipped", "delivered"],
            "manager",
            "cash_on_delivery",
            [200, 200, 200],
        ),
        (["shipped"], "manager", "dummy_card", [409]),
        (
            ["processing", "shipped", "cancelled"],
            "manager",
            "dummy_card",
            [200, 200, 409],
        ),
        (["cancelled"], "owner", "dummy_card", [200]),
        (["processing"], "owner", "dummy_card", [403]),
        (["cancelled", "processing"], "manager", "dummy_card", [200, 409]),
        (["processing"], "manager", None, [409]),
        (["cancelled"], "manager", None, [200]),
    ],
    ids=[
        "staff_processes_case",
        "full_lifecycle_case",
        "cash_on_delivery_lifecycle_case",
        "skip_is_illegal_case",
        "no_cancel_after_shipping_case",
        "owner_cancels_pending_case",
        "owner_cannot_process_case",
        "cancelled_is_final_case",
        "unpaid_cannot_process_case",
        "unpaid_can_be_cancelled_case",
    ],
)
def test_transitions(shop, path, role, gateway, expected):
    owner = UserFactory()
    order_id = _place(client_for(owner), shop["a"])
    if gateway:
        order_pay(client_for(owner), order_id, gateway)
    actor = owner if role == "owner" else UserFactory(role=role)
    client = client_for(actor)

    statuses = [
        client.patch(
            f"/api/orders/{order_id}", {"status": target}, format="json"
        ).status_code
        for target in path
    ]

    assert statuses == expected


def test_cancelling_restocks_exactly_and_records_events(shop):
    owner = UserFactory()
    client = client_for(owner)
    order_id = client.post(
        "/api/orders",
        {
            "lines": [{"package": shop["package"].pk, "quantity": 2}],
            "shipping_address": ADDRESS,
        },
        format="json",
    ).json()["id"]
    assert (_stock(shop["a"]), _stock(shop["b"])) == (6, 2)

    response = client.put(
        f"/api/orders/{order_id}",
        {"status": "cancelled", "note": "changed my mind"},
        format="json",
    )

    assert (_stock(shop["a"]), _stock(shop["b"])) == (10, 4)
    events = response.json()["events"]
    assert [(e["from_status"], e["to_status"], e["note"]) for e in events] == [
        ("", "pending", ""),
        ("pending", "cancelled", "changed my mind"),
    ]
    assert list(
        OutboxMessage.objects.filter(topic__startswith="order.").values_list(
            "topic", flat=True
        )
    ) == [
        "order.created",
        "order.status_changed",
    ]


def test_customers_never_see_or_touch_each_others_orders(shop):
    alice, bob = UserFactory(), UserFactory()
    order_id = _place(client_for(alice), shop["a"])
    bob_client = client_for(bob)

    assert bob_client.get(f"/api/orders/{order_id}").status_code == 404
    assert (
        bob_client.patch(
            f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
        ).status_code
        == 404
    )
    assert bob_client.get("/api/orders").json()["count"] == 0
    assert (
        client_for(UserFactory(role="manager")).get("/api/orders").json()["count"] == 1
    )


# Token lookup and user, count, orders, then one prefetch each for lines, events
# and payments, and one for the lines' gallery images: the same for any page size.
ORDER_LIST_QUERIES = 8


@pytest.mark.parametrize("page_size", [2, 6])
def test_order_list_query_count_is_pinned_for_any_page_size(
    shop, django_assert_num_queries, page_size
):
    client = client_for(UserFactory())
    for _ in range(6):
        _place(client, shop["a"])

    with django_assert_num_queries(ORDER_LIST_QUERIES):
        response = client.get("/api/orders", {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


def test_a_product_in_an_open_order_is_unpublished_not_deleted(shop):
    customer_client = client_for(UserFactory())
    lonely = product_make(category_make(), title="Candle", stock=3)
    order_id = _place(customer_client, lonely)

    refused = client_for(UserFactory(role="manager")).delete(
        f"/api/products/{lonely.pk}"
    )
    forced = client_for(UserFactory(role="administrator")).delete(
        f"/api/products/{lonely.pk}?force=true"
    )

    assert refused.status_code == 409
    assert "open order" in refused.json()["detail"]
    assert forced.json() == {"result": "unpublished"}
    assert OrderLine.objects.get(order_id=order_id).product_id == lonely.pk


def test_a_product_only_in_finished_orders_can_be_deleted(shop):
    lonely = product_make(category_make(), title="Candle", stock=3)
    order_id = _place(client_for(UserFactory()), lonely)
    client_for(UserFactory(role="manager")).patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    response = client_for(UserFactory(role="manager")).delete(
        f"/api/products/{lonely.pk}"
    )

    assert response.status_code == 204
    line = OrderLine.objects.get(order_id=order_id)
    assert (line.product_id, line.name) == (None, "Candle")


def test_a_package_in_an_open_order_is_unpublished_not_deleted(shop):
    order = client_for(UserFactory()).post(
        "/api/orders",
        {"lines": [{"package": shop["package"].pk}], "shipping_address": ADDRESS},
        format="json",
    )
    package_id = shop["package"].pk

    refused = client_for(UserFactory(role="manager")).delete(
        f"/api/packages/{package_id}"
    )
    forced = client_for(UserFactory(role="administrator")).delete(
        f"/api/packages/{package_id}?force=true"
    )

    assert refused.status_code == 409
    assert "open order" in refused.json()["detail"]
    assert forced.json() == {"result": "unpublished"}
    line = OrderLine.objects.get(order_id=order.json()["id"])
    assert line.package_id == package_id
    assert not PackagePage.objects.get(pk=package_id).live


def test_a_package_only_in_finished_orders_can_be_deleted(shop):
    order_id = (
        client_for(UserFactory())
        .post(
            "/api/orders",
            {"lines": [{"package": shop["package"].pk}], "shipping_address": ADDRESS},
            format="json",
        )
        .json()["id"]
    )
    manager = client_for(UserFactory(role="manager"))
    manager.patch(f"/api/orders/{order_id}", {"status": "cancelled"}, format="json")

    response = manager.delete(f"/api/packages/{shop['package'].pk}")

    assert response.status_code == 204
    line = OrderLine.objects.get(order_id=order_id)
    assert (line.package_id, line.name) == (None, "Breakfast")


# Token, item (with its first gallery image), whether the shop has shipping methods,
# the stock locked and taken in one statement, tax rates, order insert (numbered in
# it), line, event, outbox row, and the savepoints around them. The response is
# answered from memory; the catalogue cache's stock records are written after the
# commit (which a test transaction never reaches).
ORDER_PLACE_QUERIES = 11


def test_placing_an_order_takes_a_pinned_number_of_queries(
    shop, django_assert_num_queries
):
    client = client_for(UserFactory())
    body = {"lines": [{"product": shop["a"].pk}], "shipping_address": ADDRESS}

    with django_assert_num_queries(ORDER_PLACE_QUERIES):
        response = client.post("/api/orders", body, format="json")

    assert response.status_code == 201


def test_each_order_is_numbered_in_its_insert_and_answers_its_number(shop):
    client = client_for(UserFactory())
    body = {"lines": [{"product": shop["a"].pk}], "shipping_address": ADDRESS}

    first = client.post("/api/orders", body, format="json").json()
    second = client.post("/api/orders", body, format="json").json()

    numbers = [first["number"], second["number"]]
    assert all(re.fullmatch(r"FNT-\d{8,}", number) for number in numbers)
    assert len(set(numbers)) == 2
    assert (
        list(
            Order.objects.filter(pk__in=[first["id"], second["id"]])
            .order_by("pk")
            .values_list("number", flat=True)
        )
        == numbers
    )
