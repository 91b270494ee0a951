"""Notification admin: who may open what, webhook URL checks, manual retry."""

import pytest
from django.db import transaction

from notify.models import OutboxMessage, Webhook
from notify.services import outbox_event_record
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_ONLY = [
    "/admin/webhooks/",
    "/admin/webhook_deliveries/",
    "/admin/outbox/",
    "/admin/snippets/notify/emailtemplate/",
    "/admin/plugins/",
]


@pytest.mark.parametrize("url", ADMIN_ONLY)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("customer", False), ("manager", False), ("administrator", True)],
)
def test_integration_screens_are_for_administrators(client, url, role, allowed):
    client.force_login(UserFactory(role=role))

    response = client.get(url)

    assert (response.status_code == 200) is allowed, response.status_code


def test_managers_see_notifications_and_devices(client):
    client.force_login(UserFactory(role="manager"))

    assert client.get("/admin/notifications/").status_code == 200
    assert client.get("/admin/device_tokens/").status_code == 200


def test_the_admin_refuses_a_webhook_on_a_private_network(client, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    client.force_login(UserFactory(role="administrator"))

    response = client.post(
        "/admin/webhooks/new/",
        {
            "name": "Internal",
            "url": "http://169.254.169.254/latest",
            "secret": "x" * 20,
            "events": ["order.created"],
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "non-public address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_admin_retries_a_failed_delivery(client, settings):
    client.force_login(UserFactory(role="administrator"))
    with transaction.atomic():
        message = outbox_event_record(
            topic="notify.email",
            payload={"to": "a@example.com", "subject": "s", "text": "t", "html": ""},
        )
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", attempts=8)

    assert client.get(f"/admin/outbox/retry/{message.pk}/").status_code == 200
    response = client.post(f"/admin/outbox/retry/{message.pk}/")

    assert response.status_code == 302
    message.refresh_from_db()
    # Huey runs tasks at once in tests, so the retried row is delivered already.
    assert message.status == "delivered"


def test_managers_cannot_retry(client):
    client.force_login(UserFactory(role="manager"))
    with transaction.atomic():
        message = outbox_event_record(topic="unknown.topic", payload={})

    assert client.post(f"/admin/outbox/retry/{message.pk}/").status_code in {302, 403}
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 0
