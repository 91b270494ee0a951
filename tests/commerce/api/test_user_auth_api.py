import pytest

from commerce.models import User
from tests.commerce.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_register_login_profile_end_to_end(api_client):
    # given
    body = {
        "email": "New@Example.com",
        "password": DEFAULT_PASSWORD,
        "name": "New Person",
    }

    # when
    registered = api_client.post("/api/users/register", body, format="json")
    login = api_client.post(
        "/api/users/login/",
        {"email": "new@example.com", "password": DEFAULT_PASSWORD},
        format="json",
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")
    profile = api_client.get("/api/users/profile")

    # then
    assert registered.status_code == 201, registered.json()
    assert registered.json()["user"]["email"] == "new@example.com"
    assert registered.json()["user"]["role"] == "customer"
    assert login.status_code == 200, login.json()
    assert set(login.json()) == {
        "access_token",
        "refresh_token",
        "expires_in",
        "token_type",
        "scope",
    }
    assert profile.status_code == 200
    assert profile.json()["email"] == "new@example.com"
    assert "password" not in profile.json()
    assert User.objects.get(email="new@example.com").name == "New Person"
