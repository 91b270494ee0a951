"""Reads of returns: an order's returns, the staff list, the window and what is left."""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from commerce.enums import OrderStatus, ReturnStatus
from commerce.exceptions import CatalogueNotFoundError
from commerce.orders.models import Order, OrderEvent
from commerce.returns.models import ReturnLine, ReturnRequest

# Units in these returns are no longer returnable: asked for, coming or back.
COUNTED_RETURN_STATUSES = (
    ReturnStatus.REQUESTED,
    ReturnStatus.APPROVED,
    ReturnStatus.RECEIVED,
)


def return_queryset() -> QuerySet[ReturnRequest]:
    """Returns with their order, people and lines in a constant number of queries."""
    return ReturnRequest.objects.select_related(
        "order", "customer", "decided_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=ReturnLine.objects.select_related("order_line").order_by("pk"),
        )
    )


def return_list_for_order(*, order_id: int) -> QuerySet[ReturnRequest]:
    return return_queryset().filter(order_id=order_id).order_by("-created_at", "-pk")


def return_list(*, filters: dict[str, Any]) -> QuerySet[ReturnRequest]:
    """Every return for staff, newest first; ``status`` and ``order`` filter."""
    queryset = return_queryset()
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("order"):
        queryset = queryset.filter(order_id=filters["order"])
    return queryset.order_by("-created_at", "-pk")


def return_get(*, return_id: int) -> ReturnRequest:
    found = return_queryset().filter(pk=return_id).first()
    if found is None:
        raise CatalogueNotFoundError("No such return.")
    return found


def order_delivered_at(*, order: Order) -> datetime | None:
    """When the order was first delivered (its first event to delivered)."""
    return (
        OrderEvent.objects.filter(order=order, to_status=OrderStatus.DELIVERED)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)
        .first()
    )


def return_window_end(*, delivered_at: datetime) -> datetime:
    return delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS)


def order_returnable_quantities(*, order: Order) -> dict[int, int]:
    """Units of each line (by pk) not yet in a requested, approved or received return."""
    taken: defaultdict[int, int] = defaultdict(int)
    for line_id, quantity in ReturnLine.objects.filter(
        order_line__order=order, return_request__status__in=COUNTED_RETURN_STATUSES
    ).values_list("order_line_id", "quantity"):
        taken[line_id] += quantity
    return {
        line.pk: line.quantity - taken[line.pk] for line in order.lines.order_by("pk")
    }


def orders_return_window_passed(*, now: datetime) -> QuerySet[Order]:
    """Delivered orders whose return window ended before ``now``.

    The window runs from the first delivery event; an order without one (made
    outside the lifecycle) counts from its placement.
    """
    cutoff = now - timedelta(days=settings.RETURN_WINDOW_DAYS)
    return (
        Order.objects.filter(status=OrderStatus.DELIVERED)
        .annotate(
            delivered_at=Coalesce(
                Min(
                    "events__created_at",
                    filter=Q(events__to_status=OrderStatus.DELIVERED),
                ),
                "created_at",
            )
        )
        .filter(delivered_at__lt=cutoff)
        .order_by("pk")
    )


def return_email_context(*, return_id: int) -> dict[str, Any] | None:
    """The ``order_return`` of a return email's context; None when it is gone.

    Its keys are those of ``notify.defaults.SAMPLE_CONTEXTS["order_return"]``: id,
    status, status_label, reason, note, refund_amount and lines (name, sku, quantity).
    """
    found = return_queryset().filter(pk=return_id).first()
    if found is None:
        return None
    return {
        "id": found.pk,
        "status": found.status,
        "status_label": ReturnStatus(found.status).label.lower(),
        "reason": found.reason,
        "note": found.staff_note,
        "refund_amount": str(found.refund_amount),
        "lines": [
            {
                "name": line.order_line.name,
                "sku": line.order_line.sku,
                "quantity": line.quantity,
            }
            for line in found.lines.all()
        ],
    }
