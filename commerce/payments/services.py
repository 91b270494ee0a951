"""Paying for orders through the gateway plugins, and the payment state on the order.

Every gateway call leaves a PaymentTransaction row, successful or not, and every change
of the order's payment state writes one outbox event in the same transaction.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.enums import OrderStatus, PaymentAction, PaymentStatus
from commerce.events import OrderPaymentStatusChanged, record
from commerce.exceptions import PaymentGatewayError, PaymentNotAllowedError
from commerce.orders.models import Order, PaymentTransaction
from commerce.orders.services import STAFF_ROLES, order_transition_step_register
from commerce.payments import (
    PaymentDataError,
    PaymentGateway,
    PaymentRequest,
    PaymentResult,
)
from commerce.payments import gateway_get as payment_gateway_get

PAYABLE_STATUSES = {OrderStatus.PENDING, OrderStatus.UNDER_REVIEW}


def _record(
    *,
    order: Order,
    gateway_id: str,
    action: str,
    amount: Decimal,
    result: PaymentResult,
    actor: User | None,
) -> PaymentTransaction:
    return PaymentTransaction.objects.create(
        order=order,
        gateway=gateway_id,
        action=action,
        amount=amount,
        succeeded=result.succeeded,
        reference=result.reference[:64],
        message=result.message[:255],
        actor=actor,
    )


def _payment_status_set(*, order: Order, payment_status: str) -> None:
    previous = order.payment_status
    order.payment_status = payment_status
    order.save(update_fields=["payment_status", "payment_gateway", "updated_at"])
    record(
        OrderPaymentStatusChanged(
            order_id=order.pk,
            number=order.number,
            customer_id=order.customer_id,
            payment_status=payment_status,
            from_payment_status=previous,
            gateway=order.payment_gateway,
            total=str(order.total),
            currency=order.currency,
        )
    )


@transaction.atomic
def order_pay(
    *, order_id: int, actor: User | None, gateway_id: str, data: dict[str, Any]
) -> PaymentTransaction:
    """Authorize (and, for sale gateways, capture) the order's total.

    The order row stays locked during the gateway call, so two concurrent payments of
    one order cannot both go through. A declined payment is recorded and returned with
    ``succeeded=False``; the order stays unpaid.
    """
    gateway = payment_gateway_get(gateway_id)
    if gateway is None:
        raise ValidationError({"gateway": ["Unknown or disabled payment gateway."]})
    try:
        clean_data = gateway.data_validate(data)
    except PaymentDataError as error:
        raise ValidationError(error.errors) from None
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.payment_status != PaymentStatus.UNPAID:
        raise PaymentNotAllowedError(
            f"The order is already {order.get_payment_status_display().lower()}."
        )
    if order.status not in PAYABLE_STATUSES:
        raise PaymentNotAllowedError(
            f"A {order.get_status_display().lower()} order cannot be paid."
        )
    result = gateway.authorize(
        PaymentRequest(
            order_number=order.number,
            amount=order.total,
            currency=order.currency,
            data=clean_data,
        )
    )
    action = (
        PaymentAction.CAPTURE
        if gateway.captures_on_authorize
        else PaymentAction.AUTHORIZE
    )
    payment = _record(
        order=order,
        gateway_id=gateway.id,
        action=action,
        amount=order.total,
        result=result,
        actor=actor,
    )
    if result.succeeded:
        order.payment_gateway = gateway.id
        _payment_status_set(
            order=order,
            payment_status=PaymentStatus.PAID
            if gateway.captures_on_authorize
            else PaymentStatus.AUTHORIZED,
        )
    return payment


def _last_reference(order: Order) -> str:
    payment = (
        order.payment_transactions.filter(succeeded=True)
        .exclude(reference="")
        .order_by("-created_at", "-pk")
        .first()
    )
    return payment.reference if payment else ""


def _gateway_settle(*, order: Order, action: str, actor: User | None) -> None:
    """Capture or refund the order's last payment; a refusal raises and is recorded."""
    gateway = _gateway_of(order)
    settle = gateway.capture if action == PaymentAction.CAPTURE else gateway.refund
    result = settle(reference=_last_reference(order), amount=order.total)
    _record(
        order=order,
        gateway_id=gateway.id,
        action=action,
        amount=order.total,
        result=result,
        actor=actor,
    )
    if not result.succeeded:
        raise PaymentGatewayError(result.message or None)


def order_payment_capture(*, order: Order, actor: User | None) -> None:
    """Take an authorized amount. Call inside the transaction that locked ``order``."""
    if order.payment_status != PaymentStatus.AUTHORIZED:
        return
    _gateway_settle(order=order, action=PaymentAction.CAPTURE, actor=actor)
    _payment_status_set(order=order, payment_status=PaymentStatus.PAID)


def order_payment_refund(*, order: Order, actor: User | None) -> None:
    """Return a captured payment or release an authorization.

    Call inside the transaction that locked ``order``. A refused refund raises, so the
    caller's change (e.g. a cancellation) does not happen without it.
    """
    if order.payment_status not in {PaymentStatus.AUTHORIZED, PaymentStatus.PAID}:
        return
    _gateway_settle(order=order, action=PaymentAction.REFUND, actor=actor)
    released = order.payment_status == PaymentStatus.AUTHORIZED
    _payment_status_set(
        order=order,
        payment_status=PaymentStatus.UNPAID if released else PaymentStatus.REFUNDED,
    )


def _gateway_of(order: Order) -> PaymentGateway:
    gateway = payment_gateway_get(order.payment_gateway)
    if gateway is None:
        raise PaymentGatewayError(
            f"The payment gateway {order.payment_gateway!r} is no longer enabled."
        )
    return gateway


@transaction.atomic
def order_refund(*, order_id: int, actor: User) -> Order:
    """Refund a paid order without cancelling it (e.g. a return after delivery).

    Staff only: a customer cannot refund their own order.
    """
    if user_role_get(user=actor) not in STAFF_ROLES:
        raise PermissionDenied("Only staff can refund orders.")
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.payment_status != PaymentStatus.PAID:
        raise PaymentNotAllowedError("Only a paid order can be refunded.")
    order_payment_refund(order=order, actor=actor)
    log(
        instance=order,
        action="commerce.order.refund",
        user=actor,
        data={"amount": str(order.total)},
    )
    return order


def order_payment_refund_partial(
    *, order: Order, amount: Decimal, actor: User | None
) -> Decimal:
    """Refund ``amount`` of a paid order through its gateway; answers what was refunded.

    Call inside the transaction that locked ``order``. Nothing is refunded (0) when
    the order is not paid or ``amount`` is not positive. The amount is capped at what
    is left of the total after earlier refunds; once all of it is refunded the order
    is ``refunded``, otherwise it stays paid. A refused refund is recorded and raises.
    """
    if order.payment_status != PaymentStatus.PAID or amount <= 0:
        return Decimal("0")
    refunded = sum(
        order.payment_transactions.filter(
            action=PaymentAction.REFUND, succeeded=True
        ).values_list("amount", flat=True),
        Decimal("0"),
    )
    amount = min(amount, order.total - refunded)
    if amount <= 0:
        return Decimal("0")
    gateway = _gateway_of(order)
    result = gateway.refund(reference=_last_reference(order), amount=amount)
    _record(
        order=order,
        gateway_id=gateway.id,
        action=PaymentAction.REFUND,
        amount=amount,
        result=result,
        actor=actor,
    )
    if not result.succeeded:
        raise PaymentGatewayError(result.message or None)
    if refunded + amount >= order.total:
        _payment_status_set(order=order, payment_status=PaymentStatus.REFUNDED)
    return amount


def order_transition_steps_register() -> None:
    """Cancelling refunds (or releases) the payment; delivering captures it."""
    order_transition_step_register(OrderStatus.CANCELLED, order_payment_refund)
    order_transition_step_register(OrderStatus.DELIVERED, order_payment_capture)
