"""Payment in the lifecycle: processing and shipping need the money paid or authorized."""

import pytest

from commerce.catalogue.models import ProductStock
from commerce.enums import OrderStatus
from commerce.exceptions import IllegalTransitionError
from commerce.orders.models import Order, OrderEvent, PaymentTransaction
from commerce.orders.services import order_transition
from commerce.payments.services import order_refund
from notify.models import OutboxMessage
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import OrderFactory, UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay

pytestmark = pytest.mark.django_db

UNPAID = (
    "The order is unpaid: it can be processed once paid or authorized for payment "
    "on delivery."
)


@pytest.fixture
def placed():
    """A pending order of 2 × 12.50, placed through the API by its customer."""
    owner = UserFactory()
    product = product_make(category_make(), title="Lamp", price="12.50", stock=5)
    response = client_for(owner).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "quantity": 2}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return {"owner": owner, "id": response.json()["id"], "product": product}


def _move(order_id, status, actor=None):
    return client_for(actor or UserFactory(role="manager")).patch(
        f"/api/orders/{order_id}", {"status": status}, format="json"
    )


def test_an_unpaid_order_cannot_be_processed(placed):
    # given
    events_before = OrderEvent.objects.count()
    outbox_before = OutboxMessage.objects.count()

    # when
    response = _move(placed["id"], "processing")

    # then
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["detail"]) == (
        "illegal_transition",
        UNPAID,
    )
    assert Order.objects.get(pk=placed["id"]).status == OrderStatus.PENDING
    assert OrderEvent.objects.count() == events_before
    assert OutboxMessage.objects.count() == outbox_before


@pytest.mark.parametrize("payment_status", ["unpaid", "refunded"])
def test_an_order_without_money_secured_cannot_be_shipped(payment_status):
    order = OrderFactory(
        status=OrderStatus.PROCESSING,
        payment_status=payment_status,
        payment_gateway="dummy_card",
    )

    with pytest.raises(IllegalTransitionError) as refused:
        order_transition(
            order_id=order.pk,
            actor=UserFactory(role="manager"),
            to_status=OrderStatus.SHIPPED,
        )

    assert str(refused.value) == UNPAID
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("processing", payment_status)


def test_a_paid_order_is_processed_and_shipped(placed):
    order_pay(client_for(placed["owner"]), placed["id"])

    processing = _move(placed["id"], "processing")
    shipped = _move(placed["id"], "shipped")

    assert (processing.status_code, shipped.status_code) == (200, 200)
    assert (shipped.json()["status"], shipped.json()["payment_status"]) == (
        "shipped",
        "paid",
    )


def test_cash_on_delivery_is_processed_shipped_and_captured_on_delivery(placed):
    # given: authorized, nothing taken yet
    order_pay(client_for(placed["owner"]), placed["id"], "cash_on_delivery")

    # when
    statuses = [
        _move(placed["id"], status).status_code
        for status in ("processing", "shipped", "delivered")
    ]

    # then
    assert statuses == [200, 200, 200]
    order = Order.objects.get(pk=placed["id"])
    assert (order.status, order.payment_status) == ("delivered", "paid")
    assert list(
        PaymentTransaction.objects.order_by("pk").values_list("action", "succeeded")
    ) == [("authorize", True), ("capture", True)]


def test_cancelling_a_paid_order_still_refunds_it(placed):
    # given: paid by card, then processed
    order_pay(client_for(placed["owner"]), placed["id"])
    _move(placed["id"], "processing")

    # when
    response = _move(placed["id"], "cancelled")

    # then
    assert response.status_code == 200
    assert response.json()["payment_status"] == "refunded"
    assert [(p["action"], p["amount"]) for p in response.json()["payments"]] == [
        ("capture", "25.00"),
        ("refund", "25.00"),
    ]
    assert ProductStock.objects.get(product=placed["product"]).quantity == 5


def test_cancelling_an_unpaid_order_needs_no_payment(placed):
    response = _move(placed["id"], "cancelled")

    assert response.status_code == 200
    assert response.json()["payment_status"] == "unpaid"
    assert not PaymentTransaction.objects.exists()


def test_a_refund_while_processing_holds_the_order_back(placed):
    # given: paid and processing, then refunded by staff (the order stays processing)
    manager = UserFactory(role="manager")
    order_pay(client_for(placed["owner"]), placed["id"])
    _move(placed["id"], "processing", manager)
    order_refund(order_id=placed["id"], actor=manager)

    # when
    response = _move(placed["id"], "shipped", manager)

    # then
    assert response.status_code == 409
    assert response.json()["detail"] == UNPAID
    order = Order.objects.get(pk=placed["id"])
    assert (order.status, order.payment_status) == ("processing", "refunded")


@pytest.mark.parametrize(
    ("trait", "expected", "status_after"),
    [
        ({}, 409, "under_review"),
        ({"paid": True}, 200, "processing"),
        ({"authorized": True}, 200, "processing"),
    ],
    ids=["unpaid", "paid", "authorized"],
)
def test_approving_an_order_under_review_needs_the_payment(
    trait, expected, status_after
):
    order = OrderFactory(status=OrderStatus.UNDER_REVIEW, **trait)

    response = _move(order.pk, "processing")

    assert response.status_code == expected
    assert Order.objects.get(pk=order.pk).status == status_after
