"""What happens after commerce events commit: notifications, plugins and webhooks.

Each event row from the outbox fans out into more outbox rows, one per subscriber:
one per notification (customer, staff), plugin call and webhook delivery. The event
handlers only write those rows, so one failing subscriber (a broken template, a
plugin that raises, a webhook that is down) is retried on its own and never holds
back the others, and a delivered one is never repeated.
"""

from typing import Any

from commerce.accounts.services.users import (
    PASSWORD_RESET_TOPIC,
    password_reset_mail_send,
)
from commerce.enums import OrderStatus, UserRole
from commerce.plugins.manager import plugin_manager
from notify.enums import EmailEvent
from notify.models import Channel, OutboxMessage
from notify.outbox import outbox_handler
from notify.services import (
    notification_enqueue,
    outbox_event_record,
    webhooks_publish,
)

PLUGIN_EVENT_TOPIC = "commerce.plugin_event"
ALL_CHANNELS = [Channel.IN_APP, Channel.EMAIL, Channel.PUSH]
STAFF_CHANNELS = [Channel.IN_APP, Channel.EMAIL]


def _order_context(payload: dict[str, Any], note: str = "") -> dict[str, Any]:
    status = payload.get("status", "")
    label = OrderStatus(status).label.lower() if status in OrderStatus.values else ""
    return {
        "order": {
            "id": payload.get("order_id"),
            "number": payload.get("number", ""),
            "total": payload.get("total", ""),
            "currency": payload.get("currency", "EUR"),
            "status": status,
            "status_label": label,
            "note": note,
        }
    }


def _plugins_notify(event: str, payload: dict[str, Any]) -> None:
    for plugin in plugin_manager().plugins:
        outbox_event_record(
            topic=PLUGIN_EVENT_TOPIC,
            payload={"plugin": plugin.identifier, "event": event, "data": payload},
        )


@outbox_handler(PLUGIN_EVENT_TOPIC)
def plugin_event_deliver(message: OutboxMessage) -> None:
    plugin = plugin_manager().plugin(message.payload["plugin"])
    if plugin is not None:  # disabled or removed since: nothing to do
        getattr(plugin, message.payload["event"])(message.payload["data"])


@outbox_handler("order.created")
def order_created(message: OutboxMessage) -> None:
    payload = message.payload
    context = _order_context(payload)
    data = {"order_id": payload["order_id"], "number": payload["number"]}
    notification_enqueue(
        user_ids=[payload["customer_id"]],
        event=EmailEvent.ORDER_PLACED,
        context=context,
        channels=ALL_CHANNELS,
        data=data,
    )
    notification_enqueue(
        groups=[UserRole.ADMINISTRATOR.value, UserRole.MANAGER.value],
        event=EmailEvent.STAFF_NEW_ORDER,
        context=context,
        channels=STAFF_CHANNELS,
        data=data,
    )
    _plugins_notify("order_created", payload)
    webhooks_publish(event="order.created", payload=payload)


@outbox_handler("order.status_changed")
def order_status_changed(message: OutboxMessage) -> None:
    payload = message.payload
    cancelled = payload["status"] == OrderStatus.CANCELLED
    notification_enqueue(
        user_ids=[payload["customer_id"]],
        event=EmailEvent.ORDER_CANCELLED
        if cancelled
        else EmailEvent.ORDER_STATUS_CHANGED,
        context=_order_context(payload, note=payload.get("note", "")),
        channels=ALL_CHANNELS,
        data={"order_id": payload["order_id"], "status": payload["status"]},
    )
    _plugins_notify("order_status_changed", payload)
    webhooks_publish(event="order.status_changed", payload=payload)
    if cancelled:
        webhooks_publish(event="order.cancelled", payload=payload)


@outbox_handler("order.payment_status_changed")
def order_payment_status_changed(message: OutboxMessage) -> None:
    _plugins_notify("order_payment_status_changed", message.payload)
    webhooks_publish(event="order.payment_status_changed", payload=message.payload)


@outbox_handler("user.registered")
def customer_created(message: OutboxMessage) -> None:
    payload = message.payload
    notification_enqueue(
        user_ids=[payload["user_id"]],
        event=EmailEvent.WELCOME,
        context={},
        channels=[Channel.IN_APP, Channel.EMAIL],
    )
    _plugins_notify("customer_created", payload)
    webhooks_publish(event="customer.created", payload=payload)


@outbox_handler(PASSWORD_RESET_TOPIC)
def password_reset_requested(message: OutboxMessage) -> None:
    password_reset_mail_send(email=message.payload["email"])


@outbox_handler("product.published")
def product_published(message: OutboxMessage) -> None:
    _plugins_notify("product_published", message.payload)
    webhooks_publish(event="product.published", payload=message.payload)
