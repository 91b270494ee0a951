import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from commerce.accounts.models import User
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


def _login(client, email, password=DEFAULT_PASSWORD, path="/api/users/login"):
    return client.post(path, {"email": email, "password": password}, format="json")


def test_register_login_profile_end_to_end(api_client):
    # given
    body = {
        "email": "New@Example.com",
        "password": DEFAULT_PASSWORD,
        "name": "New Person",
    }

    # when
    registered = api_client.post("/api/users/register", body, format="json")
    login = _login(api_client, "new@example.com", path="/api/users/login/")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")
    profile = api_client.get("/api/users/profile")

    # then
    assert registered.status_code == 201, registered.json()
    assert registered.json()["user"]["email"] == "new@example.com"
    assert registered.json()["user"]["role"] == "customer"
    assert set(registered.json()["tokens"]) == {
        "access_token",
        "refresh_token",
        "expires_in",
        "token_type",
        "scope",
    }
    assert login.status_code == 200, login.json()
    assert login.json()["token_type"] == "Bearer"
    assert login.json()["expires_in"] == 300
    assert profile.status_code == 200
    assert profile.json()["email"] == "new@example.com"
    assert profile.json()["name"] == "New Person"
    assert "password" not in profile.json()
    assert User.objects.get(email="new@example.com").name == "New Person"


@pytest.mark.parametrize(
    "path", ["/api/users/register", "/api/users/register/"], ids=["no_slash", "slash"]
)
def test_register_accepts_both_path_spellings_without_redirect(api_client, path):
    response = api_client.post(
        path, {"email": "x@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    assert response.status_code == 201


def test_register_duplicate_email_case_insensitive_is_400(api_client):
    # given
    UserFactory(email="taken@example.com")

    # when
    response = api_client.post(
        "/api/users/register",
        {"email": "TAKEN@Example.COM", "password": DEFAULT_PASSWORD},
        format="json",
    )

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["email"] == ["A user with this email address already exists."]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


@pytest.mark.parametrize(
    ("password", "message_part"),
    [
        ("short1A", "too short"),
        ("password123", "too common"),
        ("12345678901", "entirely numeric"),
    ],
    ids=["too_short_case", "common_case", "numeric_case"],
)
def test_register_weak_password_is_400_with_validator_messages(
    api_client, password, message_part
):
    response = api_client.post(
        "/api/users/register",
        {"email": "weak@example.com", "password": password},
        format="json",
    )

    assert response.status_code == 400
    messages = response.json()["errors"]["password"]
    assert any(message_part in message for message in messages), messages
    assert not User.objects.filter(email="weak@example.com").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-email", "password": DEFAULT_PASSWORD},
        {"email": "a@example.com"},
        {"email": ["a@example.com"], "password": {"x": 1}},
        {"email": "a@example.com", "password": "p" * 500},
    ],
    ids=[
        "empty_case",
        "bad_email_case",
        "missing_password_case",
        "wrong_types_case",
        "oversized_case",
    ],
)
def test_register_malformed_body_is_400_with_field_errors(api_client, body):
    response = api_client.post("/api/users/register", body, format="json")

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert response.json()["errors"]
    assert User.objects.count() == 0


def test_register_non_json_body_is_400(api_client):
    response = api_client.post(
        "/api/users/register", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_register_ignores_role_and_staff_fields(api_client):
    # given
    body = {
        "email": "sneaky@example.com",
        "password": DEFAULT_PASSWORD,
        "role": "administrator",
        "is_staff": True,
        "is_superuser": True,
        "groups": [Group.objects.get(name="administrator").pk],
    }

    # when
    response = api_client.post("/api/users/register", body, format="json")

    # then
    assert response.status_code == 201
    assert response.json()["user"]["role"] == "customer"
    user = User.objects.get(email="sneaky@example.com")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert list(user.groups.values_list("name", flat=True)) == ["customer"]


def test_login_wrong_password_and_unknown_email_give_the_same_401(api_client):
    # given
    UserFactory(email="known@example.com")

    # when
    wrong_password = _login(api_client, "known@example.com", "Wrong-Password-1")
    unknown_email = _login(api_client, "nobody@example.com", "Wrong-Password-1")

    # then
    assert wrong_password.status_code == 401
    assert unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["detail"] == "Invalid email or password."


def test_login_email_is_case_insensitive(api_client):
    UserFactory(email="mixed@example.com")

    response = _login(api_client, "MIXED@example.com")

    assert response.status_code == 200


def test_login_inactive_user_is_401(api_client):
    UserFactory(email="gone@example.com", is_active=False)

    response = _login(api_client, "gone@example.com")

    assert response.status_code == 401


def test_refresh_token_rotates_and_cannot_be_used_twice(api_client):
    # given
    UserFactory(email="r@example.com")
    first = _login(api_client, "r@example.com").json()

    # when
    rotated = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": first["refresh_token"]},
        format="json",
    )
    reused = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": first["refresh_token"]},
        format="json",
    )

    # then
    assert rotated.status_code == 200, rotated.json()
    assert rotated.json()["refresh_token"] != first["refresh_token"]
    assert rotated.json()["access_token"] != first["access_token"]
    assert reused.status_code == 401
    assert reused.json()["code"] == "invalid_refresh_token"


def test_refresh_token_reuse_revokes_the_whole_family(api_client):
    # given
    UserFactory(email="family@example.com")
    first = _login(api_client, "family@example.com").json()
    rotated = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": first["refresh_token"]},
        format="json",
    ).json()

    # when: the stolen first refresh token is replayed
    api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": first["refresh_token"]},
        format="json",
    )
    after_replay = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": rotated["refresh_token"]},
        format="json",
    )

    # then
    assert after_replay.status_code == 401


def test_refresh_with_garbage_token_is_401(api_client):
    response = api_client.post(
        "/api/users/token/refresh", {"refresh_token": "garbage"}, format="json"
    )

    assert response.status_code == 401


def test_logout_revokes_access_and_refresh_tokens(api_client):
    # given
    UserFactory(email="out@example.com")
    tokens = _login(api_client, "out@example.com").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    # when
    logout = api_client.post("/api/users/logout", {}, format="json")
    profile = api_client.get("/api/users/profile")
    api_client.credentials()
    refresh = api_client.post(
        "/api/users/token/refresh",
        {"refresh_token": tokens["refresh_token"]},
        format="json",
    )

    # then
    assert logout.status_code == 204
    assert profile.status_code == 401
    assert refresh.status_code == 401


def test_profile_patch_updates_fields(api_client, customer):
    client = client_for(customer)

    response = client.patch(
        "/api/users/profile",
        {"name": "Alice Liddell", "phone": "+44 20 7946 0958"},
        format="json",
    )

    assert response.status_code == 200
    assert "tokens" not in response.json()
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.email) == (
        "Alice Liddell",
        "+44 20 7946 0958",
        "alice@example.com",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "evil@example.com"), ("role", "administrator"), ("nickname", "x")],
    ids=["email_case", "role_case", "unknown_case"],
)
def test_profile_patch_refuses_a_field_it_does_not_change(customer, field, value):
    # given
    client = client_for(customer)
    name = customer.name

    # when
    response = client.patch(
        "/api/users/profile", {"name": "Alice Liddell", field: value}, format="json"
    )

    # then: 400 for that field, and nothing of the request was applied
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    customer.refresh_from_db()
    assert (customer.name, customer.email) == (name, "alice@example.com")


def test_profile_password_change_needs_current_password(api_client, customer):
    client = client_for(customer)
    new_password = "Another-Good-Passphrase-7"

    without_current = client.patch(
        "/api/users/profile", {"password": new_password}, format="json"
    )
    wrong_current = client.patch(
        "/api/users/profile",
        {"password": new_password, "current_password": "nope"},
        format="json",
    )
    weak = client.patch(
        "/api/users/profile",
        {"password": "123", "current_password": DEFAULT_PASSWORD},
        format="json",
    )
    customer.refresh_from_db()
    unchanged = customer.check_password(DEFAULT_PASSWORD)
    changed = client.patch(
        "/api/users/profile",
        {"password": new_password, "current_password": DEFAULT_PASSWORD},
        format="json",
    )

    assert without_current.status_code == 400
    assert "current_password" in without_current.json()["errors"]
    assert wrong_current.status_code == 400
    assert weak.status_code == 400
    assert "password" in weak.json()["errors"]
    assert unchanged
    assert changed.status_code == 200
    assert _login(APIClient(), "alice@example.com", new_password).status_code == 200
