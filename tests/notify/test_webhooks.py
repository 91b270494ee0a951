"""Webhooks: signed deliveries to a local receiver, retries, refused private targets."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notify.http import UnsafeUrlError, url_check
from notify.models import OutboxMessage, Webhook, WebhookDelivery
from notify.outbox import outbox_message_process
from notify.services import webhook_save, webhooks_publish

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-tests"


class Receiver:
    """A local HTTP endpoint that answers with the queued status codes."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"boom")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    made = []

    def make(statuses=()):
        receiver = Receiver(statuses)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def _publish(event="order.created", data=None):
    with transaction.atomic():
        webhooks_publish(event=event, payload=data or {"order_id": 1})
    return OutboxMessage.objects.get(topic="notify.webhook")


def test_the_receiver_gets_a_correctly_signed_body(receiver_factory):
    receiver = receiver_factory()
    Webhook.objects.create(
        name="ERP", url=receiver.url, secret=SECRET, events=["order.created"]
    )
    message = _publish(data={"order_id": 42, "total": "9.00"})

    outbox_message_process(message_id=message.pk)

    headers, body = receiver.requests[0]
    timestamp, mac = (
        part.split("=", 1)[1] for part in headers["X-Fantasize-Signature"].split(",")
    )
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(mac, expected)
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert json.loads(body)["data"] == {"order_id": 42, "total": "9.00"}
    assert headers["X-Fantasize-Event"] == "order.created"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.succeeded, delivery.status_code, delivery.attempt) == (
        True,
        200,
        1,
    )


def test_a_500_is_retried_with_backoff_and_every_attempt_is_recorded(receiver_factory):
    receiver = receiver_factory(statuses=[500, 500, 200])
    Webhook.objects.create(name="ERP", url=receiver.url, secret=SECRET, events=["*"])
    message = _publish()
    waits = []

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            before = timezone.now()
            outbox_message_process(message_id=message.pk)
            message.refresh_from_db()
            if message.status == "pending":
                waits.append((message.available_at - before).total_seconds())
                clock.move_to(message.available_at)

    assert waits == [30, 60]
    assert message.status == "delivered"
    attempts = list(
        WebhookDelivery.objects.order_by("attempt").values_list(
            "attempt", "status_code", "succeeded", "response_excerpt"
        )
    )
    assert attempts == [
        (1, 500, False, "boom"),
        (2, 500, False, "boom"),
        (3, 200, True, "ok"),
    ]
    assert len(receiver.requests) == 3
    # The same delivery id every time, so receivers can drop repeats.
    assert {h["X-Fantasize-Delivery"] for h, _ in receiver.requests} == {
        str(message.pk)
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
        "ftp://example.com/",
        "http://user:pass@example.com/",
    ],
)
def test_private_targets_are_refused_without_the_allow_list(url, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    with pytest.raises(UnsafeUrlError):
        url_check(url)
    with pytest.raises(ValidationError) as refused:
        webhook_save(
            webhook=Webhook(name="x", secret=SECRET, events=["*"]), data={"url": url}
        )
    assert "url" in refused.value.message_dict


def test_the_allow_list_admits_a_private_network(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    url_check("http://10.1.2.3/hook")
    with pytest.raises(UnsafeUrlError):
        url_check("http://192.168.0.10/hook")


def test_a_target_that_became_private_is_refused_at_delivery_and_not_retried(
    receiver_factory, settings
):
    receiver = receiver_factory()
    Webhook.objects.create(name="ERP", url=receiver.url, secret=SECRET, events=["*"])
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    message = _publish()

    outbox_message_process(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == "failed"
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().error.startswith("refused:")


def test_manual_retry_requeues_a_failed_delivery(receiver_factory, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    receiver = receiver_factory(statuses=[500])
    Webhook.objects.create(name="ERP", url=receiver.url, secret=SECRET, events=["*"])
    message = _publish()
    outbox_message_process(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"

    from notify.outbox import outbox_message_retry

    outbox_message_retry(message_id=message.pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        outbox_message_process(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == "delivered"
    assert WebhookDelivery.objects.count() == 2
