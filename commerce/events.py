"""Every domain event of the shop, each a frozen dataclass with a versioned payload.

A change records its event with ``record(SomeEvent(...))`` in its own transaction:
the event is an outbox row (topic ``SomeEvent.topic``, payload ``to_payload()``),
so it exists only if the change commits. Once committed, the row is delivered to
the functions registered with ``@subscribe(SomeEvent)`` (commerce/subscribers.py),
each given the dataclass rebuilt with ``from_payload``. Subscribers only write
more outbox rows (one per notification, plugin call and webhook delivery), so one
failing delivery is retried alone and never holds back the others.

The fields are the payload: a webhook body's ``data`` and a plugin hook's argument
are ``to_payload()``, key for key, in field order. ``version`` changes when a field
is removed or changes meaning; adding a field with a default keeps the version, and
``from_payload`` ignores keys it does not know, so rows written by another release
still deliver. The webhook event names and the README's event list come from here.

This module imports no domain package of commerce (import-linter ``kernel``).
"""

import dataclasses
import types
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Self, get_args

from commerce.enums import OrderStatus
from notify.models import OutboxMessage
from notify.outbox import outbox_handler
from notify.services import outbox_event_record


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event; subclasses set the class variables and the fields."""

    topic: ClassVar[str]
    """The outbox topic; never renamed, so rows already written still deliver."""
    version: ClassVar[int] = 1
    plugin_hook: ClassVar[str] = ""
    """The ``BasePlugin`` method called with the payload; empty for none."""
    webhook_events: ClassVar[tuple[str, ...]] = ()
    """Every webhook event name this event may publish (see ``webhooks``)."""

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        known = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in payload.items() if key in known})

    def webhooks(self) -> tuple[str, ...]:
        """The webhook events this occurrence publishes, each with ``to_payload()``."""
        return self.webhook_events


@dataclass(frozen=True, kw_only=True)
class _OrderEvent(Event):
    """The fields every order event starts with (not an event of its own)."""

    order_id: int
    number: str
    customer_id: int | None
    """None for a guest's order."""
    status: str
    total: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class OrderCreated(_OrderEvent):
    """An order was placed (from the cart or from explicit lines)."""

    topic = "order.created"
    plugin_hook = "order_created"
    webhook_events = ("order.created",)


@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(_OrderEvent):
    """An order moved from `from_status` to `status` (a cancel also publishes "order.cancelled")."""

    topic = "order.status_changed"
    plugin_hook = "order_status_changed"
    webhook_events = ("order.status_changed", "order.cancelled")

    from_status: str
    note: str = ""
    tracking_carrier: str = ""
    """Set when the order is shipped, if staff entered it (also on later moves)."""
    tracking_number: str = ""

    @property
    def cancelled(self) -> bool:
        return self.status == OrderStatus.CANCELLED

    def webhooks(self) -> tuple[str, ...]:
        if self.cancelled:
            return ("order.status_changed", "order.cancelled")
        return ("order.status_changed",)


@dataclass(frozen=True, kw_only=True)
class OrderPaymentStatusChanged(Event):
    """The payment status of an order changed (authorized, paid, refunded, ...)."""

    topic = "order.payment_status_changed"
    plugin_hook = "order_payment_status_changed"
    webhook_events = ("order.payment_status_changed",)

    order_id: int
    number: str
    customer_id: int | None  # None for a guest's order
    payment_status: str
    from_payment_status: str
    gateway: str
    total: str
    currency: str = ""
    """ISO 4217 code of ``total`` (empty in rows written before it was added)."""


@dataclass(frozen=True, kw_only=True)
class OrderReturnChanged(_OrderEvent):
    """A return of an order was requested, approved, rejected or received (refunded)."""

    topic = "order.return_changed"
    webhook_events = ("order.return_changed",)

    return_id: int
    return_status: str
    reason: str = ""
    note: str = ""
    """The staff note of an approval or a rejection."""
    refund_amount: str = "0.00"
    """Refunded through the payment gateway when the goods were received."""


@dataclass(frozen=True, kw_only=True)
class CustomerCreated(Event):
    """A customer account was created, whatever the sign-up route."""

    topic = "user.registered"
    plugin_hook = "customer_created"
    webhook_events = ("customer.created",)

    user_id: int
    email: str
    name: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(Event):
    """Someone asked for a reset link for `email` (registered or not).

    Internal: no plugin hook and no webhook, as the address may not be a customer's.
    """

    topic = "user.password_reset_requested"

    email: str


@dataclass(frozen=True, kw_only=True)
class _ProductEvent(Event):
    """The fields every product or package event starts with (not an event)."""

    kind: str
    id: int
    sku: str
    title: str
    price: str
    currency: str = ""
    """ISO 4217 code of ``price`` (empty in rows written before it was added)."""


@dataclass(frozen=True, kw_only=True)
class ProductPublished(_ProductEvent):
    """A revision of a product or package went live (admin, API or scheduler)."""

    topic = "product.published"
    plugin_hook = "product_published"
    webhook_events = ("product.published",)


@dataclass(frozen=True, kw_only=True)
class ProductUnpublished(_ProductEvent):
    """A product or package was taken off the shop (also just before a live one is deleted)."""

    topic = "product.unpublished"
    plugin_hook = "product_unpublished"
    webhook_events = ("product.unpublished",)


@dataclass(frozen=True, kw_only=True)
class ProductUpdated(_ProductEvent):
    """The catalogue services saved a change to a product or package.

    Recorded by ``product_update``/``package_update`` (the API), whether the change
    was published (``live``) or kept as a draft. Edits in Wagtail's page editor are
    seen when published, as ProductPublished.
    """

    topic = "product.updated"
    plugin_hook = "product_updated"
    webhook_events = ("product.updated",)

    live: bool


@dataclass(frozen=True, kw_only=True)
class StockChanged(Event):
    """The units on hand of a product were set or adjusted by the stock services."""

    topic = "stock.changed"
    plugin_hook = "stock_changed"
    webhook_events = ("stock.changed",)

    product_id: int
    sku: str
    quantity: int
    previous_quantity: int


EVENTS: tuple[type[Event], ...] = (
    OrderCreated,
    OrderStatusChanged,
    OrderPaymentStatusChanged,
    OrderReturnChanged,
    CustomerCreated,
    PasswordResetRequested,
    ProductPublished,
    ProductUnpublished,
    ProductUpdated,
    StockChanged,
)


def webhook_event_names() -> list[str]:
    """Every event name a webhook may subscribe to, in the order of ``EVENTS``."""
    names = (name for event in EVENTS for name in event.webhook_events)
    return list(dict.fromkeys(names))


def record(event: Event) -> OutboxMessage:
    """Write ``event`` to the outbox in the caller's transaction."""
    return outbox_event_record(topic=event.topic, payload=event.to_payload())


# SUBSCRIPTIONS

Subscriber = Callable[[Any], None]
_SUBSCRIBERS: defaultdict[type[Event], list[Subscriber]] = defaultdict(list)
_BY_TOPIC = {event.topic: event for event in EVENTS}


def subscribe(*event_types: type[Event]) -> Callable[[Subscriber], Subscriber]:
    """Call the decorated function with each committed event of ``event_types``.

    A subscriber receives the event dataclass and should only write outbox rows
    (its deliveries): all subscribers of an event run in the delivery of the event's
    row, and a subscriber that raises rolls back and retries them together.
    """

    def register(subscriber: Subscriber) -> Subscriber:
        for event_type in event_types:
            if subscriber not in _SUBSCRIBERS[event_type]:
                _SUBSCRIBERS[event_type].append(subscriber)
        return subscriber

    return register


def unsubscribe(subscriber: Subscriber, event_types: Iterable[type[Event]]) -> None:
    for event_type in event_types:
        if subscriber in _SUBSCRIBERS[event_type]:
            _SUBSCRIBERS[event_type].remove(subscriber)


def subscribers(event_type: type[Event]) -> list[Subscriber]:
    return list(_SUBSCRIBERS[event_type])


def _event_deliver(message: OutboxMessage) -> None:
    event_type = _BY_TOPIC[message.topic]
    event = event_type.from_payload(message.payload)
    for subscriber in subscribers(event_type):
        subscriber(event)


for _event_type in EVENTS:
    outbox_handler(_event_type.topic)(_event_deliver)


# DOCUMENTATION


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, types.UnionType):
        return " or ".join(_type_name(part) for part in get_args(annotation))
    if annotation is type(None):
        return "null"
    return getattr(annotation, "__name__", str(annotation))


def events_markdown() -> str:
    """The README's event list (between its ``events`` markers), from ``EVENTS``."""
    lines = [
        "| Event | When | Topic | Version | Webhook events | Plugin hook | Fields |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for event in EVENTS:
        fields = ", ".join(
            f"`{field.name}` ({_type_name(field.type)})"
            for field in dataclasses.fields(event)
        )
        webhooks = ", ".join(f"`{name}`" for name in event.webhook_events) or "none"
        hook = f"`{event.plugin_hook}`" if event.plugin_hook else "none"
        when = (event.__doc__ or "").strip().splitlines()[0]
        lines.append(
            f"| {event.__name__} | {when} | `{event.topic}` | {event.version} "
            f"| {webhooks} | {hook} | {fields} |"
        )
    return "\n".join(lines) + "\n"
