"""Returns through their steps: requested, approved or rejected, received and refunded.

Every step locks the order row first (then the return), records an order event, an
audit log entry on the order and an OrderReturnChanged event (the customer's
notification and the webhooks); moves of the order's status also record
OrderStatusChanged, whose notification the return's own replaces.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.catalogue.services.stock import stock_units_return
from commerce.enums import OrderStatus, ReturnStatus
from commerce.events import OrderReturnChanged, record
from commerce.exceptions import CatalogueNotFoundError, ReturnNotAllowedError
from commerce.orders.models import Order, OrderEvent, OrderLine
from commerce.orders.services import order_event_payload, order_status_move
from commerce.payments.services import order_payment_refund_partial
from commerce.returns.models import ReturnLine, ReturnRequest
from commerce.returns.selectors import (
    order_delivered_at,
    order_returnable_quantities,
    orders_return_window_passed,
    return_window_end,
)

CENTS = Decimal("0.01")
RETURNABLE_ORDER_STATUSES = (OrderStatus.DELIVERED, OrderStatus.RETURNED)
NOTE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 1000
DECIDE_PERMISSION = "commerce.change_returnrequest"


@dataclass(frozen=True)
class RequestedReturnLine:
    line_id: int
    quantity: int


def _return_changed_record(*, order: Order, return_request: ReturnRequest) -> None:
    record(
        OrderReturnChanged(
            **order_event_payload(order),
            return_id=return_request.pk,
            return_status=return_request.status,
            reason=return_request.reason,
            note=return_request.staff_note,
            refund_amount=str(return_request.refund_amount.quantize(CENTS)),
        )
    )


def _window_end(order: Order) -> datetime:
    delivered_at = order_delivered_at(order=order) or order.created_at
    return return_window_end(delivered_at=delivered_at)


def _lines_wanted(
    *, order: Order, lines: list[RequestedReturnLine] | None
) -> dict[int, int]:
    """The units to return per order line; whole order when ``lines`` is None."""
    remaining = order_returnable_quantities(order=order)
    if lines is None:
        wanted = {pk: left for pk, left in remaining.items() if left > 0}
        if not wanted:
            raise ValidationError(
                {"lines": ["Every item of this order is returned or on its way."]}
            )
        return wanted
    if not lines:
        raise ValidationError({"lines": ["Choose at least one line to return."]})
    wanted = {}
    errors = []
    for line in lines:
        left = remaining.get(line.line_id)
        if line.line_id in wanted:
            errors.append(f"Line {line.line_id} is given twice.")
        elif left is None:
            errors.append(f"Line {line.line_id} is not a line of this order.")
        elif line.quantity < 1:
            errors.append(f"Line {line.line_id}: return at least 1.")
        elif line.quantity > left:
            errors.append(f"Line {line.line_id}: only {left} can be returned.")
        else:
            wanted[line.line_id] = line.quantity
    if errors:
        raise ValidationError({"lines": errors})
    return wanted


@transaction.atomic
def return_request_create(
    *,
    order_id: int,
    customer: User,
    reason: str,
    lines: list[RequestedReturnLine] | None = None,
) -> ReturnRequest:
    """The order's customer asks to return it (``lines`` None) or some of its units.

    Only a delivered order (or one partly returned) within RETURN_WINDOW_DAYS of its
    delivery, with no other return open; each line's units are at most what was
    bought less what is already asked for or returned. The order becomes
    ``return_requested``.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Tell us why you return the order."]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    f"Ensure this field has no more than {REASON_MAX_LENGTH} "
                    "characters."
                ]
            }
        )
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.customer_id != customer.pk:
        raise PermissionDenied("Only the order's customer can ask to return it.")
    if order.status == OrderStatus.RETURN_REQUESTED:
        raise ReturnNotAllowedError("The order already has an open return.")
    if order.status not in RETURNABLE_ORDER_STATUSES:
        raise ReturnNotAllowedError(
            f"Only a delivered order can be returned; this one is "
            f"{OrderStatus(order.status).label.lower()}."
        )
    window_end = _window_end(order)
    if timezone.now() > window_end:
        raise ValidationError(
            {
                "order": [
                    f"The return window of {settings.RETURN_WINDOW_DAYS} days after "
                    f"delivery closed on {window_end:%Y-%m-%d %H:%M} UTC."
                ]
            }
        )
    wanted = _lines_wanted(order=order, lines=lines)
    return_request = ReturnRequest.objects.create(
        order=order, customer=customer, reason=reason
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(return_request=return_request, order_line_id=pk, quantity=quantity)
        for pk, quantity in sorted(wanted.items())
    )
    order_status_move(
        order=order,
        actor=customer,
        to_status=OrderStatus.RETURN_REQUESTED,
        note=f"Return {return_request.pk} requested: {reason}"[:NOTE_MAX_LENGTH],
    )
    log(
        instance=order,
        action="commerce.return.request",
        user=customer,
        data={"return_id": return_request.pk, "lines": wanted, "reason": reason},
    )
    _return_changed_record(order=order, return_request=return_request)
    return return_request


def _staff_check(actor: User) -> None:
    if not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied("Only staff can decide on returns.")


def _locked(return_id: int) -> tuple[Order, ReturnRequest]:
    """The return's order and the return, locked in that order (as every step does)."""
    order_id = (
        ReturnRequest.objects.filter(pk=return_id)
        .values_list("order_id", flat=True)
        .first()
    )
    if order_id is None:
        raise CatalogueNotFoundError("No such return.")
    order = Order.objects.select_for_update().get(pk=order_id)
    return_request = ReturnRequest.objects.select_for_update().get(pk=return_id)
    return order, return_request


def _note_clean(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise ValidationError({"note": ["Tell the customer why."]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": [
                    f"Ensure this field has no more than {NOTE_MAX_LENGTH} characters."
                ]
            }
        )
    return note


def _status_require(return_request: ReturnRequest, status: str, step: str) -> None:
    if return_request.status != status:
        raise ReturnNotAllowedError(
            f"Return {return_request.pk} is "
            f"{ReturnStatus(return_request.status).label.lower()}; only "
            f"{'an' if status == ReturnStatus.APPROVED else 'a'} "
            f"{ReturnStatus(status).label.lower()} return can be {step}."
        )


def _decided(
    return_request: ReturnRequest, *, actor: User, status: str, note: str
) -> None:
    return_request.status = status
    return_request.staff_note = note
    return_request.decided_by = actor
    return_request.decided_at = timezone.now()
    return_request.save(
        update_fields=["status", "staff_note", "decided_by", "decided_at", "updated_at"]
    )


@transaction.atomic
def return_approve(*, return_id: int, actor: User, note: str = "") -> ReturnRequest:
    """Staff accept a requested return; the order waits (return requested) for the goods."""
    _staff_check(actor)
    note = _note_clean(note, required=False)
    order, return_request = _locked(return_id)
    _status_require(return_request, ReturnStatus.REQUESTED, "approved")
    _decided(return_request, actor=actor, status=ReturnStatus.APPROVED, note=note)
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=order.status,
        to_status=order.status,
        note=f"Return {return_request.pk} approved. {note}".strip()[:NOTE_MAX_LENGTH],
    )
    log(
        instance=order,
        action="commerce.return.approve",
        user=actor,
        data={"return_id": return_request.pk, "note": note},
    )
    _return_changed_record(order=order, return_request=return_request)
    return return_request


def _status_after_return_closed(order: Order) -> str:
    """Where an order goes when its open return ends without goods coming back."""
    if order.returns.filter(status=ReturnStatus.RECEIVED).exists():
        return OrderStatus.RETURNED
    if timezone.now() > _window_end(order):
        return OrderStatus.COMPLETED
    return OrderStatus.DELIVERED


@transaction.atomic
def return_reject(*, return_id: int, actor: User, note: str) -> ReturnRequest:
    """Staff refuse a requested or approved return, telling the customer why (``note``).

    The order goes back to delivered, or completed when its window has passed (or
    returned, when an earlier return of it was received).
    """
    _staff_check(actor)
    note = _note_clean(note, required=True)
    order, return_request = _locked(return_id)
    if return_request.status not in (ReturnStatus.REQUESTED, ReturnStatus.APPROVED):
        _status_require(return_request, ReturnStatus.REQUESTED, "rejected")
    _decided(return_request, actor=actor, status=ReturnStatus.REJECTED, note=note)
    order_status_move(
        order=order,
        actor=actor,
        to_status=_status_after_return_closed(order),
        note=f"Return {return_request.pk} rejected: {note}"[:NOTE_MAX_LENGTH],
    )
    log(
        instance=order,
        action="commerce.return.reject",
        user=actor,
        data={"return_id": return_request.pk, "note": note},
    )
    _return_changed_record(order=order, return_request=return_request)
    return return_request


def _line_refund(line: OrderLine, quantity: int) -> Decimal:
    """What ``quantity`` units of ``line`` cost the customer, tax included."""
    gross = line.gross or line.line_total
    return (gross * quantity / line.quantity).quantize(CENTS)


def _units(return_lines: list[ReturnLine]) -> dict[int, int]:
    """Product units per product id coming back (package lines: their components)."""
    units: dict[int, int] = {}
    for return_line in return_lines:
        line = return_line.order_line
        if line.product_id:
            units[line.product_id] = (
                units.get(line.product_id, 0) + return_line.quantity
            )
        for component in line.components:
            product_id = component["product_id"]
            units[product_id] = (
                units.get(product_id, 0) + component["quantity"] * return_line.quantity
            )
    return units


@transaction.atomic
def return_receive(*, return_id: int, actor: User) -> ReturnRequest:
    """The approved return's goods arrived: refund them, restock them; order returned.

    The refund is the returned units' share of their lines (tax included) through
    the order's payment gateway, capped at what is left of the paid total; shipping
    is not refunded. A refused refund raises (502) and nothing changes.
    """
    _staff_check(actor)
    order, return_request = _locked(return_id)
    _status_require(return_request, ReturnStatus.APPROVED, "received")
    return_lines = list(return_request.lines.select_related("order_line"))
    amount = sum(
        (_line_refund(rl.order_line, rl.quantity) for rl in return_lines),
        Decimal("0"),
    )
    refunded = order_payment_refund_partial(order=order, amount=amount, actor=actor)
    units = _units(return_lines)
    if units:
        stock_units_return(units=units)
    return_request.status = ReturnStatus.RECEIVED
    return_request.refund_amount = refunded
    return_request.received_at = timezone.now()
    return_request.save(
        update_fields=["status", "refund_amount", "received_at", "updated_at"]
    )
    order_status_move(
        order=order,
        actor=actor,
        to_status=OrderStatus.RETURNED,
        note=f"Return {return_request.pk} received; refunded {refunded} "
        f"{order.currency}.",
    )
    log(
        instance=order,
        action="commerce.return.receive",
        user=actor,
        data={
            "return_id": return_request.pk,
            "refund_amount": str(refunded),
            "restocked": {str(pk): n for pk, n in units.items()},
        },
    )
    _return_changed_record(order=order, return_request=return_request)
    return return_request


def orders_return_window_complete(*, now: datetime | None = None) -> int:
    """Mark delivered orders whose return window passed without a return completed.

    Idempotent: each order is locked and checked again in its own transaction, so a
    return requested meanwhile wins and a completed order is not touched twice.
    Answers how many orders were completed.
    """
    now = now or timezone.now()
    completed = 0
    for order_id in orders_return_window_passed(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update()
                .filter(pk=order_id, status=OrderStatus.DELIVERED)
                .first()
            )
            if order is None or now <= _window_end(order):
                continue
            order_status_move(
                order=order,
                actor=None,
                to_status=OrderStatus.COMPLETED,
                note=f"The {settings.RETURN_WINDOW_DAYS}-day return window passed.",
            )
            completed += 1
    return completed
