"""Outbox delivery: queue outages, killed workers, retries with backoff."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage
from redis import ConnectionPool

from commerce.orders.models import Order
from notify.models import Notification, OutboxMessage, OutboxStatus
from notify.outbox import outbox_message_process, retry_delay
from notify.services import outbox_event_record
from notify.tasks import outbox_redrive
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_down(monkeypatch):
    """Huey on a Redis that does not answer, as when the Redis server is stopped."""
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(
        HUEY,
        "storage",
        RedisStorage(
            name="fantasize-test",
            connection_pool=ConnectionPool(
                host="127.0.0.1", port=1, socket_connect_timeout=0.2
            ),
        ),
    )


def _place(customer):
    product = product_make(category_make(), title="Lamp", price="9.00", stock=3)
    return client_for(customer).post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )


def test_an_order_placed_while_the_queue_is_down_is_notified_after_recovery(
    queue_down, django_capture_on_commit_callbacks, monkeypatch
):
    customer = UserFactory(email="ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = _place(customer)

    assert response.status_code == 201
    assert mail.outbox == []
    placed = OutboxMessage.objects.get(topic="order.created")
    assert placed.status == OutboxStatus.PENDING
    # The queue is back: the periodic re-drive queues what is due.
    monkeypatch.undo()
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        queued = outbox_redrive()

    assert (
        queued
        == OutboxMessage.objects.filter(
            topic__in=["order.created", "product.published"]
        ).count()
    )
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert "FNT-" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=customer).event == "order_placed"
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists()


class WorkerKilled(BaseException):
    """What the process sees when the consumer is killed: not an Exception."""


def test_a_delivery_killed_mid_run_is_redriven_and_sent_once(monkeypatch):
    with pytest.MonkeyPatch.context() as patch:
        from django.db import transaction

        with transaction.atomic():
            message = outbox_event_record(
                topic="notify.email",
                payload={
                    "to": "ada@example.com",
                    "subject": "Hi",
                    "text": "Hello",
                    "html": "",
                },
            )

        def killed(*args, **kwargs):
            raise WorkerKilled()

        # The worker dies inside the email backend's send (the edge).
        patch.setattr(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", killed
        )
        with pytest.raises(WorkerKilled):
            outbox_message_process(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == ("pending", 0, 0)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        outbox_redrive()  # immediate Huey in tests: the task runs now
    # A late duplicate of the first task, and another re-drive, change nothing.
    outbox_message_process(message_id=message.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        outbox_redrive()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<outbox-{message.pk}@fantasize.local>"
    )
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 1)


def test_failures_back_off_exponentially_then_fail_for_good(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    from django.db import transaction

    with transaction.atomic():
        message = outbox_event_record(
            topic="notify.email",
            payload={"to": "ada@example.com", "subject": "Hi", "text": "x", "html": ""},
        )

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", refused
    )
    delays = []
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            before = timezone.now()
            result = outbox_message_process(message_id=message.pk)
            # Too early: a retry before its time does nothing.
            assert outbox_message_process(message_id=message.pk) is None
            message.refresh_from_db()
            if result.retry_in:
                delays.append(message.available_at - before)
                clock.move_to(message.available_at)

    assert delays == [retry_delay(1), retry_delay(2), retry_delay(3)]
    assert [d.total_seconds() for d in delays] == [30, 60, 120]
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 4
    assert "SMTP server down" in message.last_error
    assert mail.outbox == []


def test_every_order_state_change_fans_out_to_the_customer_and_staff():
    customer = UserFactory(email="ada@example.com")
    manager = UserFactory(email="boss@example.com", role="manager")
    order_id = _place(customer).json()["id"]
    order_pay(client_for(customer), order_id, "cash_on_delivery")
    client_for(manager).patch(
        f"/api/orders/{order_id}", {"status": "processing"}, format="json"
    )
    client_for(manager).patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    outbox_drain()

    events = list(
        Notification.objects.filter(recipient=customer)
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert events == ["order_placed", "order_status_changed", "order_cancelled"]
    assert Notification.objects.get(recipient=manager).event == "staff_new_order"
    subjects = sorted(m.subject for m in mail.outbox)
    number = Order.objects.get().number
    assert subjects == sorted(
        [
            f"Order {number} received",
            f"Order {number} is processing",
            f"Order {number} was cancelled",
            f"New order {number}",
        ]
    )


def test_registration_sends_a_welcome(api_client):
    from tests.commerce.factories import DEFAULT_PASSWORD

    response = api_client.post(
        "/api/users/register",
        {"email": "new@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )
    outbox_drain()

    assert response.status_code == 201
    assert [m.subject for m in mail.outbox] == ["Welcome to Fantasize"]


def test_preferences_switch_email_off(api_client):
    customer = UserFactory()
    client_for(customer).patch(
        "/api/notifications/preferences", {"email": False}, format="json"
    )
    _place(customer)

    outbox_drain()

    assert Notification.objects.get(recipient=customer).channels == ["in_app"]
    assert mail.outbox == []


def test_a_notification_lists_the_channels_it_went_out_on():
    customer = UserFactory()
    _place(customer)

    outbox_drain()

    # Push is off here (no Firebase credentials), so in-app and email only.
    assert Notification.objects.get(recipient=customer).channels == ["in_app", "email"]
    assert len(mail.outbox) == 1
