"""Orders through their lifecycle, and the Idempotency-Key records of order writes.

Placement is in ``commerce.orders.placement``.
"""

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.catalogue.models import (
    ProductStock,
)
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.catalogue.services.stock import product_stock_qs_select_for_update
from commerce.enums import OrderStatus, PaymentStatus, UserRole
from commerce.events import OrderStatusChanged, record
from commerce.exceptions import (
    IdempotencyKeyReusedError,
    IllegalTransitionError,
)
from commerce.orders.models import IdempotencyRecord, Order, OrderEvent
from commerce.vouchers.services import voucher_usage_release

CENTS = Decimal("0.01")

TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.UNDER_REVIEW: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
    # Reached and left only through returns (commerce.returns.services).
    OrderStatus.RETURN_REQUESTED: set(),
    OrderStatus.RETURNED: set(),
    OrderStatus.COMPLETED: set(),
}
CUSTOMER_CANCELLABLE = (OrderStatus.PENDING, OrderStatus.UNDER_REVIEW)
# Moves that need the money secured: taken (paid) or authorized for payment on
# delivery (what the cash-on-delivery gateway gives at checkout).
PAYMENT_REQUIRED_STATUSES = frozenset({OrderStatus.PROCESSING, OrderStatus.SHIPPED})
PAYMENT_SECURED_STATUSES = frozenset({PaymentStatus.PAID, PaymentStatus.AUTHORIZED})
TRACKING_MAX_LENGTH = 100  # Order.tracking_carrier and tracking_number
UNPAID_MESSAGE = (
    "The order is unpaid: it can be processed once paid or authorized for payment "
    "on delivery."
)
STAFF_ROLES = {UserRole.ADMINISTRATOR, UserRole.MANAGER}


def _stock_return(needed: dict[int, int]) -> None:
    for stock in product_stock_qs_select_for_update(needed):
        units = needed[stock.pk]
        ProductStock.objects.filter(pk=stock.pk).update(
            quantity=F("quantity") + units,
            units_sold=F("units_sold") - min(units, stock.units_sold),
        )
    catalogue_cache_invalidate(product_ids=needed, stock_only=True)


def order_event_payload(order: Order) -> dict[str, Any]:
    """The fields every order event carries (a guest order has no customer)."""
    return {
        "order_id": order.pk,
        "number": order.number,
        "customer_id": order.customer_id,
        "status": order.status,
        "total": str(order.total),
        "currency": order.currency,
    }


def _idempotency_owner(
    customer: User | None, guest_token: uuid.UUID | None
) -> dict[str, Any]:
    """A key belongs to a customer, or to a guest's cart token."""
    if customer is not None:
        return {"customer": customer}
    return {"customer": None, "guest_token": guest_token}


def idempotent_replay(
    *,
    customer: User | None,
    key: str,
    request_hash: str,
    guest_token: uuid.UUID | None = None,
) -> IdempotencyRecord | None:
    """The stored first response for ``key``, or None; a different body is refused."""
    record = IdempotencyRecord.objects.filter(
        **_idempotency_owner(customer, guest_token), key=key
    ).first()
    if record is not None and record.request_hash != request_hash:
        raise IdempotencyKeyReusedError()
    return record


def idempotent_store(
    *,
    customer: User | None,
    key: str,
    request_hash: str,
    status: int,
    body: Any,
    guest_token: uuid.UUID | None = None,
) -> IdempotencyRecord:
    """Keep the first response for ``key``; a concurrent twin gets the stored one.

    Call inside the transaction that placed the order: a concurrent request with the
    same key waits on the unique index and then finds this record.
    """
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                **_idempotency_owner(customer, guest_token),
                key=key,
                request_hash=request_hash,
                response_status=status,
                response_body=body,
            )
    except IntegrityError:
        record = idempotent_replay(
            customer=customer,
            key=key,
            request_hash=request_hash,
            guest_token=guest_token,
        )
        assert record is not None  # noqa: S101 - the unique index said it exists
        raise IdempotentDuplicateError(record) from None


class IdempotentDuplicateError(Exception):
    """Another request with the same key won; its response is ``record``."""

    def __init__(self, record: IdempotencyRecord):
        self.record = record
        super().__init__(record.key)


class TransitionStep(Protocol):
    def __call__(self, *, order: Order, actor: User | None) -> None: ...


# What other packages do inside a status change, under the order's row lock, before
# it is saved: payments refunds on cancel and captures on delivery. They register
# here at start-up (``CommerceConfig.ready``), so the import points at orders only.
_transition_steps: defaultdict[str, list[TransitionStep]] = defaultdict(list)


def order_transition_step_register(to_status: str, step: TransitionStep) -> None:
    """Run ``step(order=, actor=)`` in every move to ``to_status`` (once per step)."""
    if step not in _transition_steps[to_status]:
        _transition_steps[to_status].append(step)


def order_transition_payment_allows(*, payment_status: str, to_status: str) -> bool:
    """Whether an order in ``payment_status`` may move to ``to_status``."""
    return (
        to_status not in PAYMENT_REQUIRED_STATUSES
        or payment_status in PAYMENT_SECURED_STATUSES
    )


def _tracking_clean(
    *, to_status: str, tracking_carrier: str, tracking_number: str
) -> tuple[str, str]:
    """The carrier and number, trimmed; only a move to shipped may carry them."""
    given = {
        "tracking_carrier": tracking_carrier.strip(),
        "tracking_number": tracking_number.strip(),
    }
    errors: dict[str, list[str]] = {}
    for field, value in given.items():
        if value and to_status != OrderStatus.SHIPPED:
            errors[field] = [
                "Tracking is entered only when the order is marked shipped."
            ]
        elif len(value) > TRACKING_MAX_LENGTH:
            errors[field] = [
                f"Ensure this field has no more than {TRACKING_MAX_LENGTH} characters."
            ]
    if errors:
        raise ValidationError(errors)
    return given["tracking_carrier"], given["tracking_number"]


@transaction.atomic
def order_transition(
    *,
    order_id: int,
    actor: User,
    to_status: str,
    note: str = "",
    tracking_carrier: str = "",
    tracking_number: str = "",
) -> Order:
    """Move an order to ``to_status`` if the table and the actor's role allow it.

    Staff may make any allowed move; a customer may only cancel their own order
    while it is pending or under review (later, or after a concurrent cancel, that is
    a conflict). Processing and shipping need the payment secured (paid, or
    authorized for payment on delivery); otherwise the move is a conflict.
    Cancelling returns the stock and the voucher's use, and refunds (or releases)
    the payment; delivering
    captures a cash-on-delivery authorization. Marking an order shipped may record
    its carrier and tracking number (any other move with them is invalid). Every
    move records an event and an outbox row.
    """
    tracking_carrier, tracking_number = _tracking_clean(
        to_status=to_status,
        tracking_carrier=tracking_carrier,
        tracking_number=tracking_number,
    )
    order = Order.objects.select_for_update().get(pk=order_id)
    is_staff = user_role_get(user=actor) in STAFF_ROLES
    if not is_staff and not (
        order.customer_id == actor.pk and to_status == OrderStatus.CANCELLED
    ):
        raise PermissionDenied(
            "Customers can only cancel their own pending or under-review orders."
        )
    if not is_staff and order.status not in CUSTOMER_CANCELLABLE:
        # A conflict, not a permission: e.g. a concurrent cancel won the row lock.
        raise IllegalTransitionError(
            f"The order is {order.status}; only pending or under-review orders "
            "can be cancelled."
        )
    if to_status not in TRANSITIONS.get(order.status, set()):
        raise IllegalTransitionError(
            f"An order cannot go from {order.status} to {to_status}."
        )
    if not order_transition_payment_allows(
        payment_status=order.payment_status, to_status=to_status
    ):
        raise IllegalTransitionError(UNPAID_MESSAGE)
    for step in _transition_steps[to_status]:
        step(order=order, actor=actor)
    if to_status == OrderStatus.CANCELLED:
        _stock_return(_order_units(order))
        if order.voucher_code:
            voucher_usage_release(order_id=order.pk)
    from_status = order.status
    order.status = to_status
    tracking: dict[str, str] = {}
    if to_status == OrderStatus.SHIPPED:
        tracking = {
            "tracking_carrier": tracking_carrier,
            "tracking_number": tracking_number,
        }
        for field, value in tracking.items():
            setattr(order, field, value)
    order.save(update_fields=["status", "updated_at", *tracking])
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    log(
        instance=order,
        action="commerce.order.transition",
        user=actor,
        data={
            "from_status": from_status,
            "to_status": to_status,
            "note": note,
            **tracking,
        },
    )
    record(
        OrderStatusChanged(
            **order_event_payload(order),
            from_status=from_status,
            note=note,
            tracking_carrier=order.tracking_carrier,
            tracking_number=order.tracking_number,
        )
    )
    return order


def _order_units(order: Order) -> dict[int, int]:
    needed: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        if line.product_id:
            needed[line.product_id] += line.quantity
        for component in line.components:
            needed[component["product_id"]] += component["quantity"] * line.quantity
    return dict(needed)


def order_status_move(
    *, order: Order, actor: User | None, to_status: str, note: str = ""
) -> Order:
    """Set the status of a locked ``order`` outside the staff transition table.

    For the moves other packages own (returns: return requested, returned, back to
    delivered, completed). Like ``order_transition`` it records an order event, an
    audit log entry and an OrderStatusChanged event; the caller checks the rules and
    holds the row lock inside its transaction.
    """
    from_status = order.status
    order.status = to_status
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    log(
        instance=order,
        action="commerce.order.transition",
        user=actor,
        data={"from_status": from_status, "to_status": to_status, "note": note},
    )
    record(
        OrderStatusChanged(
            **order_event_payload(order),
            from_status=from_status,
            note=note,
            tracking_carrier=order.tracking_carrier,
            tracking_number=order.tracking_number,
        )
    )
    return order
