import base64
import json

import jwt
import pytest
import responses
from social_django.models import UserSocialAuth

from commerce.accounts.models import User
from tests.commerce.factories import UserFactory
from tests.commerce.provider_fakes import (
    FIREBASE_CERTS_URL,
    certificates_serve,
    id_token_claims,
    signing_key,
)
from tests.config.test_settings import _manage, _production_env

pytestmark = pytest.mark.django_db

PROJECT_ID = "fantasize-test"


@pytest.fixture(autouse=True)
def firebase_on(settings, monkeypatch):
    settings.FIREBASE_PROJECT_ID = PROJECT_ID
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)


@pytest.fixture
def google_certificates():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        certificates_serve(mocked, FIREBASE_CERTS_URL, signing_key())
        yield mocked


def _claims(**overrides):
    claims = id_token_claims(
        issuer=f"https://securetoken.google.com/{PROJECT_ID}",
        audience=PROJECT_ID,
        subject="firebase-uid-1",
        email="fire@example.com",
        email_verified=True,
        name="Fire Base",
        firebase={"sign_in_provider": "google.com"},
    )
    claims.update(overrides)
    return claims


def _login(client, token, path="/api/users/login/firebase"):
    return client.post(path, {"id_token": token}, format="json")


def _subject(response):
    return jwt.decode(
        response.json()["access_token"], options={"verify_signature": False}
    )["sub"]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "path",
    ["/api/users/login/firebase", "/api/users/login/firebase/"],
    ids=["no_slash", "slash"],
)
def test_firebase_token_signed_by_google_key_logs_in_a_new_customer(
    api_client, google_certificates, path
):
    # when
    response = _login(api_client, signing_key().sign(_claims()), path=path)

    # then
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="fire@example.com")
    assert user.groups.get().name == "customer"
    assert _subject(response) == str(user.pk)
    link = UserSocialAuth.objects.get()
    assert (link.provider, link.uid) == ("firebase", "firebase-uid-1")
    assert len(google_certificates.calls) == 1


def test_firebase_user_is_found_again_by_uid(api_client, google_certificates):
    first = _login(api_client, signing_key().sign(_claims()))

    second = _login(
        api_client, signing_key().sign(_claims(email="changed@example.com"))
    )

    assert second.status_code == 200
    assert _subject(second) == _subject(first)
    assert not User.objects.filter(email="changed@example.com").exists()


def test_firebase_verified_email_links_existing_user(
    api_client, google_certificates, customer
):
    response = _login(
        api_client, signing_key().sign(_claims(email="alice@example.com"))
    )

    assert response.status_code == 200
    assert _subject(response) == str(customer.pk)
    assert UserSocialAuth.objects.get().user == customer


def test_firebase_unverified_email_does_not_take_over_existing_user(
    api_client, google_certificates, customer
):
    response = _login(
        api_client,
        signing_key().sign(_claims(email="alice@example.com", email_verified=False)),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "social_email_in_use"
    assert not UserSocialAuth.objects.exists()


def _unsigned(claims):
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'test-key-1'})}.{_b64(claims)}."


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: signing_key().sign(_claims(aud="another-project")),
        lambda: signing_key().sign(
            _claims(iss="https://securetoken.google.com/another-project")
        ),
        lambda: signing_key().sign(_claims(exp=1_000_000_000, iat=999_999_000)),
        lambda: jwt.encode(
            _claims(),
            "shared-secret-" + "x" * 32,
            algorithm="HS256",
            headers={"kid": "test-key-1"},
        ),
        lambda: _unsigned(_claims()),
        lambda: signing_key("unknown-key").sign(_claims()),
        lambda: "not-a-jwt",
    ],
    ids=[
        "wrong_audience_case",
        "wrong_issuer_case",
        "expired_case",
        "hs256_case",
        "unsigned_case",
        "unknown_key_case",
        "garbage_case",
    ],
)
def test_firebase_bad_token_is_401(api_client, google_certificates, make_token):
    response = _login(api_client, make_token())

    assert response.status_code == 401, response.json()
    assert response.json()["code"] == "invalid_social_token"
    assert response.json()["status"] == 401
    assert not User.objects.filter(email="fire@example.com").exists()


def test_firebase_certificate_outage_is_503(api_client):
    with responses.RequestsMock() as mocked:
        mocked.get(FIREBASE_CERTS_URL, status=500, body="down")
        response = _login(api_client, signing_key().sign(_claims()))

    assert response.status_code == 503
    assert response.json()["code"] == "provider_unavailable"


def test_firebase_inactive_user_is_refused(api_client, google_certificates):
    user = UserFactory(email="fire@example.com", is_active=False)
    UserSocialAuth.objects.create(user=user, provider="firebase", uid="firebase-uid-1")

    response = _login(api_client, signing_key().sign(_claims()))

    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"


@pytest.mark.parametrize(
    "body",
    [{}, {"id_token": ""}, {"id_token": ["x"]}, {"id_token": "x" * 9000}],
    ids=["missing_case", "blank_case", "wrong_type_case", "oversized_case"],
)
def test_firebase_bad_input_is_400(api_client, body):
    response = api_client.post("/api/users/login/firebase", body, format="json")

    assert response.status_code == 400
    assert "id_token" in response.json()["errors"]


def test_firebase_disabled_is_404(api_client, settings):
    settings.FIREBASE_PROJECT_ID = ""

    response = _login(api_client, "anything")

    assert response.status_code == 404
    assert response.json()["code"] == "login_method_disabled"


def test_production_refuses_to_start_with_the_firebase_emulator():
    # given
    env = _production_env(FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099")

    # when
    refused = _manage("check", env=env)
    started = _manage("check", env=_production_env())

    # then
    assert refused.returncode != 0
    assert "FIREBASE_AUTH_EMULATOR_HOST" in refused.stderr
    assert started.returncode == 0, started.stderr
