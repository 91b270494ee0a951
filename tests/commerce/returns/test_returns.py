"""Returns: the window, lines and quantities, approve/reject/receive, refund and restock."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from commerce.catalogue.models import ProductStock
from commerce.enums import OrderStatus, PaymentStatus, ReturnStatus
from commerce.orders.models import Order, OrderEvent, PaymentTransaction
from commerce.returns.models import ReturnRequest
from commerce.returns.services import orders_return_window_complete
from commerce.tasks import orders_return_window_complete_task
from notify.models import Notification, OutboxMessage
from tests.commerce.factories import OrderFactory, UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.returns.conftest import DELIVERED_AT, lines_of
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

WITHIN = DELIVERED_AT + timedelta(days=3)
LAST_MOMENT = DELIVERED_AT + timedelta(days=14)
AFTER = DELIVERED_AT + timedelta(days=14, seconds=1)


def _ask(customer, order, body):
    return client_for(customer).post(
        f"/api/orders/{order.pk}/returns", body, format="json"
    )


def _stock(product) -> int:
    return ProductStock.objects.get(pk=product.pk).quantity


def _staff(manager, return_id, step, body=None):
    return client_for(manager).post(
        f"/api/admin/returns/{return_id}/{step}", body or {}, format="json"
    )


@time_machine.travel(WITHIN, tick=False)
def test_a_customer_returns_the_whole_order_within_the_window(delivered, customer):
    # when
    response = _ask(customer, delivered, {"reason": "Not hungry any more."})

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    lines = lines_of(delivered)
    assert body["status"] == "requested"
    assert body["order"] == delivered.pk
    assert body["reason"] == "Not hungry any more."
    assert [(line["line"], line["quantity"]) for line in body["lines"]] == [
        (lines["Apple"], 3),
        (lines["Breakfast"], 1),
    ]
    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.RETURN_REQUESTED
    event = OrderEvent.objects.filter(order=delivered).last()
    assert (event.from_status, event.to_status, event.actor) == (
        "delivered",
        "return_requested",
        customer,
    )
    assert event.note == f"Return {body['id']} requested: Not hungry any more."


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(LAST_MOMENT, 201), (AFTER, 400)],
    ids=["last_moment_case", "one_second_late_case"],
)
def test_the_window_is_counted_from_delivery(delivered, customer, moment, expected):
    # given
    outbox_before = OutboxMessage.objects.count()

    # when
    with time_machine.travel(moment, tick=False):
        response = _ask(customer, delivered, {"reason": "Too late?"})

    # then
    assert response.status_code == expected, response.content
    if expected == 400:
        assert response.json()["errors"] == {
            "order": [
                "The return window of 14 days after delivery closed on "
                "2026-06-15 12:00 UTC."
            ]
        }
        assert not ReturnRequest.objects.exists()
        assert OutboxMessage.objects.count() == outbox_before
        assert Order.objects.get(pk=delivered.pk).status == "delivered"


@time_machine.travel(WITHIN, tick=False)
def test_the_window_follows_the_setting(delivered, customer, settings):
    settings.RETURN_WINDOW_DAYS = 2

    response = _ask(customer, delivered, {"reason": "Too late"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["order"]


@time_machine.travel(WITHIN, tick=False)
@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"line": "Apple", "quantity": 4}], ["Line {Apple}: only 3 can be returned."]),
        (
            [{"line": "Apple", "quantity": 1}, {"line": "Apple", "quantity": 1}],
            ["Line {Apple} is given twice."],
        ),
        (
            [{"line": 999999, "quantity": 1}],
            ["Line 999999 is not a line of this order."],
        ),
    ],
    ids=["too_many_case", "twice_case", "foreign_line_case"],
)
def test_bad_lines_are_named(delivered, customer, lines, errors):
    ids = lines_of(delivered)
    body_lines = [
        {**line, "line": ids.get(line["line"], line["line"])} for line in lines
    ]

    response = _ask(customer, delivered, {"reason": "x", "lines": body_lines})

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "lines": [error.format(**ids) for error in errors]
    }
    assert not ReturnRequest.objects.exists()


@time_machine.travel(WITHIN, tick=False)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x", "lines": []}, "lines"),
        ({"reason": "x", "lines": [{"line": 1, "quantity": 0}]}, "lines"),
        ({"reason": "x", "lines": [{"line": "a", "quantity": 1}]}, "lines"),
        ({"reason": "x", "lines": "all"}, "lines"),
    ],
    ids=["no_reason", "blank_reason", "empty_lines", "zero", "not_id", "not_list"],
)
def test_malformed_requests_are_400(delivered, customer, body, field):
    response = _ask(customer, delivered, body)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


@time_machine.travel(WITHIN, tick=False)
def test_only_a_delivered_order_without_an_open_return_can_be_returned(
    delivered, customer
):
    # given: an open return
    assert _ask(customer, delivered, {"reason": "first"}).status_code == 201

    # when
    again = _ask(customer, delivered, {"reason": "second"})
    Order.objects.filter(pk=delivered.pk).update(status="shipped")
    shipped = _ask(customer, delivered, {"reason": "not yet"})

    # then
    assert again.status_code == 409
    assert again.json()["code"] == "return_not_allowed"
    assert again.json()["detail"] == "The order already has an open return."
    assert shipped.status_code == 409
    assert shipped.json()["detail"] == (
        "Only a delivered order can be returned; this one is shipped."
    )
    assert ReturnRequest.objects.count() == 1


@time_machine.travel(WITHIN, tick=False)
def test_receiving_a_partial_return_refunds_its_lines_and_restocks_them(
    delivered, customer, manager, catalogue
):
    # given: two of the three apples, approved
    apple_line = lines_of(delivered)["Apple"]
    asked = _ask(
        customer,
        delivered,
        {"reason": "Bruised", "lines": [{"line": apple_line, "quantity": 2}]},
    ).json()
    assert (
        _staff(manager, asked["id"], "approve", {"note": "Send them"}).status_code
        == 200
    )
    assert Order.objects.get(pk=delivered.pk).status == "return_requested"
    assert (_stock(catalogue["apple"]), _stock(catalogue["bread"])) == (5, 9)

    # when
    response = _staff(manager, asked["id"], "receive")

    # then: 2 × 2.00 back through the card gateway, 2 apples back on the shelf
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "received"
    assert response.json()["refund_amount"] == "4.00"
    assert response.json()["decided_by"] == {"id": manager.pk, "email": manager.email}
    refund = PaymentTransaction.objects.get(order=delivered, action="refund")
    assert (refund.amount, refund.succeeded, refund.gateway) == (
        Decimal("4.00"),
        True,
        "dummy_card",
    )
    order = Order.objects.get(pk=delivered.pk)
    assert (order.status, order.payment_status) == ("returned", PaymentStatus.PAID)
    assert (_stock(catalogue["apple"]), _stock(catalogue["bread"])) == (7, 9)


@time_machine.travel(WITHIN, tick=False)
def test_the_rest_can_follow_and_then_the_order_is_refunded_in_full(
    delivered, customer, manager, catalogue
):
    # given: one apple returned and received
    lines = lines_of(delivered)
    first = _ask(
        customer,
        delivered,
        {"reason": "One", "lines": [{"line": lines["Apple"], "quantity": 1}]},
    ).json()
    _staff(manager, first["id"], "approve")
    _staff(manager, first["id"], "receive")

    # when: the rest (2 apples and the package), whole order
    rest = _ask(customer, delivered, {"reason": "The rest"})
    _staff(manager, rest.json()["id"], "approve")
    received = _staff(manager, rest.json()["id"], "receive")

    # then
    assert rest.status_code == 201, rest.content
    assert [(line["line"], line["quantity"]) for line in rest.json()["lines"]] == [
        (lines["Apple"], 2),
        (lines["Breakfast"], 1),
    ]
    assert received.json()["refund_amount"] == "11.00"
    refunds = PaymentTransaction.objects.filter(order=delivered, action="refund")
    assert [r.amount for r in refunds] == [Decimal("2.00"), Decimal("11.00")]
    order = Order.objects.get(pk=delivered.pk)
    assert (order.status, order.payment_status) == ("returned", "refunded")
    # 3 apples and the package's 2 apples and 1 bread are back.
    assert (_stock(catalogue["apple"]), _stock(catalogue["bread"])) == (10, 10)
    # Nothing is left to return.
    nothing = _ask(customer, delivered, {"reason": "More?"})
    assert nothing.status_code == 400
    assert nothing.json()["errors"] == {
        "lines": ["Every item of this order is returned or on its way."]
    }


@time_machine.travel(WITHIN, tick=False)
def test_a_rejected_return_puts_the_order_back_to_delivered(
    delivered, customer, manager
):
    asked = _ask(customer, delivered, {"reason": "Meh"}).json()

    no_reason = _staff(manager, asked["id"], "reject", {})
    response = _staff(manager, asked["id"], "reject", {"note": "Food is final."})

    assert no_reason.status_code == 400
    assert list(no_reason.json()["errors"]) == ["note"]
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["staff_note"] == "Food is final."
    assert Order.objects.get(pk=delivered.pk).status == "delivered"
    assert not PaymentTransaction.objects.filter(action="refund").exists()
    # Once rejected, nothing more can happen to it.
    for step in ("approve", "receive", "reject"):
        again = _staff(manager, asked["id"], step, {"note": "x"})
        assert again.status_code == 409, step
        assert again.json()["code"] == "return_not_allowed"


def test_a_return_rejected_after_the_window_completes_the_order(
    delivered, customer, manager
):
    with time_machine.travel(WITHIN, tick=False):
        asked = _ask(customer, delivered, {"reason": "Meh"}).json()

    with time_machine.travel(AFTER, tick=False):
        response = _staff(manager, asked["id"], "reject", {"note": "No."})

    assert response.status_code == 200
    assert Order.objects.get(pk=delivered.pk).status == "completed"


@time_machine.travel(WITHIN, tick=False)
def test_only_an_approved_return_can_be_received(delivered, customer, manager):
    asked = _ask(customer, delivered, {"reason": "Meh"}).json()

    response = _staff(manager, asked["id"], "receive")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Return {asked['id']} is requested; only an approved return can be received."
    )
    assert ReturnRequest.objects.get().status == ReturnStatus.REQUESTED


def test_the_periodic_task_completes_orders_whose_window_passed(
    delivered, customer, manager, catalogue
):
    # given: a second delivered order with a return open
    other = Order.objects.get(pk=delivered.pk)
    with time_machine.travel(WITHIN, tick=False):
        _ask(customer, delivered, {"reason": "open"})
    waiting = OrderFactory(customer=UserFactory(), status=OrderStatus.DELIVERED)

    # when: within the window nothing happens; after it, the delivered one completes
    with time_machine.travel(LAST_MOMENT, tick=False):
        assert orders_return_window_complete() == 0
    with time_machine.travel(AFTER + timedelta(days=400), tick=False):
        completed = orders_return_window_complete_task.call_local()
        again = orders_return_window_complete()

    # then
    assert completed == 1
    assert again == 0
    assert Order.objects.get(pk=other.pk).status == "return_requested"
    waiting.refresh_from_db()
    assert waiting.status == "completed"
    event = OrderEvent.objects.get(order=waiting)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "delivered",
        "completed",
        None,
        "The 14-day return window passed.",
    )


def test_every_step_tells_the_customer(delivered, customer, manager):
    outbox_drain()
    mail.outbox.clear()
    with time_machine.travel(WITHIN, tick=False):
        asked = _ask(customer, delivered, {"reason": "Bruised"}).json()
        _staff(manager, asked["id"], "approve", {"note": "Send it back."})
        _staff(manager, asked["id"], "receive")
        outbox_drain()

    number = delivered.number
    subjects = [m.subject for m in mail.outbox if m.to == [customer.email]]
    assert subjects == [
        f"Return {asked['id']} of order {number}: requested",
        f"Return {asked['id']} of order {number}: approved",
        f"Return {asked['id']} of order {number}: received and refunded",
    ]
    refunded = [m for m in mail.outbox if "refunded" in m.subject][0]
    assert "and refunded 13.00 EUR:\n3 × Apple\n1 × Breakfast\n" in refunded.body
    approved = [m for m in mail.outbox if "approved" in m.subject][0]
    assert "Note: Send it back.\n" in approved.body
    assert list(
        Notification.objects.filter(recipient=customer, event="order_return")
        .order_by("pk")
        .values_list("data__return_status", flat=True)
        .distinct()
    ) == ["requested", "approved", "received"]
    topics = list(
        OutboxMessage.objects.filter(topic="order.return_changed")
        .order_by("pk")
        .values_list("payload__return_status", flat=True)
    )
    assert topics == ["requested", "approved", "received"]
