import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
import time_machine
from django.utils import timezone
from oauth2_provider.models import Grant
from social_django.models import UserSocialAuth

from commerce.accounts.models import User
from commerce.accounts.services.social import social_login_code_create
from tests.commerce.factories import UserFactory
from tests.commerce.provider_fakes import (
    GOOGLE_OAUTH2_CERTS_URL,
    certificates_serve,
    id_token_claims,
    signing_key,
)

pytestmark = pytest.mark.django_db

GOOGLE_CLIENT_ID = "google-client-id.apps.googleusercontent.com"
FACEBOOK_APP_ID = "1234567890"
FRONTEND_URL = "https://shop.example.com/login/done"
TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo"
USERINFO_URL = "https://www.googleapis.com/oauth2/v3/userinfo"
GOOGLE_TOKEN_URL = "https://accounts.google.com/o/oauth2/token"
FACEBOOK_DEBUG_URL = re.compile(r"https://graph\.facebook\.com/v[\d.]+/debug_token")
FACEBOOK_ME_URL = re.compile(r"https://graph\.facebook\.com/v[\d.]+/me")


@pytest.fixture(autouse=True)
def providers_on(settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = GOOGLE_CLIENT_ID
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "google-secret"
    settings.GOOGLE_OAUTH2_EXTRA_CLIENT_IDS = []
    settings.SOCIAL_AUTH_FACEBOOK_KEY = FACEBOOK_APP_ID
    settings.SOCIAL_AUTH_FACEBOOK_SECRET = "facebook-secret"
    settings.SOCIAL_LOGIN_REDIRECT_URLS = [FRONTEND_URL]
    settings.FIREBASE_PROJECT_ID = ""


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def _google_profile(email="new@example.com", verified=True, sub="g-123"):
    return {
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "name": "New Person",
    }


def _google_access_token_valid(mocked, profile, audience=GOOGLE_CLIENT_ID):
    mocked.get(TOKENINFO_URL, json={"aud": audience, "azp": audience, "sub": "g-123"})
    mocked.get(USERINFO_URL, json=profile)


def _facebook_token_valid(mocked, profile, app_id=FACEBOOK_APP_ID, valid=True):
    mocked.get(
        FACEBOOK_DEBUG_URL,
        json={"data": {"app_id": app_id, "is_valid": valid, "user_id": profile["id"]}},
    )
    mocked.get(FACEBOOK_ME_URL, json=profile)


def _subject(tokens):
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})[
        "sub"
    ]


def _problem(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)


# Mobile flows --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/users/login/google", "/api/users/login/google/"],
    ids=["no_slash", "slash"],
)
def test_google_access_token_creates_customer_and_returns_token_pair(
    api_client, mocked, path
):
    # given
    _google_access_token_valid(mocked, _google_profile())

    # when
    response = api_client.post(path, {"access_token": "ya29.valid"}, format="json")

    # then
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="new@example.com")
    assert user.name == "New Person"
    assert user.groups.get().name == "customer"
    assert not user.has_usable_password()
    assert _subject(response.json()) == str(user.pk)
    assert set(response.json()) == {
        "access_token",
        "refresh_token",
        "expires_in",
        "token_type",
        "scope",
    }
    link = UserSocialAuth.objects.get()
    assert (link.provider, link.uid, link.user_id) == (
        "google-oauth2",
        "g-123",
        user.pk,
    )
    profile = api_client.get(
        "/api/users/profile",
        HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}",
    )
    assert profile.json()["email"] == "new@example.com"


def test_google_second_login_finds_the_linked_user(api_client, mocked):
    # given
    _google_access_token_valid(mocked, _google_profile())
    first = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.one"}, format="json"
    )

    # when: the Google account's email changed meanwhile
    mocked.replace(
        responses.GET, USERINFO_URL, json=_google_profile(email="renamed@example.com")
    )
    second = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.two"}, format="json"
    )

    # then
    assert second.status_code == 200
    assert _subject(second.json()) == _subject(first.json())
    assert not User.objects.filter(email="renamed@example.com").exists()
    assert UserSocialAuth.objects.count() == 1


def test_google_verified_email_links_existing_account(api_client, mocked, customer):
    # given
    _google_access_token_valid(mocked, _google_profile(email="Alice@Example.com"))

    # when
    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.valid"}, format="json"
    )

    # then
    assert response.status_code == 200
    assert _subject(response.json()) == str(customer.pk)
    assert UserSocialAuth.objects.get().user == customer
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_google_unverified_email_does_not_take_over_existing_account(
    api_client, mocked, customer
):
    # given
    _google_access_token_valid(
        mocked, _google_profile(email="alice@example.com", verified=False)
    )

    # when
    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.valid"}, format="json"
    )

    # then
    _problem(response, 401, "invalid_social_token")
    assert "access_token" not in response.json()
    assert not UserSocialAuth.objects.exists()


@pytest.mark.parametrize(
    ("tokeninfo_status", "tokeninfo_body"),
    [
        (400, {"error": "invalid_token", "error_description": "Invalid Value"}),
        (200, {"aud": "another-app.apps.googleusercontent.com", "azp": "another"}),
    ],
    ids=["invalid_or_expired_case", "issued_to_another_app_case"],
)
def test_google_bad_access_token_is_401(
    api_client, mocked, tokeninfo_status, tokeninfo_body
):
    # given
    mocked.get(TOKENINFO_URL, status=tokeninfo_status, json=tokeninfo_body)
    mocked.get(USERINFO_URL, json=_google_profile())

    # when
    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.bad"}, format="json"
    )

    # then
    _problem(response, 401, "invalid_social_token")
    assert not User.objects.filter(email="new@example.com").exists()


def test_google_userinfo_rejecting_the_token_is_401(api_client, mocked):
    # given: tokeninfo still answers, but the token has expired by the userinfo call
    mocked.get(TOKENINFO_URL, json={"aud": GOOGLE_CLIENT_ID})
    mocked.get(USERINFO_URL, status=401, json={"error": "invalid_token"})

    # when
    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.expired"}, format="json"
    )

    # then
    _problem(response, 401, "invalid_social_token")


def test_google_outage_is_503(api_client, mocked):
    mocked.get(TOKENINFO_URL, status=503, body="unavailable")

    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.any"}, format="json"
    )

    _problem(response, 503, "provider_unavailable")


def _google_id_token(**overrides):
    claims = id_token_claims(
        issuer="https://accounts.google.com",
        audience=GOOGLE_CLIENT_ID,
        subject="g-456",
        email="idtoken@example.com",
        email_verified=True,
        name="Id Token",
    )
    claims.update(overrides)
    return signing_key().sign(claims)


def test_google_id_token_login(api_client, mocked):
    # given
    certificates_serve(mocked, GOOGLE_OAUTH2_CERTS_URL, signing_key())

    # when
    response = api_client.post(
        "/api/users/login/google", {"id_token": _google_id_token()}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="idtoken@example.com")
    assert _subject(response.json()) == str(user.pk)
    assert UserSocialAuth.objects.get().uid == "g-456"


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-app.apps.googleusercontent.com"},
        {"exp": 1_000_000_000, "iat": 999_999_000},
        {"iss": "https://evil.example.com"},
        {"email_verified": False},
    ],
    ids=["wrong_audience_case", "expired_case", "wrong_issuer_case", "unverified_case"],
)
def test_google_bad_id_token_is_401(api_client, mocked, overrides):
    certificates_serve(mocked, GOOGLE_OAUTH2_CERTS_URL, signing_key())

    response = api_client.post(
        "/api/users/login/google",
        {"id_token": _google_id_token(**overrides)},
        format="json",
    )

    _problem(response, 401, "invalid_social_token")
    assert not User.objects.filter(email="idtoken@example.com").exists()


def test_facebook_access_token_creates_customer(api_client, mocked):
    # given
    _facebook_token_valid(
        mocked, {"id": "fb-1", "name": "Face Book", "email": "fb@example.com"}
    )

    # when
    response = api_client.post(
        "/api/users/login/facebook", {"access_token": "EAAB.valid"}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="fb@example.com")
    assert user.groups.get().name == "customer"
    assert _subject(response.json()) == str(user.pk)
    assert UserSocialAuth.objects.get().provider == "facebook"
    debug_call = next(c for c in mocked.calls if "debug_token" in c.request.url)
    query = parse_qs(urlsplit(debug_call.request.url).query)
    assert query["input_token"] == ["EAAB.valid"]
    assert query["access_token"] == [f"{FACEBOOK_APP_ID}|facebook-secret"]


def test_facebook_email_never_takes_over_existing_account(api_client, mocked, customer):
    # given: Facebook does not say whether the email is verified
    _facebook_token_valid(
        mocked, {"id": "fb-2", "name": "Not Alice", "email": "alice@example.com"}
    )

    # when
    response = api_client.post(
        "/api/users/login/facebook", {"access_token": "EAAB.valid"}, format="json"
    )

    # then
    _problem(response, 409, "social_email_in_use")
    assert not UserSocialAuth.objects.exists()


@pytest.mark.parametrize(
    ("app_id", "valid"),
    [(FACEBOOK_APP_ID, False), ("999", True)],
    ids=["invalid_or_expired_case", "issued_to_another_app_case"],
)
def test_facebook_bad_access_token_is_401(api_client, mocked, app_id, valid):
    _facebook_token_valid(
        mocked, {"id": "fb-3", "email": "x@example.com"}, app_id=app_id, valid=valid
    )

    response = api_client.post(
        "/api/users/login/facebook", {"access_token": "EAAB.bad"}, format="json"
    )

    _problem(response, 401, "invalid_social_token")
    assert not User.objects.filter(email="x@example.com").exists()


def test_facebook_account_without_email_is_400(api_client, mocked):
    _facebook_token_valid(mocked, {"id": "fb-4", "name": "No Mail"})

    response = api_client.post(
        "/api/users/login/facebook", {"access_token": "EAAB.valid"}, format="json"
    )

    _problem(response, 400, "social_email_required")


def test_inactive_linked_user_is_refused(api_client, mocked):
    # given
    user = UserFactory(email="gone@example.com", is_active=False)
    UserSocialAuth.objects.create(user=user, provider="google-oauth2", uid="g-123")
    _google_access_token_valid(mocked, _google_profile(email="gone@example.com"))

    # when
    response = api_client.post(
        "/api/users/login/google", {"access_token": "ya29.valid"}, format="json"
    )

    # then
    _problem(response, 401, "account_inactive")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"access_token": ""},
        {"access_token": "a", "id_token": "b"},
        {"access_token": ["a"]},
        {"access_token": "a" * 5000},
    ],
    ids=["empty_case", "blank_case", "both_case", "wrong_type_case", "oversized_case"],
)
def test_bad_input_is_400_with_field_messages(api_client, mocked, body):
    response = api_client.post("/api/users/login/google", body, format="json")

    _problem(response, 400, "invalid")
    assert "access_token" in response.json()["errors"]
    assert len(mocked.calls) == 0


def test_disabled_provider_is_404(api_client, settings):
    settings.SOCIAL_AUTH_FACEBOOK_SECRET = ""

    response = api_client.post(
        "/api/users/login/facebook", {"access_token": "EAAB"}, format="json"
    )

    _problem(response, 404, "login_method_disabled")


# Login methods -------------------------------------------------------------------


def test_login_methods_list_only_configured_providers(api_client, settings):
    # given
    settings.SOCIAL_AUTH_FACEBOOK_KEY = ""
    settings.FIREBASE_PROJECT_ID = "fantasize-test"

    # when
    response = api_client.get("/api/users/login/methods/")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "methods": [
            {"name": "password", "flows": ["password"]},
            {"name": "google", "flows": ["redirect", "token"]},
            {"name": "firebase", "flows": ["token"]},
        ]
    }


# Browser flow --------------------------------------------------------------------


def _browser_login_start(client, provider="google"):
    response = client.get(
        f"/api/users/login/{provider}/", {"redirect_uri": FRONTEND_URL}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def test_google_browser_flow_ends_in_a_one_time_code(api_client, mocked):
    # given
    provider_url = _browser_login_start(api_client)
    query = parse_qs(urlsplit(provider_url).query)
    mocked.post(
        GOOGLE_TOKEN_URL,
        json={
            "access_token": "ya29.browser",
            "token_type": "Bearer",
            "expires_in": 3600,
        },
    )
    mocked.get(USERINFO_URL, json=_google_profile(email="browser@example.com"))

    # when
    callback = api_client.get(
        "/api/users/login/google/callback",
        {"state": query["state"][0], "code": "provider-code"},
    )

    # then
    assert provider_url.startswith("https://accounts.google.com/o/oauth2/auth?")
    assert query["client_id"] == [GOOGLE_CLIENT_ID]
    assert query["redirect_uri"] == [
        "http://testserver/api/users/login/google/callback"
    ]
    assert callback.status_code == 302
    location = callback["Location"]
    assert location.startswith(FRONTEND_URL + "?code=")
    assert "token" not in location
    code = parse_qs(urlsplit(location).query)["code"][0]

    first = api_client.post("/api/users/login/code", {"code": code}, format="json")
    second = api_client.post("/api/users/login/code", {"code": code}, format="json")
    assert first.status_code == 200, first.json()
    user = User.objects.get(email="browser@example.com")
    assert _subject(first.json()) == str(user.pk)
    _problem(second, 401, "invalid_login_code")


def test_browser_flow_with_forged_state_returns_error_to_frontend(api_client, mocked):
    # given
    _browser_login_start(api_client)

    # when
    callback = api_client.get(
        "/api/users/login/google/callback", {"state": "forged", "code": "provider-code"}
    )

    # then
    assert callback.status_code == 302
    assert callback["Location"] == FRONTEND_URL + "?error=invalid_social_token"
    assert len(mocked.calls) == 0
    assert not Grant.objects.exists()


def test_facebook_browser_flow(api_client, mocked):
    provider_url = _browser_login_start(api_client, "facebook")
    state = parse_qs(urlsplit(provider_url).query)["state"][0]
    mocked.get(
        re.compile(r"https://graph\.facebook\.com/v[\d.]+/oauth/access_token"),
        json={
            "access_token": "EAAB.browser",
            "token_type": "bearer",
            "expires_in": 3600,
        },
    )
    mocked.get(FACEBOOK_ME_URL, json={"id": "fb-9", "email": "fbb@example.com"})

    callback = api_client.get(
        "/api/users/login/facebook/callback", {"state": state, "code": "fb-code"}
    )

    assert provider_url.startswith("https://www.facebook.com/")
    code = parse_qs(urlsplit(callback["Location"]).query)["code"][0]
    response = api_client.post("/api/users/login/code", {"code": code}, format="json")
    assert response.status_code == 200
    assert _subject(response.json()) == str(
        User.objects.get(email="fbb@example.com").pk
    )


def test_browser_flow_refuses_unlisted_redirect_uri(api_client):
    response = api_client.get(
        "/api/users/login/google", {"redirect_uri": "https://evil.example.com/steal"}
    )

    _problem(response, 400, "invalid")
    assert "redirect_uri" in response.json()["errors"]


def test_expired_login_code_is_401(api_client, customer):
    # given
    code = social_login_code_create(user=customer, redirect_url=FRONTEND_URL)

    # when
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = api_client.post(
            "/api/users/login/code", {"code": code}, format="json"
        )

    # then
    _problem(response, 401, "invalid_login_code")


def test_login_code_is_stored_only_as_a_digest(customer):
    code = social_login_code_create(user=customer, redirect_url=FRONTEND_URL)

    assert not Grant.objects.filter(code=code).exists()
    assert Grant.objects.get().user == customer
