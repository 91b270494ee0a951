"""Demo returns for ``seed_catalogue``: one of every step, and completed orders.

Of the demo customers' delivered orders, the most recent (paid ones first) are
given a delivery within the return window and then: a return received and refunded,
an approved one, a requested one, and a rejected one (back to delivered). The other
delivered orders were delivered long ago, so the completion task marks them
completed, as it would hourly.
"""

from datetime import timedelta

from django.utils import timezone

from commerce.accounts.models import User
from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.models import Order, OrderEvent
from commerce.returns.services import (
    RequestedReturnLine,
    orders_return_window_complete,
    return_approve,
    return_receive,
    return_reject,
    return_request_create,
)

SCENARIOS = ("received", "approved", "requested", "rejected")


def _delivered_recently(order: Order, days_ago: int) -> None:
    delivered = timezone.now() - timedelta(days=days_ago)
    OrderEvent.objects.filter(order=order, to_status=OrderStatus.DELIVERED).update(
        created_at=delivered
    )


def demo_returns_seed(*, manager: User) -> int:
    """Returns for the demo orders; answers how many orders were completed."""
    candidates = sorted(
        Order.objects.filter(
            status=OrderStatus.DELIVERED, customer__isnull=False
        ).select_related("customer"),
        key=lambda order: (order.payment_status != PaymentStatus.PAID, -order.pk),
    )
    # The most recent delivered order stays delivered, within its window, untouched.
    untouched = max(candidates, key=lambda order: order.pk, default=None)
    if untouched is not None:
        candidates.remove(untouched)
        _delivered_recently(untouched, days_ago=1)
    for days_ago, (scenario, order) in enumerate(
        zip(SCENARIOS, candidates, strict=False), start=2
    ):
        _delivered_recently(order, days_ago=days_ago)
        customer = order.customer
        assert customer is not None  # noqa: S101 - filtered above
        first_line = order.lines.order_by("pk").first()
        partial = scenario == "received" and first_line is not None
        asked = return_request_create(
            order_id=order.pk,
            customer=customer,
            reason={
                "received": "The colour is not what the photo showed.",
                "approved": "It arrived damaged.",
                "requested": "Ordered the wrong size.",
                "rejected": "Changed my mind about the engraving.",
            }[scenario],
            lines=[RequestedReturnLine(first_line.pk, 1)]
            if partial and first_line is not None
            else None,
        )
        if scenario in ("received", "approved"):
            return_approve(
                return_id=asked.pk,
                actor=manager,
                note="Please send it back with the return label in the box.",
            )
        if scenario == "received":
            return_receive(return_id=asked.pk, actor=manager)
        if scenario == "rejected":
            return_reject(
                return_id=asked.pk,
                actor=manager,
                note="Personalised items cannot be returned unless faulty.",
            )
    return orders_return_window_complete()
