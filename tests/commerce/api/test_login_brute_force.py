"""Login lockout: the attempt after the limit gets 429 before any password hashing."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import override_settings

from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


def _login(client, email, password, ip="203.0.113.7"):
    return client.post(
        "/api/users/login",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_attempt_after_the_limit_is_429_and_skips_the_hasher(api_client):
    # given
    UserFactory(email="victim@example.com")
    failures = [_login(api_client, "victim@example.com", "wrong") for _ in range(LIMIT)]
    hasher = type(get_hasher())

    # when: the next attempt, even with the right password
    with (
        mock.patch.object(
            hasher, "verify", autospec=True, wraps=hasher.verify
        ) as verify,
        mock.patch.object(
            hasher, "encode", autospec=True, wraps=hasher.encode
        ) as encode,
    ):
        locked = _login(api_client, "victim@example.com", DEFAULT_PASSWORD)

    # then
    assert [response.status_code for response in failures] == [401] * LIMIT
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_login_attempts"
    assert verify.call_count == 0
    assert encode.call_count == 0


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_counts_per_account_across_addresses(api_client):
    UserFactory(email="victim@example.com")
    for number in range(LIMIT):
        _login(api_client, "victim@example.com", "wrong", ip=f"198.51.100.{number}")

    response = _login(
        api_client, "victim@example.com", DEFAULT_PASSWORD, ip="192.0.2.99"
    )

    assert response.status_code == 429


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_counts_per_address_across_accounts(api_client):
    UserFactory(email="someone@example.com")
    for number in range(LIMIT):
        _login(api_client, f"guess{number}@example.com", "wrong")

    response = _login(api_client, "someone@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 429


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_failures_below_the_limit_still_allow_a_correct_login(api_client):
    UserFactory(email="typo@example.com")
    for _ in range(LIMIT - 1):
        _login(api_client, "typo@example.com", "wrong")

    response = _login(api_client, "typo@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 200
