"""The order lifecycle: every (from, to) pair for every role, review, and staff lists."""

import itertools
from datetime import datetime

import pytest
import time_machine

from commerce.catalogue.models import ProductStock
from commerce.enums import OrderStatus
from commerce.orders.models import Order, OrderEvent
from notify.models import OutboxMessage
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db

STATUSES = [choice.value for choice in OrderStatus]
# Written out by hand rather than read from the service, so the test checks the table.
STAFF_ALLOWED = {
    ("pending", "processing"),
    ("pending", "cancelled"),
    ("under_review", "processing"),
    ("under_review", "cancelled"),
    ("processing", "shipped"),
    ("processing", "cancelled"),
    ("shipped", "delivered"),
}
OWNER_ALLOWED = {("pending", "cancelled"), ("under_review", "cancelled")}
ROLES = ["owner", "other_customer", "manager", "administrator", "anonymous"]


def _expected(role: str, from_status: str, to_status: str) -> int:
    if role == "anonymous":
        return 401
    if role == "other_customer":
        return 404
    if role == "owner":
        if to_status != "cancelled":
            return 403
        # Cancelling is the owner's right; an order past review is a conflict.
        return 200 if (from_status, to_status) in OWNER_ALLOWED else 409
    return 200 if (from_status, to_status) in STAFF_ALLOWED else 409


def _place(client, lines) -> dict:
    response = client.post(
        "/api/orders", {"lines": lines, "shipping_address": ADDRESS}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def catalogue():
    category = category_make()
    apple = product_make(category, title="Apple", price="2.00", stock=10)
    bread = product_make(category, title="Bread", price="3.50", stock=10)
    package = package_make(
        category, [(apple, 2), (bread, 1)], title="Breakfast", price="7.00"
    )
    return {"apple": apple, "bread": bread, "package": package}


@pytest.mark.parametrize(
    ("role", "from_status", "to_status"),
    list(itertools.product(ROLES, STATUSES, STATUSES)),
)
def test_transition_table(catalogue, role, from_status, to_status):
    owner = UserFactory()
    # A package line and a product line: a cancel must return both kinds exactly.
    order = _place(
        client_for(owner),
        [
            {"package": catalogue["package"].pk, "quantity": 2},
            {"product": catalogue["bread"].pk, "quantity": 3},
        ],
    )
    # Paid, so that the payment rule never stands in the way (see the tests below).
    order_pay(client_for(owner), order["id"])
    Order.objects.filter(pk=order["id"]).update(status=from_status)
    stock_before = dict(ProductStock.objects.values_list("pk", "quantity"))
    events_before = OrderEvent.objects.count()
    outbox_before = OutboxMessage.objects.count()
    actor = {
        "owner": owner,
        "other_customer": UserFactory(),
        "manager": UserFactory(role="manager"),
        "administrator": UserFactory(role="administrator"),
        "anonymous": None,
    }[role]

    response = client_for(actor).patch(
        f"/api/orders/{order['id']}", {"status": to_status}, format="json"
    )

    expected = _expected(role, from_status, to_status)
    assert response.status_code == expected, response.content
    stock_after = dict(ProductStock.objects.values_list("pk", "quantity"))
    if expected == 200:
        assert Order.objects.get(pk=order["id"]).status == to_status
        assert OrderEvent.objects.count() == events_before + 1
        # The status change, and for a cancel the refund's payment status change.
        refunded = to_status == "cancelled"
        assert OutboxMessage.objects.count() == outbox_before + 1 + refunded
        assert Order.objects.get(pk=order["id"]).payment_status == (
            "refunded" if refunded else "paid"
        )
        event = response.json()["events"][-1]
        assert (event["from_status"], event["to_status"]) == (from_status, to_status)
        if role == "owner":
            assert event["actor"] == {"role": "you"}
        else:
            assert event["actor"] == {
                "role": "shop",
                "id": actor.pk,
                "email": actor.email,
            }
    else:
        assert response.json()["status"] == expected
        assert Order.objects.get(pk=order["id"]).status == from_status
        assert OrderEvent.objects.count() == events_before
        assert OutboxMessage.objects.count() == outbox_before
    if expected == 200 and to_status == "cancelled":
        apple, bread = catalogue["apple"].pk, catalogue["bread"].pk
        # 2 packages × (2 apples + 1 bread), plus 3 loose bread, come back exactly.
        assert stock_after[apple] == stock_before[apple] + 4
        assert stock_after[bread] == stock_before[bread] + 2 + 3
        assert stock_after[apple] == stock_after[bread] == 10
    else:
        assert stock_after == stock_before


def test_transition_input_is_validated(catalogue):
    owner = UserFactory()
    order = _place(client_for(owner), [{"product": catalogue["apple"].pk}])
    manager = client_for(UserFactory(role="manager"))

    for payload in ({}, {"status": "teleported"}, {"status": ["pending"]}, []):
        response = manager.patch(f"/api/orders/{order['id']}", payload, format="json")
        assert response.status_code == 400, payload
    missing = manager.patch("/api/orders/999999", {"status": "processing"})
    assert missing.status_code == 404


@pytest.fixture
def approval_product(catalogue):
    engraving = customization_make("text", name="Engraving", needs_approval=True)
    return attach(catalogue["apple"], engraving), engraving


def _place_for_review(client, approval_product) -> dict:
    product, engraving = approval_product
    choice = {"customization": engraving.pk, "value": "For Ada"}
    return _place(
        client,
        [{"product": product.pk, "quantity": 2, "customizations": [choice]}],
    )


def test_an_order_with_a_customization_needing_approval_waits_for_review(
    approval_product,
):
    owner = UserFactory()
    order = _place_for_review(client_for(owner), approval_product)

    assert order["status"] == "under_review"
    # The customer cannot approve it; the 403 keeps the service's explanation.
    owner_approve = client_for(owner).patch(
        f"/api/orders/{order['id']}", {"status": "processing"}, format="json"
    )
    assert owner_approve.status_code == 403
    assert owner_approve.json()["detail"] == (
        "Customers can only cancel their own pending or under-review orders."
    )
    assert owner_approve.json()["code"] == "permission_denied"


def test_a_customer_cancels_their_own_order_under_review_and_it_restocks(
    approval_product,
):
    # given
    owner = UserFactory()
    order = _place_for_review(client_for(owner), approval_product)

    # when
    response = client_for(owner).patch(
        f"/api/orders/{order['id']}", {"status": "cancelled"}, format="json"
    )

    # then
    assert response.status_code == 200
    assert [(e["from_status"], e["to_status"]) for e in response.json()["events"]] == [
        ("", "under_review"),
        ("under_review", "cancelled"),
    ]
    assert ProductStock.objects.get(pk=approval_product[0].pk).quantity == 10


def test_a_customer_cannot_cancel_someone_elses_order_under_review(approval_product):
    order = _place_for_review(client_for(UserFactory()), approval_product)

    response = client_for(UserFactory()).patch(
        f"/api/orders/{order['id']}", {"status": "cancelled"}, format="json"
    )

    assert response.status_code in (403, 404)
    assert ProductStock.objects.get(pk=approval_product[0].pk).quantity == 8


def test_a_customer_cannot_cancel_a_processing_order(approval_product):
    owner = UserFactory()
    order = _place_for_review(client_for(owner), approval_product)
    order_pay(client_for(owner), order["id"])
    client_for(UserFactory(role="manager")).patch(
        f"/api/orders/{order['id']}", {"status": "processing"}, format="json"
    )

    response = client_for(owner).patch(
        f"/api/orders/{order['id']}", {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The order is processing; only pending or under-review orders can be cancelled."
    )


def test_approving_a_reviewed_order_moves_it_to_processing(approval_product):
    owner = UserFactory()
    order = _place_for_review(client_for(owner), approval_product)
    order_pay(client_for(owner), order["id"], "cash_on_delivery")

    response = client_for(UserFactory(role="manager")).patch(
        f"/api/orders/{order['id']}",
        {"status": "processing", "note": "engraving approved"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    assert response.json()["events"][-1]["note"] == "engraving approved"
    assert ProductStock.objects.get(pk=approval_product[0].pk).quantity == 8


def test_rejecting_a_reviewed_order_cancels_it_and_restocks(approval_product):
    order = _place_for_review(client_for(UserFactory()), approval_product)
    assert ProductStock.objects.get(pk=approval_product[0].pk).quantity == 8

    response = client_for(UserFactory(role="administrator")).patch(
        f"/api/orders/{order['id']}",
        {"status": "cancelled", "note": "text not allowed"},
        format="json",
    )

    assert response.status_code == 200
    assert [(e["from_status"], e["to_status"]) for e in response.json()["events"]] == [
        ("", "under_review"),
        ("under_review", "cancelled"),
    ]
    assert ProductStock.objects.get(pk=approval_product[0].pk).quantity == 10


@pytest.fixture
def history(catalogue):
    """Orders by two customers on three days (UTC), in several statuses."""
    alice, bob = UserFactory(email="alice@example.com"), UserFactory()
    placed = {}
    plan = [
        ("a1", alice, "2026-03-01T10:00Z", [{"product": catalogue["apple"].pk}]),
        ("a2", alice, "2026-03-02T23:30Z", [{"package": catalogue["package"].pk}]),
        ("b1", bob, "2026-03-02T00:10Z", [{"product": catalogue["bread"].pk}]),
        ("b2", bob, "2026-03-05T12:00Z", [{"product": catalogue["apple"].pk}]),
    ]
    for name, customer, moment, lines in plan:
        with time_machine.travel(datetime.fromisoformat(moment), tick=False):
            placed[name] = _place(client_for(customer), lines)["id"]
    Order.objects.filter(pk=placed["b1"]).update(status="processing")
    return {"orders": placed, "alice": alice, "bob": bob}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [order["id"] for order in response.json()["results"]]


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_staff_filters_orders(history, catalogue, role):
    orders = history["orders"]
    client = client_for(UserFactory(role=role))

    assert _ids(client.get("/api/orders", {"status": "processing"})) == [orders["b1"]]
    assert set(_ids(client.get("/api/orders", {"customer": history["alice"].pk}))) == {
        orders["a1"],
        orders["a2"],
    }
    on_the_second = client.get(
        "/api/orders", {"created_from": "2026-03-02", "created_to": "2026-03-02"}
    )
    assert set(_ids(on_the_second)) == {orders["a2"], orders["b1"]}
    assert set(_ids(client.get("/api/orders", {"created_from": "2026-03-03"}))) == {
        orders["b2"]
    }
    # The product filter finds the product in packages too.
    with_apple = client.get("/api/orders", {"product": catalogue["apple"].pk})
    assert set(_ids(with_apple)) == {orders["a1"], orders["a2"], orders["b2"]}
    combined = client.get(
        "/api/orders",
        {"product": catalogue["apple"].pk, "customer": history["bob"].pk},
    )
    assert _ids(combined) == [orders["b2"]]


def test_staff_sort_orders(history):
    orders = history["orders"]
    client = client_for(UserFactory(role="manager"))

    assert _ids(client.get("/api/orders", {"sort": "oldest"})) == [
        orders["a1"],
        orders["b1"],
        orders["a2"],
        orders["b2"],
    ]
    assert _ids(client.get("/api/orders"))[0] == orders["b2"]
    by_total = client.get("/api/orders", {"sort": "-total"}).json()["results"]
    totals = [float(order["total"]) for order in by_total]
    assert totals == sorted(totals, reverse=True)


def test_a_customer_cannot_widen_the_list_with_the_customer_filter(history):
    client = client_for(history["alice"])

    response = client.get("/api/orders", {"customer": history["bob"].pk})

    assert set(_ids(response)) == {history["orders"]["a1"], history["orders"]["a2"]}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"customer": "abc"},
        {"customer": "-1"},
        {"created_from": "yesterday"},
        {"created_to": "2026-02-30"},
        {"product": "1 OR 1=1"},
        {"sort": "random()"},
        {"page": "0"},
    ],
)
def test_bad_list_filters_are_400_or_404_never_500(history, params):
    response = client_for(UserFactory(role="manager")).get("/api/orders", params)

    assert response.status_code in {400, 404}, response.content
    assert response.json()["status"] == response.status_code
