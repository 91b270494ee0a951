"""Each subscriber of an event has its own delivery: one failure blocks no other."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from smtplib import SMTPException

import pytest
import responses
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from commerce.plugins import BasePlugin
from notify.models import (
    DeviceToken,
    EmailTemplate,
    OutboxMessage,
    OutboxStatus,
    Webhook,
)
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for
from tests.notify.helpers import outbox_drain
from tests.notify.test_push import FCM_URL, GOOD, firebase  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

received: list[str] = []


class RecordingPlugin(BasePlugin):
    identifier = "tests.recording"
    name = "Recording"

    def order_created(self, payload):
        received.append(payload["number"])


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            calls.append(self.headers["X-Fantasize-Event"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", calls
    server.shutdown()
    server.server_close()


@pytest.fixture
def plugin(settings):
    settings.PLUGINS = [f"{__name__}.RecordingPlugin"]
    received.clear()
    yield
    received.clear()


def test_a_broken_customer_template_blocks_neither_staff_webhooks_nor_plugins(
    receiver, plugin
):
    # given: a customer template broken in the database (not through the admin)
    url, calls = receiver
    Webhook.objects.create(name="ERP", url=url, secret="s", events=["order.created"])
    EmailTemplate.objects.filter(event="order_placed").update(content=["broken"])
    UserFactory(email="boss@example.com", role="administrator")
    customer = UserFactory(email="ada@example.com")
    product = product_make(category_make(), title="Lamp", price="9.00", stock=3)

    # when
    response = client_for(customer).post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )
    outbox_drain()

    # then: only the customer's notification is waiting for a retry
    assert response.status_code == 201
    number = response.json()["number"]
    failed = OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED)
    [customer_notification] = failed
    assert customer_notification.topic == "notify.notification"
    assert customer_notification.payload["event"] == "order_placed"
    assert customer_notification.status == OutboxStatus.PENDING
    assert "AttributeError" in customer_notification.last_error
    assert calls == ["order.created"]
    assert received == [number]
    assert [message.to for message in mail.outbox] == [["boss@example.com"]]


def test_a_template_that_raises_at_send_time_is_sent_with_the_error_marker(plugin):
    # given: stored before templates were checked on save
    EmailTemplate.objects.filter(event="order_placed", language="en").update(
        content={"subject": "Order {{ 1/0 }}", "text": "{% include 'x' %}", "html": ""}
    )
    customer = UserFactory(email="ada@example.com")
    product = product_make(category_make(), title="Lamp", price="9.00", stock=3)

    # when
    client_for(customer).post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )
    outbox_drain()

    # then
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists()
    [email] = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert (email.subject, email.body) == ("[template error]", "[template error]")
    assert len(received) == 1


@pytest.mark.parametrize(
    "source", ["{% include 'x.html' %}", "{{ 1/0 }}", "{{ '%999999999d'|format(1) }}"]
)
def test_the_admin_refuses_and_previews_a_hostile_template_without_a_500(
    client, source
):
    client.force_login(UserFactory(role="administrator"))
    template = EmailTemplate.objects.get(event="order_placed", language="en")
    form = {
        "event": "order_placed",
        "language": "en",
        "subject": "Order",
        "text_body": source,
        "html_body": "",
        "push": "",
    }

    preview = client.post(
        f"/admin/snippets/notify/emailtemplate/preview/{template.pk}/", form
    )
    saved = client.post(
        f"/admin/snippets/notify/emailtemplate/edit/{template.pk}/", form
    )

    assert preview.status_code == 200
    assert preview.json()["is_valid"] is False
    assert saved.status_code == 200
    assert "Template error" in saved.content.decode()
    template.refresh_from_db()
    assert source not in template.content.get("text", "")


class FailingEmailBackend(BaseEmailBackend):
    """The mail server refuses every message (the edge, not our code)."""

    def send_messages(self, email_messages):
        raise SMTPException("421 service not available")


@responses.activate
@pytest.mark.usefixtures("firebase")
def test_a_failing_email_blocks_neither_the_push_nor_webhooks_nor_plugins(
    settings, receiver, plugin
):
    # given: the mail server is down; the customer has the app installed
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": "ya29.test", "expires_in": 3600, "token_type": "Bearer"},
    )
    responses.post(FCM_URL, json={"name": "projects/fantasize-test/messages/1"})
    url, calls = receiver
    responses.add_passthru(url)
    Webhook.objects.create(name="ERP", url=url, secret="s", events=["order.created"])
    customer = UserFactory(email="ada@example.com")
    DeviceToken.objects.create(user=customer, token=GOOD, platform="android")
    product = product_make(category_make(), title="Lamp", price="9.00", stock=3)

    # when
    response = client_for(customer).post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )
    outbox_drain()

    # then: only the email waits for a retry; the push, webhook and plugin went out
    number = response.json()["number"]
    [waiting] = OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED)
    assert (waiting.topic, waiting.payload["to"]) == ("notify.email", "ada@example.com")
    assert "421 service not available" in waiting.last_error
    pushes = [
        json.loads(call.request.body)["message"]
        for call in responses.calls
        if call.request.url == FCM_URL
    ]
    assert [push["token"] for push in pushes] == [GOOD]
    assert number in pushes[0]["notification"]["title"]
    assert calls == ["order.created"]
    assert received == [number]
