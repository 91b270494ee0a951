"""The outbox topics this app delivers, one transport each."""

from notify.models import OutboxMessage
from notify.outbox import outbox_handler
from notify.services import (
    BROADCAST_TOPIC,
    NOTIFICATION_TOPIC,
    broadcast_deliver,
    notification_deliver,
)
from notify.transports.email import EmailTransport
from notify.transports.push import PushTransport
from notify.transports.webhook import WebhookTransport

TRANSPORTS = [EmailTransport(), PushTransport(), WebhookTransport()]


def _register() -> None:
    for transport in TRANSPORTS:

        def handle(message: OutboxMessage, transport=transport) -> None:
            transport.send(message)

        outbox_handler(transport.topic, lease_seconds=transport.lease_seconds)(handle)


_register()


@outbox_handler(BROADCAST_TOPIC)
def broadcast(message: OutboxMessage) -> None:
    broadcast_deliver(message.payload)


@outbox_handler(NOTIFICATION_TOPIC)
def notification(message: OutboxMessage) -> None:
    notification_deliver(message.payload)
