"""Signed webhook deliveries; every attempt is recorded."""

import hashlib
import hmac
import json
import time

import requests

from notify import http
from notify.models import OutboxMessage, Webhook, WebhookDelivery
from notify.outbox import DeliveryError
from notify.transports.base import Transport

SIGNATURE_HEADER = "X-Fantasize-Signature"
EVENT_HEADER = "X-Fantasize-Event"
DELIVERY_HEADER = "X-Fantasize-Delivery"
EXCERPT = 500


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>``; receivers reject old t."""
    mac = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={mac}"


class WebhookTransport(Transport):
    topic = "notify.webhook"

    def send(self, message: OutboxMessage) -> None:
        payload = message.payload
        webhook = Webhook.objects.filter(pk=payload["webhook_id"]).first()
        if webhook is None or not webhook.is_active:
            return
        body = json.dumps(
            {
                "id": message.pk,
                "event": payload["event"],
                "created_at": message.created_at.isoformat(),
                "data": payload["data"],
            },
            separators=(",", ":"),
            sort_keys=True,
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(
                secret=webhook.secret, timestamp=int(time.time()), body=body
            ),
            EVENT_HEADER: payload["event"],
            DELIVERY_HEADER: str(message.pk),
        }
        started = time.monotonic()
        status_code, excerpt, error, refused = None, "", "", False
        try:
            response = http.post(webhook.url, body=body, headers=headers)
            status_code, excerpt = response.status_code, response.text[:EXCERPT]
        except http.UnsafeUrlError as unsafe:
            error, refused = f"refused: {unsafe}", True
        except requests.RequestException as failure:
            error = f"{type(failure).__name__}: {failure}"
        duration_ms = int((time.monotonic() - started) * 1000)
        succeeded = status_code is not None and 200 <= status_code < 300

        def record() -> None:
            WebhookDelivery.objects.create(
                webhook=webhook,
                outbox_message=message,
                event=payload["event"],
                attempt=message.attempts + 1,
                succeeded=succeeded,
                status_code=status_code,
                duration_ms=duration_ms,
                response_excerpt=excerpt,
                error=error[:500],
            )

        if not succeeded:
            raise DeliveryError(
                error or f"HTTP {status_code}", record=record, permanent=refused
            )
        record()
