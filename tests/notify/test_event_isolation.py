"""Each subscriber of an event has its own delivery: one failure blocks no other."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from commerce.plugins import BasePlugin
from notify.models import EmailTemplate, OutboxMessage, OutboxStatus, Webhook
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for
from tests.notify.helpers import outbox_drain

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
