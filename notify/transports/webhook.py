"""Signed webhook deliveries; every attempt is recorded.

The attempt row is committed before the request goes out and completed after it,
outside the outbox row's transaction (the topic is leased), so a worker killed
mid-request still leaves a record of what the receiver may have got.
"""

import hashlib
import hmac
import json
import time

import requests
from django.conf import settings

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


def _lease_seconds() -> float:
    """Longer than one request can take, so a claim outlives its delivery."""
    return settings.WEBHOOK_CONNECT_TIMEOUT + settings.WEBHOOK_READ_TIMEOUT + 30


INTERRUPTED = "no response recorded: the delivery was interrupted"


class WebhookTransport(Transport):
    topic = "notify.webhook"
    lease_seconds = staticmethod(_lease_seconds)

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
        # Committed before the request (no transaction is open for this topic).
        attempt = WebhookDelivery.objects.create(
            webhook=webhook,
            outbox_message=message,
            event=payload["event"],
            attempt=message.attempts,
            succeeded=False,
            duration_ms=0,
            error=INTERRUPTED,
        )
        started = time.monotonic()
        status_code, excerpt, error, refused = None, "", "", False
        try:
            response = http.post(webhook.url, body=body, headers=headers)
            status_code, excerpt = response.status_code, response.text[:EXCERPT]
        except http.UnsafeUrlError as unsafe:
            error, refused = f"refused: {unsafe}", True
        except requests.RequestException as failure:
            error = f"{type(failure).__name__}: {failure}"
        attempt.duration_ms = int((time.monotonic() - started) * 1000)
        attempt.succeeded = status_code is not None and 200 <= status_code < 300
        attempt.status_code = status_code
        attempt.response_excerpt = excerpt
        attempt.error = error[:500]
        attempt.save(
            update_fields=[
                "duration_ms",
                "succeeded",
                "status_code",
                "response_excerpt",
                "error",
            ]
        )
        if not attempt.succeeded:
            raise DeliveryError(error or f"HTTP {status_code}", permanent=refused)
