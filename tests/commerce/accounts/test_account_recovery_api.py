"""Password reset, email change, and what a change of credentials does to tokens."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from commerce.accounts.models import User
from notify.models import EmailTemplate, Notification
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Good-Passphrase-7"
INVALID_TOKEN_BODY = {
    "type": "https://fantasize.dev/errors/invalid_token",
    "title": "Invalid token",
    "status": 400,
    "detail": "The link is invalid or has expired.",
    "code": "invalid_token",
}


def _token_from(message) -> str:
    match = re.search(r"token=([^\s\"<]+)", message.body)
    assert match, message.body
    return unquote(match.group(1))


def _reset_request(client, email, capture):
    with capture(execute=True):
        return client.post("/api/users/password/reset", {"email": email}, format="json")


def _login(client, email, password):
    return client.post(
        "/api/users/login", {"email": email, "password": password}, format="json"
    )


# PASSWORD RESET


def test_reset_mails_a_link_and_confirm_sets_the_password(
    api_client, customer, django_capture_on_commit_callbacks
):
    # when
    response = _reset_request(
        api_client, "Alice@Example.com", django_capture_on_commit_callbacks
    )
    token = _token_from(mail.outbox[0])
    confirm = api_client.post(
        "/api/users/password/reset/confirm",
        {"token": token, "password": NEW_PASSWORD},
        format="json",
    )

    # then
    assert response.status_code == 202
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "Reset your Fantasize password"
    assert "http://localhost:8000/api/users/password/reset/confirm?token=" in (
        mail.outbox[0].body
    )
    assert confirm.status_code == 204
    assert _login(api_client, "alice@example.com", NEW_PASSWORD).status_code == 200
    assert not Notification.objects.exists()  # an account email, not a notification


def test_reset_answers_the_same_for_an_unknown_address(
    api_client, customer, django_capture_on_commit_callbacks
):
    # when
    known = _reset_request(
        api_client, "alice@example.com", django_capture_on_commit_callbacks
    )
    unknown = _reset_request(
        api_client, "nobody@example.com", django_capture_on_commit_callbacks
    )

    # then: same status and body; only the real owner gets a mail
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    api_client, customer, django_assert_num_queries
):
    # The lookup happens in the worker: the request itself writes one outbox row,
    # so its timing cannot tell the two apart.
    for email in ("alice@example.com", "nobody@example.com"):
        with django_assert_num_queries(3):  # savepoint, insert, release
            response = api_client.post(
                "/api/users/password/reset", {"email": email}, format="json"
            )
        assert response.status_code == 202
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_URL="https://shop.example/reset?token={token}")
def test_reset_link_uses_the_frontend_url_template(
    api_client, customer, django_capture_on_commit_callbacks
):
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)

    assert "https://shop.example/reset?token=" in mail.outbox[0].body


def test_reset_mail_uses_the_editable_template(
    api_client, customer, django_capture_on_commit_callbacks
):
    # given: the data migration stored the default; an administrator edits it
    template = EmailTemplate.objects.get(event="password_reset", language="en")
    template.content = {
        **template.content,
        "subject": "New password for {{ shop.name }}",
    }
    template.save()

    # when
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)

    # then
    assert mail.outbox[0].subject == "New password for Fantasize"


def test_reset_token_is_single_use(
    api_client, customer, django_capture_on_commit_callbacks
):
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[0])
    body = {"token": token, "password": NEW_PASSWORD}
    first = api_client.post("/api/users/password/reset/confirm", body, format="json")

    second = api_client.post(
        "/api/users/password/reset/confirm",
        {"token": token, "password": "Yet-Another-Passphrase-8"},
        format="json",
    )

    assert first.status_code == 204
    assert (second.status_code, second.json()) == (400, INVALID_TOKEN_BODY)
    assert _login(api_client, "alice@example.com", NEW_PASSWORD).status_code == 200


@override_settings(PASSWORD_RESET_TIMEOUT=3600)
def test_reset_token_expires(api_client, customer, django_capture_on_commit_callbacks):
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = api_client.post(
            "/api/users/password/reset/confirm",
            {"token": token, "password": NEW_PASSWORD},
            format="json",
        )

    assert (response.status_code, response.json()) == (400, INVALID_TOKEN_BODY)
    customer.refresh_from_db()
    assert customer.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MQ.",
        ".abc-def",
        "OTk5OTk5.c2v0-0123456789abcdef",  # no such user
        "%%%.\u0000",
        "MQ.c2v0-0123456789abcdef0123",  # user 1, forged secret
        "x" * 512,
    ],
    ids=["garbage", "no_secret", "no_user", "unknown_user", "binary", "forged", "long"],
)
def test_reset_confirm_with_a_bad_token_gives_one_message(api_client, customer, token):
    response = api_client.post(
        "/api/users/password/reset/confirm",
        {"token": token, "password": NEW_PASSWORD},
        format="json",
    )

    assert (response.status_code, response.json()) == (400, INVALID_TOKEN_BODY)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "invalid"),
        ([], "invalid"),
        ({"token": "", "password": NEW_PASSWORD}, "invalid"),
        ({"token": ["a"], "password": NEW_PASSWORD}, "invalid_token"),
        ({"token": {"a": 1}, "password": NEW_PASSWORD}, "invalid_token"),
        ({"token": "x" * 5000, "password": NEW_PASSWORD}, "invalid_token"),
        ({"token": "MQ.x", "password": "p" * 5000}, "invalid"),
    ],
    ids=["empty", "array", "blank", "list", "object", "oversized", "long_password"],
)
def test_reset_confirm_with_a_malformed_body_is_400(api_client, body, code):
    response = api_client.post("/api/users/password/reset/confirm", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code


def test_reset_with_a_malformed_body_is_400(api_client):
    response = api_client.post(
        "/api/users/password/reset", {"email": "not an email"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_reset_confirm_applies_the_password_validators(
    api_client, customer, django_capture_on_commit_callbacks
):
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)

    response = api_client.post(
        "/api/users/password/reset/confirm",
        {"token": _token_from(mail.outbox[0]), "password": "123"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["password"]
    customer.refresh_from_db()
    assert customer.check_password(DEFAULT_PASSWORD)


def test_reset_confirm_revokes_every_token_of_the_account(
    api_client, customer, django_capture_on_commit_callbacks
):
    # given: two sessions
    phone = _login(api_client, "alice@example.com", DEFAULT_PASSWORD).json()
    laptop = client_for(customer)
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)

    # when
    api_client.post(
        "/api/users/password/reset/confirm",
        {"token": _token_from(mail.outbox[0]), "password": NEW_PASSWORD},
        format="json",
    )

    # then
    assert laptop.get("/api/users/profile").status_code == 401
    phone_client = client_for(None)
    phone_client.credentials(HTTP_AUTHORIZATION=f"Bearer {phone['access_token']}")
    assert phone_client.get("/api/users/profile").status_code == 401
    refresh = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": phone["refresh_token"]},
        format="json",
    )
    assert refresh.status_code == 401
    assert not AccessToken.objects.filter(user=customer).exists()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_reset_lifts_the_login_cool_down_of_the_account(
    api_client, customer, django_capture_on_commit_callbacks
):
    # given: the owner forgot the password and locked their pair
    for _ in range(3):
        _login(api_client, "alice@example.com", "forgotten")
    assert _login(api_client, "alice@example.com", "x").status_code == 429
    _reset_request(api_client, "alice@example.com", django_capture_on_commit_callbacks)

    # when
    api_client.post(
        "/api/users/password/reset/confirm",
        {"token": _token_from(mail.outbox[0]), "password": NEW_PASSWORD},
        format="json",
    )

    # then
    assert _login(api_client, "alice@example.com", NEW_PASSWORD).status_code == 200


def test_reset_mails_nobody_for_a_deactivated_account(
    api_client, django_capture_on_commit_callbacks
):
    UserFactory(email="gone@example.com", is_active=False)

    response = _reset_request(
        api_client, "gone@example.com", django_capture_on_commit_callbacks
    )

    assert response.status_code == 202
    assert mail.outbox == []


# EMAIL CHANGE


def _email_change(client, capture, new_email, password=DEFAULT_PASSWORD):
    with capture(execute=True):
        return client.post(
            "/api/users/email/change",
            {"new_email": new_email, "current_password": password},
            format="json",
        )


def test_email_change_confirmed_by_the_new_address_tells_the_old_one(
    api_client, customer, django_capture_on_commit_callbacks
):
    # given
    client = client_for(customer)

    # when
    requested = _email_change(
        client, django_capture_on_commit_callbacks, "Alice.New@Example.com"
    )
    unchanged = User.objects.get(pk=customer.pk).email
    token = _token_from(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api_client.post(
            "/api/users/email/change/confirm", {"token": token}, format="json"
        )

    # then
    assert requested.status_code == 202
    assert unchanged == "alice@example.com"
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["email"] == "alice.new@example.com"
    assert [m.to for m in mail.outbox] == [
        ["alice.new@example.com"],
        ["alice@example.com"],
    ]
    assert "alice.new@example.com" in mail.outbox[1].body
    assert _login(
        api_client, "alice.new@example.com", DEFAULT_PASSWORD
    ).status_code == (200)
    again = api_client.post(
        "/api/users/email/change/confirm", {"token": token}, format="json"
    )
    assert (again.status_code, again.json()) == (400, INVALID_TOKEN_BODY)


def test_email_change_needs_the_current_password(
    customer, django_capture_on_commit_callbacks
):
    response = _email_change(
        client_for(customer),
        django_capture_on_commit_callbacks,
        "alice.new@example.com",
        password="wrong",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["current_password"]
    assert mail.outbox == []


def test_email_change_needs_a_login(api_client):
    response = api_client.post(
        "/api/users/email/change",
        {"new_email": "x@example.com", "current_password": "x"},
        format="json",
    )

    assert response.status_code == 401


def test_email_change_to_a_taken_address_fails_only_at_confirmation(
    api_client, customer, other_customer, django_capture_on_commit_callbacks
):
    # when: the request looks like any other
    requested = _email_change(
        client_for(customer), django_capture_on_commit_callbacks, "bob@example.com"
    )
    confirmed = api_client.post(
        "/api/users/email/change/confirm",
        {"token": _token_from(mail.outbox[0])},
        format="json",
    )

    # then
    assert requested.status_code == 202
    assert confirmed.status_code == 400
    assert confirmed.json()["code"] == "email_in_use"
    assert User.objects.get(pk=customer.pk).email == "alice@example.com"


@override_settings(EMAIL_CHANGE_TIMEOUT=600)
def test_email_change_token_expires(
    api_client, customer, django_capture_on_commit_callbacks
):
    _email_change(
        client_for(customer), django_capture_on_commit_callbacks, "new@example.com"
    )
    token = _token_from(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = api_client.post(
            "/api/users/email/change/confirm", {"token": token}, format="json"
        )

    assert (response.status_code, response.json()) == (400, INVALID_TOKEN_BODY)


@pytest.mark.parametrize(
    "token", ["garbage", "eyJ1c2VyIjoxfQ:1abc:forged", "a" * 1024], ids=str
)
def test_email_change_confirm_with_a_bad_token_gives_one_message(api_client, token):
    response = api_client.post(
        "/api/users/email/change/confirm", {"token": token}, format="json"
    )

    assert (response.status_code, response.json()) == (400, INVALID_TOKEN_BODY)


@override_settings(EMAIL_CHANGE_CONFIRM_URL="https://shop.example/email?token={token}")
def test_email_change_link_uses_the_frontend_url_template(
    customer, django_capture_on_commit_callbacks
):
    _email_change(
        client_for(customer), django_capture_on_commit_callbacks, "new@example.com"
    )

    assert "https://shop.example/email?token=" in mail.outbox[0].body


# TOKENS AFTER CREDENTIAL CHANGES


def test_password_change_revokes_other_sessions_and_gives_a_fresh_pair(customer):
    # given
    current = client_for(customer)
    other = client_for(customer)

    # when
    response = current.patch(
        "/api/users/profile",
        {"password": NEW_PASSWORD, "current_password": DEFAULT_PASSWORD},
        format="json",
    )

    # then
    assert response.status_code == 200
    tokens = response.json()["tokens"]
    assert other.get("/api/users/profile").status_code == 401
    assert current.get("/api/users/profile").status_code == 401
    fresh = client_for(None)
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert fresh.get("/api/users/profile").status_code == 200
    assert RefreshToken.objects.filter(user=customer, revoked__isnull=True).count() == 1


def test_deactivation_stops_refresh_and_reactivation_brings_no_token_back(
    api_client, customer, administrator
):
    # given
    session = _login(api_client, "alice@example.com", DEFAULT_PASSWORD).json()
    admin = client_for(administrator)

    # when
    deactivated = admin.patch(
        f"/api/users/{customer.pk}", {"is_active": False}, format="json"
    )
    refresh_while_inactive = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": session["refresh_token"]},
        format="json",
    )
    admin.patch(f"/api/users/{customer.pk}", {"is_active": True}, format="json")
    refresh_after = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": session["refresh_token"]},
        format="json",
    )
    old_access = client_for(None)
    old_access.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")

    # then
    assert deactivated.status_code == 200
    assert refresh_while_inactive.status_code == 401
    assert refresh_after.status_code == 401
    assert old_access.get("/api/users/profile").status_code == 401
    assert _login(api_client, "alice@example.com", DEFAULT_PASSWORD).status_code == 200


# REGISTRATION WITH A TAKEN ADDRESS


def test_register_with_a_taken_address_mails_the_owner(
    api_client, customer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/users/register",
            {"email": "ALICE@example.com", "password": NEW_PASSWORD},
            format="json",
        )

    # then: refused (a success carries tokens), and the owner hears of it
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["A user with this email address already exists."]
    }
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "Your Fantasize account"
    assert "/api/users/password/reset/confirm?token=" in mail.outbox[0].body
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_register_checks_the_password_before_the_address(api_client, customer):
    # A weak password is reported first whether or not the address is taken, and
    # both paths hash the password, so the answer's shape and time are alike.
    taken = api_client.post(
        "/api/users/register",
        {"email": "alice@example.com", "password": "123"},
        format="json",
    )
    free = api_client.post(
        "/api/users/register",
        {"email": "free@example.com", "password": "123"},
        format="json",
    )

    assert taken.status_code == free.status_code == 400
    assert taken.json() == free.json()
    assert mail.outbox == []
