"""Login throttle: per account-and-address pair, a per-address ceiling, a per-account
slowdown that spares new addresses, trusted-proxy addresses, Retry-After everywhere,
and the same rules for the admin login."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import get_hasher
from django.test import Client, override_settings
from django.utils import timezone

from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
ATTACKER = "203.0.113.7"


def _login(client, email, password, ip=ATTACKER, **headers):
    return client.post(
        "/api/users/login",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
        **headers,
    )


def _fail(client, email, times, ip=ATTACKER, **headers):
    return [_login(client, email, "wrong", ip=ip, **headers) for _ in range(times)]


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_attempt_after_the_limit_is_429_with_retry_after_and_skips_the_hasher(
    api_client,
):
    # given
    UserFactory(email="victim@example.com")
    failures = _fail(api_client, "victim@example.com", LIMIT)
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
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert verify.call_count == 0
    assert encode.call_count == 0


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_another_account_logs_in_from_the_same_address_during_a_cool_down(api_client):
    # given: one shopper behind the shared address locks their own pair
    UserFactory(email="victim@example.com")
    UserFactory(email="neighbour@example.com")
    _fail(api_client, "victim@example.com", LIMIT)

    # when
    neighbour = _login(api_client, "neighbour@example.com", DEFAULT_PASSWORD)
    victim_here = _login(api_client, "victim@example.com", DEFAULT_PASSWORD)

    # then
    assert neighbour.status_code == 200
    assert victim_here.status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_the_owner_logs_in_from_a_new_address_while_their_account_is_attacked(
    api_client,
):
    # given: many addresses fail for one account, well past the slowdown threshold
    UserFactory(email="victim@example.com")
    for number in range(8):
        _fail(api_client, "victim@example.com", LIMIT, ip=f"198.51.100.{number}")

    # when
    owner = _login(api_client, "victim@example.com", DEFAULT_PASSWORD, ip="192.0.2.99")

    # then
    assert owner.status_code == 200


@override_settings(
    LOGIN_FAILURE_LIMIT=100,
    LOGIN_ACCOUNT_SLOWDOWN_AFTER=4,
    LOGIN_ACCOUNT_SLOWDOWN_MAX_SECONDS=30,
)
def test_an_attacked_account_slows_down_addresses_that_failed_for_it(api_client):
    # given: the account has failed 5 times (1 above the threshold)
    UserFactory(email="victim@example.com")
    _fail(api_client, "victim@example.com", 4, ip="198.51.100.1")
    _fail(api_client, "victim@example.com", 1)

    # when
    again_here = _login(api_client, "victim@example.com", "wrong")
    new_address = _login(api_client, "victim@example.com", "wrong", ip="198.51.100.9")
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        # 6 failures now: the wait has doubled to 2 ** 2 seconds
        later = _login(api_client, "victim@example.com", DEFAULT_PASSWORD)

    # then: 2 ** 1 seconds for the address that failed; none for a new one
    assert again_here.status_code == 429
    assert 1 <= int(again_here.headers["Retry-After"]) <= 2
    assert new_address.status_code == 401
    assert later.status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT=6)
def test_an_address_failing_for_many_accounts_is_blocked(api_client):
    UserFactory(email="someone@example.com")
    for number in range(6):
        _login(api_client, f"guess{number}@example.com", "wrong")

    response = _login(api_client, "someone@example.com", DEFAULT_PASSWORD)
    elsewhere = _login(
        api_client, "someone@example.com", DEFAULT_PASSWORD, ip="192.0.2.1"
    )

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert elsewhere.status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT, LOGIN_COOLOFF_MINUTES=15)
def test_the_cool_down_ends(api_client):
    UserFactory(email="victim@example.com")
    _fail(api_client, "victim@example.com", LIMIT)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = _login(api_client, "victim@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_failures_below_the_limit_still_allow_a_correct_login_which_resets_them(
    api_client,
):
    UserFactory(email="typo@example.com")
    _fail(api_client, "typo@example.com", LIMIT - 1)

    response = _login(api_client, "typo@example.com", DEFAULT_PASSWORD)
    after = _fail(api_client, "typo@example.com", LIMIT - 1)

    assert response.status_code == 200
    assert [r.status_code for r in after] == [401] * (LIMIT - 1)
    assert _login(api_client, "typo@example.com", DEFAULT_PASSWORD).status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT, FORWARDED_ALLOW_IPS=["10.0.0.0/8"])
def test_a_forged_forwarded_header_from_an_untrusted_peer_changes_nothing(api_client):
    # given: the attacker sends a new X-Forwarded-For with every attempt
    UserFactory(email="victim@example.com")
    for number in range(LIMIT):
        _login(
            api_client,
            "victim@example.com",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    # when
    response = _login(
        api_client,
        "victim@example.com",
        DEFAULT_PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )

    # then: all counted against the real peer
    assert response.status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT, FORWARDED_ALLOW_IPS=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_shoppers_are_told_apart(api_client):
    UserFactory(email="victim@example.com")
    _fail(
        api_client,
        "victim@example.com",
        LIMIT,
        ip="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    locked = _login(
        api_client,
        "victim@example.com",
        DEFAULT_PASSWORD,
        ip="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    other_shopper = _login(
        api_client,
        "victim@example.com",
        DEFAULT_PASSWORD,
        ip="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )

    assert locked.status_code == 429
    assert other_shopper.status_code == 200


# THE ADMIN LOGIN


def _admin_login(client, email, password, ip=ATTACKER):
    return client.post(
        "/admin/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_the_admin_login_uses_the_same_throttle():
    # given
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    UserFactory(email="other@example.com", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(LIMIT):
        _admin_login(client, "staff@example.com", "wrong")

    # when
    locked = _admin_login(client, "staff@example.com", DEFAULT_PASSWORD)
    colleague = _admin_login(Client(), "other@example.com", DEFAULT_PASSWORD)
    from_home = _admin_login(
        Client(), "staff@example.com", DEFAULT_PASSWORD, ip="192.0.2.50"
    )

    # then
    assert locked.status_code == 429
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60
    assert colleague.status_code == 302
    assert from_home.status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=LIMIT)
def test_api_failures_count_for_the_admin_login_of_the_same_pair(api_client):
    UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    _fail(api_client, "staff@example.com", LIMIT)

    response = _admin_login(Client(), "staff@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "Retry-After" in response
