"""Placing orders and moving them through their lifecycle.

Placement is one transaction: the stock rows of every product involved (packages
expand to their components) are locked in primary-key order, checked and decremented;
the order keeps a snapshot of names, prices and choices; the cart is emptied; and an
outbox event is written. Any failure leaves nothing changed.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.cart.models import Cart, CartLine
from commerce.cart.selectors import cart_item_get
from commerce.catalogue.models import (
    PackagePage,
    PackageSales,
    ProductPage,
    ProductStock,
    line_kind,
)
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.catalogue.services.stock import product_stock_qs_select_for_update
from commerce.enums import OrderStatus, PaymentStatus, UserRole
from commerce.events import OrderCreated, OrderStatusChanged, record
from commerce.exceptions import (
    EmptyOrderError,
    IdempotencyKeyReusedError,
    IllegalTransitionError,
    InsufficientStockError,
)
from commerce.orders.models import IdempotencyRecord, Order, OrderEvent, OrderLine
from commerce.plugins.manager import PluginManager, plugin_manager
from customization.models import CustomerUpload
from customization.selectors import item_customizations
from customization.services import choices_validate

CENTS = Decimal("0.01")

TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.UNDER_REVIEW: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
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


@dataclass(frozen=True)
class RequestedLine:
    kind: str
    item_id: int
    quantity: int
    choices: list[dict[str, Any]]


@dataclass(frozen=True)
class PlacedLine:
    item: ProductPage | PackagePage
    kind: str
    quantity: int
    snapshot: list[dict[str, Any]]
    delta: Decimal
    needs_approval: bool
    upload_ids: list[str]
    unit_price: Decimal = Decimal("0")


def _line_priced(line: PlacedLine, plugins: PluginManager) -> PlacedLine:
    """The line with its unit price: the item's price, as the plugins adjust it."""
    price = plugins.chain(
        "line_unit_price",
        line.item.price,
        kind=line.kind,
        item_id=line.item.pk,
        sku=line.item.sku,
        quantity=line.quantity,
    )
    return replace(line, unit_price=Decimal(price).quantize(CENTS))


def _line_from_cart(line: CartLine) -> RequestedLine:
    # A check constraint keeps exactly one of product and package on a cart line.
    if line.product_id is not None:
        kind, item_id = "product", line.product_id
    elif line.package_id is not None:
        kind, item_id = "package", line.package_id
    else:
        raise ValidationError({"cart": ["A cart line has no item."]})
    return RequestedLine(
        kind=kind, item_id=item_id, quantity=line.quantity, choices=line.choices
    )


def _lines_from_cart(customer: User) -> list[RequestedLine]:
    Cart.objects.get_or_create(customer=customer)
    Cart.objects.select_for_update().get(customer=customer)
    requested = []
    for line in CartLine.objects.filter(cart__customer=customer).order_by("pk"):
        kind = line_kind(line)
        requested.append(
            RequestedLine(
                kind=kind,
                item_id=getattr(line, f"{kind}_id"),
                quantity=line.quantity,
                choices=line.choices,
            )
        )
    return requested


def _line_prepare(customer: User, requested: RequestedLine) -> PlacedLine:
    item = cart_item_get(kind=requested.kind, item_id=requested.item_id)
    if not item.is_available:
        raise InsufficientStockError(f"{item.title} cannot be ordered at the moment.")
    validated = choices_validate(
        attached=item_customizations(raw_stream=item.customizations.raw_data),
        choices=requested.choices,
        owner_id=customer.pk,
    )
    return PlacedLine(
        item=item,
        kind=requested.kind,
        quantity=requested.quantity,
        snapshot=validated.snapshot,
        delta=validated.price_delta_total,
        needs_approval=validated.needs_approval,
        upload_ids=validated.upload_ids,
    )


def _units_needed(lines: list[PlacedLine]) -> dict[int, int]:
    """Units of each product, packages expanded to their components."""
    needed: dict[int, int] = defaultdict(int)
    for line in lines:
        for product_id, units in line.item.units_needed(line.quantity).items():
            needed[product_id] += units
    return dict(needed)


def _stock_take(needed: dict[int, int]) -> None:
    stocks = {stock.pk: stock for stock in product_stock_qs_select_for_update(needed)}
    short = []
    for product_id, units in sorted(needed.items()):
        stock = stocks.get(product_id)
        available = stock.quantity if stock is not None else 0
        if available < units:
            short.append(
                {"product": product_id, "requested": units, "available": available}
            )
    if short:
        names = dict(
            ProductPage.objects.filter(
                pk__in=[s["product"] for s in short]
            ).values_list("pk", "title")
        )
        for entry in short:
            entry["name"] = names.get(entry["product"], "")
        listed = ", ".join(
            f"{entry['name']} ({entry['available']} left)" for entry in short
        )
        raise InsufficientStockError(
            f"Not enough stock: {listed}.", extra={"items": short}
        )
    for product_id, units in needed.items():
        ProductStock.objects.filter(pk=product_id).update(
            quantity=F("quantity") - units, units_sold=F("units_sold") + units
        )
    catalogue_cache_invalidate(product_ids=needed)


def _stock_return(needed: dict[int, int]) -> None:
    for stock in product_stock_qs_select_for_update(needed):
        units = needed[stock.pk]
        ProductStock.objects.filter(pk=stock.pk).update(
            quantity=F("quantity") + units,
            units_sold=F("units_sold") - min(units, stock.units_sold),
        )
    catalogue_cache_invalidate(product_ids=needed)


def _order_line_create(order: Order, line: PlacedLine) -> OrderLine:
    snapshot = line.item.order_line_snapshot(unit_price=line.unit_price)
    unit = snapshot.unit_price
    return OrderLine.objects.create(
        order=order,
        **{line.kind: line.item},
        name=snapshot.name,
        sku=snapshot.sku,
        unit_price=unit,
        price_delta=line.delta,
        quantity=line.quantity,
        line_total=((unit + line.delta) * line.quantity).quantize(CENTS),
        customizations=line.snapshot,
        components=snapshot.components,
    )


def order_event_payload(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.pk,
        "number": order.number,
        "customer_id": order.customer_id,
        "status": order.status,
        "total": str(order.total),
        "currency": order.currency,
    }


@transaction.atomic
def order_place(
    *,
    customer: User,
    lines: list[RequestedLine] | None,
    contact: dict[str, Any],
    shipping_address: dict[str, Any],
    gift: dict[str, Any],
) -> Order:
    """Place an order from explicit ``lines`` or, when None, from the customer's cart."""
    from_cart = lines is None
    requested = _lines_from_cart(customer) if from_cart else lines
    if not requested:
        raise EmptyOrderError("The cart is empty." if from_cart else None)
    placed = [_line_prepare(customer, line) for line in requested]
    plugins = plugin_manager()
    plugins.chain(
        "order_validate",
        None,
        order={
            "customer_id": customer.pk,
            "lines": [
                {"kind": p.kind, "item_id": p.item.pk, "quantity": p.quantity}
                for p in placed
            ],
            "shipping_address": shipping_address,
        },
    )
    _stock_take(_units_needed(placed))
    placed = [_line_priced(line, plugins) for line in placed]
    subtotal = sum(
        ((line.unit_price + line.delta) * line.quantity for line in placed),
        Decimal("0"),
    ).quantize(CENTS)
    needs_review = any(line.needs_approval for line in placed)
    status = OrderStatus.UNDER_REVIEW if needs_review else OrderStatus.PENDING
    order = Order.objects.create(
        # A unique placeholder until the primary key gives the real number below.
        number=f"T{uuid.uuid4().hex[:19]}",
        customer=customer,
        status=status,
        contact_email=contact.get("email") or customer.email,
        contact_phone=contact.get("phone", ""),
        shipping_address=shipping_address,
        is_gift=gift.get("is_gift", False),
        is_anonymous=gift.get("is_anonymous", False),
        gift_message=gift.get("gift_message", ""),
        subtotal=subtotal,
        total=subtotal,
    )
    order.number = f"FNT-{order.pk:08d}"
    order.save(update_fields=["number"])
    for line in placed:
        _order_line_create(order, line)
        if isinstance(line.item, PackagePage):
            PackageSales.objects.get_or_create(package=line.item)
            PackageSales.objects.filter(pk=line.item.pk).update(
                units_sold=F("units_sold") + line.quantity
            )
    upload_ids = [upload for line in placed for upload in line.upload_ids]
    if upload_ids:
        CustomerUpload.objects.filter(pk__in=upload_ids).update(used_at=timezone.now())
    OrderEvent.objects.create(
        order=order, actor=customer, from_status="", to_status=status
    )
    if from_cart:
        CartLine.objects.filter(cart__customer=customer).delete()
    record(OrderCreated(**order_event_payload(order)))
    return order


def idempotent_replay(
    *, customer: User, key: str, request_hash: str
) -> IdempotencyRecord | None:
    """The stored first response for ``key``, or None; a different body is refused."""
    record = IdempotencyRecord.objects.filter(customer=customer, key=key).first()
    if record is not None and record.request_hash != request_hash:
        raise IdempotencyKeyReusedError()
    return record


def idempotent_store(
    *, customer: User, key: str, request_hash: str, status: int, body: Any
) -> IdempotencyRecord:
    """Keep the first response for ``key``; a concurrent twin gets the stored one.

    Call inside the transaction that placed the order: a concurrent request with the
    same key waits on the unique index and then finds this record.
    """
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                customer=customer,
                key=key,
                request_hash=request_hash,
                response_status=status,
                response_body=body,
            )
    except IntegrityError:
        record = idempotent_replay(
            customer=customer, key=key, request_hash=request_hash
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
    Cancelling returns the stock and refunds (or releases) the payment; delivering
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
