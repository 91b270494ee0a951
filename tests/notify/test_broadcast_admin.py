"""Send message in the admin: broadcasts with channels and a preview, as the API sends."""

import re

import pytest
from django.core import mail

from notify.models import Notification, OutboxMessage
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

URL = "/admin/notifications/new/"


@pytest.fixture
def customers():
    return [
        UserFactory(email=f"shopper{i}@example.com", role="customer") for i in range(3)
    ]


def _staff_client(client, role="manager"):
    client.force_login(UserFactory(role=role))
    return client


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_staff_open_send_message_with_in_app_ticked(client, role):
    staff = _staff_client(client, role)

    response = staff.get(URL)
    index = staff.get("/admin/notifications/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Send message" in html
    assert re.search(r'<input[^>]*value="in_app"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="email"[^>]*checked', html)
    assert f'href="{URL}"' in index.content.decode()
    assert "Send message" in index.content.decode()


def test_customers_cannot_send_messages(client, customers):
    client.force_login(customers[0])

    response = client.post(
        URL, {"title": "x", "body": "y", "audience": "all_customers", "send": "1"}
    )

    assert response.status_code in (302, 403)
    assert not OutboxMessage.objects.exists()


def test_the_preview_shows_the_message_and_the_count_and_sends_nothing(
    client, customers
):
    response = _staff_client(client).post(
        URL,
        {
            "title": "Summer sale",
            "body": "Everything 20% off",
            "audience": "all_customers",
            "channels": ["in_app", "email"],
            "preview": "1",
        },
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.recipients, preview.subject, preview.push) == (
        3,
        "Summer sale",
        "Everything 20% off",
    )
    assert preview.channels == ["email", "in_app"]
    assert "Goes to <strong>3</strong> recipients" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()


def test_sending_to_all_customers_by_email_and_in_app(client, customers):
    # when
    response = _staff_client(client).post(
        URL,
        {
            "title": "Summer sale",
            "body": "Everything 20% off",
            "audience": "all_customers",
            "channels": ["in_app", "email"],
            "send": "1",
        },
    )
    outbox_drain()

    # then
    assert response.status_code == 302
    assert response["Location"] == "/admin/notifications/"
    rows = Notification.objects.filter(event="announcement")
    assert {row.recipient_id for row in rows} == {c.pk for c in customers}
    assert {tuple(row.channels) for row in rows} == {("in_app", "email")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in customers)


def test_no_channel_ticked_means_in_app_only(client, customers):
    _staff_client(client).post(
        URL,
        {
            "title": "Hello",
            "body": "In the app",
            "audience": "user",
            "user": customers[1].email,
            "send": "1",
        },
    )
    outbox_drain()

    row = Notification.objects.get()
    assert (row.recipient_id, row.channels) == (customers[1].pk, ["in_app"])
    assert mail.outbox == []


def test_sending_to_a_role(client, customers):
    managers = [UserFactory(role="manager") for _ in range(2)]

    _staff_client(client, "administrator").post(
        URL,
        {
            "title": "Stand-up",
            "body": "At ten",
            "audience": "role",
            "role": "manager",
            "send": "1",
        },
    )
    outbox_drain()

    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {m.pk for m in managers} <= recipients
    assert not recipients & {c.pk for c in customers}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"audience": "user", "user": "nobody@example.com"},
            "user",
            "No active user has this email address.",
        ),
        ({"audience": "user"}, "user", "Give the email address of the user."),
        ({"audience": "role"}, "role", "Choose a role."),
    ],
    ids=["unknown_user_case", "missing_user_case", "missing_role_case"],
)
def test_a_bad_audience_is_shown_on_the_form_and_nothing_is_sent(
    client, customers, data, field, message
):
    response = _staff_client(client).post(
        URL, {"title": "x", "body": "y", "send": "1", **data}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not OutboxMessage.objects.exists()


def test_the_api_defaults_channels_to_in_app(customers):
    response = client_for(UserFactory(role="manager")).post(
        "/api/notifications",
        {"title": "Hi", "body": "There", "user": customers[0].pk},
        format="json",
    )
    outbox_drain()

    assert response.status_code == 202, response.content
    assert Notification.objects.get().channels == ["in_app"]
    assert mail.outbox == []
