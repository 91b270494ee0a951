"""Notification endpoints: every role, own data only, hostile input."""

import pytest
from django.core import mail

from notify.models import DeviceToken, Notification
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for, placeholders_fill
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "customer", "manager", "administrator")
TOKEN = "fcm-token-" + "x" * 30
SEND = {"title": "Sale", "body": "20% off", "channels": ["in_app"], "user": "{other}"}

# (method, path, body, expected per persona)
MATRIX = [
    ("get", "/api/notifications", None, (401, 200, 200, 200)),
    ("post", "/api/notifications", SEND, (401, 403, 202, 202)),
    ("post", "/api/notifications/{own}/read", None, (401, 200, 200, 200)),
    ("post", "/api/notifications/{others}/read", None, (401, 404, 404, 404)),
    ("post", "/api/notifications/read-all", None, (401, 200, 200, 200)),
    (
        "post",
        "/api/notifications/devices",
        {"token": TOKEN, "platform": "android"},
        (401, 201, 201, 201),
    ),
    (
        "delete",
        "/api/notifications/devices",
        {"token": "{own_token}"},
        (401, 204, 204, 204),
    ),
    (
        "delete",
        "/api/notifications/devices",
        {"token": "{other_token}"},
        (401, 404, 404, 404),
    ),
    ("get", "/api/notifications/preferences", None, (401, 200, 200, 200)),
    ("patch", "/api/notifications/preferences", {"push": False}, (401, 200, 200, 200)),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{m[0]} {m[1]} {m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_notification_permission_matrix(method, path, body, expected, persona_index):
    persona = PERSONAS[persona_index]
    user = None if persona == "anonymous" else UserFactory(role=persona)
    other = UserFactory()
    own = Notification.objects.create(recipient=user or other, title="mine")
    others = Notification.objects.create(recipient=other, title="not yours")
    own_token = "own-token-" + "y" * 30
    other_token = "other-token-" + "z" * 30
    if user:
        DeviceToken.objects.create(user=user, token=own_token)
    DeviceToken.objects.create(user=other, token=other_token)
    values = {
        "own": own.pk,
        "others": others.pk,
        "other": other.pk,
        "own_token": own_token,
        "other_token": other_token,
    }

    response = getattr(client_for(user), method)(
        path.format(**values), placeholders_fill(body, values), format="json"
    )

    assert response.status_code == expected[persona_index], response.content
    assert Notification.objects.get(pk=others.pk).read_at is None
    assert DeviceToken.objects.filter(token=other_token, user=other).exists()


def test_a_customer_lists_only_their_own_notifications_unread_first():
    alice, bob = UserFactory(), UserFactory()
    older = Notification.objects.create(recipient=alice, title="older")
    read = Notification.objects.create(recipient=alice, title="read")
    Notification.objects.create(recipient=bob, title="bob's")
    client = client_for(alice)
    client.post(f"/api/notifications/{read.pk}/read")

    listed = client.get("/api/notifications").json()
    unread = client.get("/api/notifications", {"unread": "true"}).json()

    assert [n["title"] for n in listed["results"]] == ["older", "read"]
    assert listed["count"] == 2
    assert [n["id"] for n in unread["results"]] == [older.pk]
    assert client.post("/api/notifications/read-all").json() == {"marked_read": 1}


@pytest.mark.parametrize(
    "audience",
    [{"role": "customer"}, {"all_customers": True}],
)
def test_staff_send_to_a_role_or_all_customers(audience):
    customers = [UserFactory() for _ in range(3)]
    manager = UserFactory(role="manager")

    response = client_for(manager).post(
        "/api/notifications",
        {
            "title": "Sale",
            "body": "20% off",
            "channels": ["in_app", "email"],
            **audience,
        },
        format="json",
    )
    outbox_drain()

    assert response.status_code == 202
    assert response.json()["recipients"] == 3
    assert set(
        Notification.objects.filter(event="announcement").values_list(
            "recipient_id", flat=True
        )
    ) == {c.pk for c in customers}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in customers)
    assert {m.subject for m in mail.outbox} == {"Sale"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x", "body": "y", "channels": ["in_app"]}, "non_field_errors"),
        (
            {
                "title": "x",
                "body": "y",
                "channels": ["in_app"],
                "user": 1,
                "role": "customer",
            },
            "non_field_errors",
        ),
        ({"title": "x", "body": "y", "channels": [], "user": 1}, "channels"),
        ({"title": "x", "body": "y", "channels": ["fax"], "user": 1}, "channels"),
        ({"title": "", "body": "y", "channels": ["in_app"], "user": 1}, "title"),
        ({"title": "x" * 300, "body": "y", "channels": ["in_app"], "user": 1}, "title"),
        ({"title": "x", "body": "y", "channels": ["in_app"], "user": 999999}, "user"),
        (
            {"title": "x", "body": "y", "channels": ["in_app"], "role": "wizards"},
            "role",
        ),
        (
            {"title": "x", "body": "y", "channels": ["in_app"], "user": "1; DROP"},
            "user",
        ),
        (
            {
                "title": "x",
                "body": "y",
                "channels": ["in_app"],
                "user": 1,
                "data": {"k": {"n": 1}},
            },
            "data",
        ),
    ],
)
def test_bad_send_input_is_400_with_the_field(payload, field):
    response = client_for(UserFactory(role="administrator")).post(
        "/api/notifications", payload, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "short",
        "x" * 600,
        "bad token with spaces" * 3,
        "<script>alert(1)</script>" * 2,
    ],
)
def test_bad_device_tokens_are_refused(token):
    response = client_for(UserFactory()).post(
        "/api/notifications/devices", {"token": token}, format="json"
    )

    assert response.status_code == 400
    assert not DeviceToken.objects.exists()


def test_a_token_moves_to_the_user_who_registers_it_last():
    alice, bob = UserFactory(), UserFactory()
    client_for(alice).post(
        "/api/notifications/devices", {"token": TOKEN}, format="json"
    )
    client_for(bob).post("/api/notifications/devices", {"token": TOKEN}, format="json")

    assert DeviceToken.objects.get(token=TOKEN).user == bob
