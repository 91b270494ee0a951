"""The trusted client address, and the per-address limits of sensitive writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from rest_framework.settings import api_settings

from config.throttling import client_address_get
from tests.commerce.factories import DEFAULT_PASSWORD
from tests.commerce.fixtures import client_for
from tests.customization.builders import png_bytes


def _address(remote: str, forwarded: str | None = None, **settings) -> str:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(
        **{"FORWARDED_ALLOW_IPS": [], "TRUSTED_PROXY_COUNT": 0, **settings}
    ):
        return client_address_get(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "settings", "expected"),
    [
        ("203.0.113.9", "198.51.100.1", {}, "203.0.113.9"),
        (
            "203.0.113.9",
            "198.51.100.1",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]},
            "203.0.113.9",
        ),
        (
            "10.0.0.2",
            "198.51.100.1",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]},
            "198.51.100.1",
        ),
        # a client that prepends its own header: the proxy appended the real peer
        (
            "10.0.0.2",
            "1.2.3.4, 198.51.100.1",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]},
            "198.51.100.1",
        ),
        (
            "10.0.0.2",
            "198.51.100.1, 10.0.0.7",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]},
            "198.51.100.1",
        ),
        (
            "10.0.0.2",
            "1.2.3.4, 198.51.100.1",
            {"TRUSTED_PROXY_COUNT": 1},
            "198.51.100.1",
        ),
        (
            "10.0.0.2",
            "1.2.3.4, 198.51.100.1, 10.0.0.5",
            {"TRUSTED_PROXY_COUNT": 2},
            "198.51.100.1",
        ),
        (
            "10.0.0.2",
            "not-an-address",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]},
            "10.0.0.2",
        ),
        (
            "10.0.0.2",
            "198.51.100.1:4711",
            {"FORWARDED_ALLOW_IPS": ["10.0.0.2"]},
            "198.51.100.1",
        ),
        ("::1", "2001:db8::5", {"FORWARDED_ALLOW_IPS": ["::1"]}, "2001:db8::5"),
        ("10.0.0.2", "", {"FORWARDED_ALLOW_IPS": ["10.0.0.0/8"]}, "10.0.0.2"),
    ],
    ids=[
        "no_proxy_configured_case",
        "untrusted_peer_case",
        "trusted_peer_case",
        "forged_prefix_case",
        "two_trusted_hops_case",
        "proxy_count_case",
        "proxy_count_two_case",
        "garbage_case",
        "port_case",
        "ipv6_case",
        "empty_header_case",
    ],
)
def test_client_address(remote, forwarded, settings, expected):
    assert _address(remote, forwarded, **settings) == expected


def _rates(**rates):
    return override_settings(
        REST_FRAMEWORK={
            **api_settings.user_settings,
            "DEFAULT_THROTTLE_RATES": {
                **api_settings.user_settings["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }
    )


@pytest.mark.django_db
@_rates(register="2/hour")
def test_registration_is_limited_per_address_with_retry_after(api_client):
    # when
    responses = [
        api_client.post(
            "/api/users/register",
            {"email": f"new{number}@example.com", "password": DEFAULT_PASSWORD},
            format="json",
            REMOTE_ADDR="203.0.113.5",
        )
        for number in range(3)
    ]
    elsewhere = api_client.post(
        "/api/users/register",
        {"email": "new9@example.com", "password": DEFAULT_PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.6",
    )

    # then
    assert [r.status_code for r in responses] == [201, 201, 429]
    assert responses[2].json()["code"] == "throttled"
    assert responses[2].json()["status"] == 429
    assert 3500 <= int(responses[2].headers["Retry-After"]) <= 3600
    assert elsewhere.status_code == 201


@pytest.mark.django_db
@override_settings(FORWARDED_ALLOW_IPS=["10.0.0.0/8"])
@_rates(password_reset="2/hour")
def test_a_forged_forwarded_header_from_an_untrusted_peer_changes_nothing(api_client):
    responses = [
        api_client.post(
            "/api/users/password/reset",
            {"email": "a@example.com"},
            format="json",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
        for number in range(3)
    ]

    assert [r.status_code for r in responses] == [202, 202, 429]
    assert "Retry-After" in responses[2].headers


@pytest.mark.django_db
@override_settings(FORWARDED_ALLOW_IPS=["10.0.0.0/8"])
@_rates(password_reset="1/hour")
def test_behind_a_trusted_proxy_each_shopper_has_their_own_limit(api_client):
    responses = [
        api_client.post(
            "/api/users/password/reset",
            {"email": "a@example.com"},
            format="json",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )
        for address in ("198.51.100.1", "198.51.100.2", "198.51.100.1")
    ]

    assert [r.status_code for r in responses] == [202, 202, 429]


@pytest.mark.django_db
@_rates(uploads="1/hour")
def test_uploads_are_limited_per_address(customer, other_customer):
    def upload(user):
        return client_for(user).post(
            "/api/uploads",
            {"file": SimpleUploadedFile("dot.png", png_bytes(), "image/png")},
            format="multipart",
            REMOTE_ADDR="203.0.113.5",
        )

    first, second = upload(customer), upload(other_customer)

    assert (first.status_code, second.status_code) == (201, 429)
    assert "Retry-After" in second.headers
