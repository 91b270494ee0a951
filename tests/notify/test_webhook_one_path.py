"""The webhook admin validates and saves through the same service as everyone else."""

import html

import pytest
from django.core.exceptions import ValidationError

from notify.models import Webhook
from notify.services import webhook_save
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "s" * 20


def _admin_post(client, url: str):
    client.force_login(UserFactory(role="administrator"))
    return client.post(
        "/admin/webhooks/new/",
        {
            "name": "ERP",
            "url": url,
            "secret": SECRET,
            "events": ["order.created"],
            "is_active": "on",
        },
    )


def _service_refusal(url: str) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        webhook_save(
            webhook=Webhook(name="ERP", secret=SECRET, events=["order.created"]),
            data={"url": url},
        )
    return refused.value.message_dict["url"]


@pytest.mark.parametrize(
    ("url", "_case"),
    [
        ("http://169.254.169.254/latest", "metadata_address"),
        ("http://10.1.2.3/hook", "private_network"),
        ("http://user:pass@203.0.113.5/hook", "credentials"),
    ],
)
def test_the_admin_refuses_a_bad_url_with_the_services_message(
    client, settings, url, _case
):
    # given
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    [message] = _service_refusal(url)

    # when
    response = _admin_post(client, url)

    # then
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message", "_case"),
    [
        (
            {"secret": "  "},
            "secret",
            "Give a shared secret for the signature.",
            "blank",
        ),
        ({"events": []}, "events", "Choose at least one event.", "no_events"),
        ({"events": ["order.eaten"]}, "events", "Unknown events: order.eaten.", "bad"),
    ],
)
def test_the_service_refuses_a_blank_secret_or_unknown_events(
    settings, data, field, message, _case
):
    # given
    settings.WEBHOOK_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    webhook = Webhook(
        name="ERP", url="http://203.0.113.5/hook", secret=SECRET, events=["*"]
    )

    # when
    with pytest.raises(ValidationError) as refused:
        webhook_save(webhook=webhook, data=data)

    # then
    assert refused.value.message_dict == {field: [message]}
    assert not Webhook.objects.exists()


def test_a_webhook_saved_in_the_admin_is_the_one_the_service_saves(client, settings):
    # given
    settings.WEBHOOK_ALLOWED_NETWORKS = ["203.0.113.0/24"]

    # when
    response = _admin_post(client, "http://203.0.113.5/hook")

    # then
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert (webhook.name, webhook.url, webhook.secret, webhook.events) == (
        "ERP",
        "http://203.0.113.5/hook",
        SECRET,
        ["order.created"],
    )
