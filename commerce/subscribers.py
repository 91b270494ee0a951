"""Who acts on each event: notifications, plugins and webhooks (the composition root).

Each function subscribes by event type (commerce/events.py) and receives the event
dataclass. They only write outbox rows, one per delivery: one per notification
(customer, staff), plugin call and webhook delivery. So one failing delivery (a
broken template, a plugin that raises, a webhook that is down) is retried on its
own and never holds back the others, and a delivered one is never repeated.
"""

from typing import Any

from commerce.accounts.services.users import password_reset_mail_send
from commerce.enums import OrderStatus, ReturnStatus, UserRole
from commerce.events import (
    EVENTS,
    CustomerCreated,
    Event,
    OrderCreated,
    OrderReturnChanged,
    OrderStatusChanged,
    PasswordResetRequested,
    subscribe,
    webhook_event_names,
)
from commerce.orders.emails import order_email_context
from commerce.plugins.manager import plugin_manager
from commerce.returns.selectors import return_email_context
from notify.enums import EmailEvent
from notify.models import Channel, OutboxMessage
from notify.outbox import outbox_handler
from notify.services import (
    email_send,
    notification_enqueue,
    outbox_event_record,
    webhook_events_register,
    webhooks_publish,
)

PLUGIN_EVENT_TOPIC = "commerce.plugin_event"
ALL_CHANNELS = [Channel.IN_APP, Channel.EMAIL, Channel.PUSH]
STAFF_CHANNELS = [Channel.IN_APP, Channel.EMAIL]
# Order moves made by a return step: the return's own notification tells the customer.
RETURN_MOVE_STATUSES = frozenset({OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED})

webhook_events_register(*webhook_event_names())


def _order_context(
    event: OrderCreated | OrderStatusChanged | OrderReturnChanged, note: str = ""
) -> dict[str, Any]:
    """The order as its emails show it, in the status the event reports.

    The event's own fields stand in for an order that is gone.
    """
    status = event.status
    label = OrderStatus(status).label.lower() if status in OrderStatus.values else ""
    return {
        "order": {
            "id": event.order_id,
            "number": event.number,
            "total": event.total,
            "currency": event.currency,
            **(order_email_context(order_id=event.order_id) or {}),
            "status": status,
            "status_label": label,
            "note": note,
        }
    }


def _customer_notify(
    *,
    event: OrderCreated | OrderStatusChanged | OrderReturnChanged,
    email_event: str,
    context: dict[str, Any],
    data: dict[str, Any],
) -> None:
    """Tell the order's customer; a guest (no account) gets the email only.

    A guest's email goes to the order's contact address and leaves no in-app row or
    push, which need an account.
    """
    if event.customer_id is not None:
        notification_enqueue(
            user_ids=[event.customer_id],
            event=email_event,
            context=context,
            channels=ALL_CHANNELS,
            data=data,
        )
        return
    order = context["order"]
    if order.get("contact_email"):
        email_send(
            to=order["contact_email"],
            event=email_event,
            context={
                **context,
                "user": {
                    "name": order.get("recipient_name", ""),
                    "email": order["contact_email"],
                },
            },
        )


# NOTIFICATIONS


@subscribe(OrderCreated)
def order_created_notify(event: OrderCreated) -> None:
    context = _order_context(event)
    data = {"order_id": event.order_id, "number": event.number}
    _customer_notify(
        event=event, email_event=EmailEvent.ORDER_PLACED, context=context, data=data
    )
    notification_enqueue(
        groups=[UserRole.ADMINISTRATOR.value, UserRole.MANAGER.value],
        event=EmailEvent.STAFF_NEW_ORDER,
        context=context,
        channels=STAFF_CHANNELS,
        data=data,
    )


def _status_email_event(event: OrderStatusChanged) -> str:
    if event.cancelled:
        return EmailEvent.ORDER_CANCELLED
    if event.status == OrderStatus.SHIPPED:
        return EmailEvent.ORDER_SHIPPED
    return EmailEvent.ORDER_STATUS_CHANGED


def _is_return_move(event: OrderStatusChanged) -> bool:
    return (
        event.status in RETURN_MOVE_STATUSES
        or event.from_status == OrderStatus.RETURN_REQUESTED
    )


@subscribe(OrderStatusChanged)
def order_status_changed_notify(event: OrderStatusChanged) -> None:
    if _is_return_move(event):
        return
    context = _order_context(event, note=event.note)
    # The tracking as the move recorded it, whatever the order holds by now.
    context["order"].update(
        tracking_carrier=event.tracking_carrier,
        tracking_number=event.tracking_number,
    )
    _customer_notify(
        event=event,
        email_event=_status_email_event(event),
        context=context,
        data={"order_id": event.order_id, "status": event.status},
    )


@subscribe(OrderReturnChanged)
def order_return_changed_notify(event: OrderReturnChanged) -> None:
    context = _order_context(event, note=event.note)
    context["order_return"] = return_email_context(return_id=event.return_id) or {
        "id": event.return_id,
        "status": event.return_status,
        "status_label": event.return_status,
        "reason": event.reason,
        "note": event.note,
        "refund_amount": event.refund_amount,
        "lines": [],
    }
    # The step as the event recorded it, whatever the return holds by now.
    context["order_return"].update(
        status=event.return_status,
        status_label=ReturnStatus(event.return_status).label.lower(),
        note=event.note,
        refund_amount=event.refund_amount,
    )
    _customer_notify(
        event=event,
        email_event=EmailEvent.ORDER_RETURN,
        context=context,
        data={
            "order_id": event.order_id,
            "return_id": event.return_id,
            "return_status": event.return_status,
        },
    )


@subscribe(CustomerCreated)
def customer_welcome_notify(event: CustomerCreated) -> None:
    notification_enqueue(
        user_ids=[event.user_id],
        event=EmailEvent.WELCOME,
        context={},
        channels=[Channel.IN_APP, Channel.EMAIL],
    )


@subscribe(PasswordResetRequested)
def password_reset_mail(event: PasswordResetRequested) -> None:
    password_reset_mail_send(email=event.email)


# PLUGINS


@subscribe(*[event for event in EVENTS if event.plugin_hook])
def plugins_notify(event: Event) -> None:
    """One row per plugin, delivered by ``plugin_event_deliver``."""
    for plugin in plugin_manager().plugins:
        outbox_event_record(
            topic=PLUGIN_EVENT_TOPIC,
            payload={
                "plugin": plugin.identifier,
                "event": event.plugin_hook,
                "data": event.to_payload(),
            },
        )


@outbox_handler(PLUGIN_EVENT_TOPIC)
def plugin_event_deliver(message: OutboxMessage) -> None:
    plugin = plugin_manager().plugin(message.payload["plugin"])
    if plugin is not None:  # disabled or removed since: nothing to do
        getattr(plugin, message.payload["event"])(message.payload["data"])


# WEBHOOKS


@subscribe(*[event for event in EVENTS if event.webhook_events])
def webhooks_notify(event: Event) -> None:
    """One row per subscribed webhook and event name (see ``Event.webhooks``)."""
    for name in event.webhooks():
        webhooks_publish(event=name, payload=event.to_payload())
