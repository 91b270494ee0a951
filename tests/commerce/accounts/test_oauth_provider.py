"""The OAuth2 provider for third-party apps, driven by a real OAuth2 client library."""

import re
from html import unescape

import jwt
import pytest
import requests
from django.test import Client
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application
from requests_oauthlib import OAuth2Session
from rest_framework.test import APIClient

from commerce.accounts.services.tokens import token_pair_issue
from commerce.enums import UserRole
from tests.commerce.factories import UserFactory

PARTNER_CALLBACK = "https://partner.example.com/callback"
CLIENT_SECRET = "integration-secret-0123456789"


def _third_party_app(**fields):
    values = {
        "name": "Partner app",
        "client_type": Application.CLIENT_PUBLIC,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": PARTNER_CALLBACK,
        "algorithm": Application.RS256_ALGORITHM,
        **fields,
    }
    return Application.objects.create(**values)


def _session_cookie_for(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _hidden_fields(html):
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    )
    return {name: unescape(value) for name, value in fields.items()}


# Acceptance 4: authorization code + PKCE against the live server ------------------


def test_authorization_code_with_pkce_end_to_end(
    live_server, committed_db, monkeypatch
):
    # given: a customer logged in to our site and a third-party public app
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the live server is http
    user = UserFactory(email="owner@example.com", role=UserRole.CUSTOMER)
    app = _third_party_app()
    session = OAuth2Session(
        client_id=app.client_id,
        redirect_uri=PARTNER_CALLBACK,
        scope=["read"],
        pkce="S256",
    )
    session.cookies.set("sessionid", _session_cookie_for(user))

    # when: the app sends the user to our consent page, the user allows it
    authorization_url, state = session.authorization_url(
        f"{live_server.url}/o/authorize/"
    )
    consent = session.get(authorization_url, allow_redirects=False)
    fields = _hidden_fields(consent.text)
    fields["allow"] = "Authorize"
    decision = session.post(
        f"{live_server.url}/o/authorize/",
        data=fields,
        headers={"Referer": authorization_url},
        allow_redirects=False,
    )
    callback_url = decision.headers["Location"]
    token = session.fetch_token(
        f"{live_server.url}/o/token/",
        authorization_response=callback_url,
        include_client_id=True,
    )
    profile = session.get(f"{live_server.url}/api/users/profile")

    # then
    assert "code_challenge=" in authorization_url
    assert "code_challenge_method=S256" in authorization_url
    assert consent.status_code == 200
    assert decision.status_code == 302
    assert callback_url.startswith(PARTNER_CALLBACK + "?code=")
    assert f"state={state}" in callback_url
    assert token["token_type"] == "Bearer"
    assert token["scope"] == ["read"]
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    assert claims["sub"] == str(user.pk)
    assert claims["client_id"] == app.client_id
    assert profile.status_code == 200, profile.text
    assert profile.json()["email"] == "owner@example.com"

    # and when the app revokes its token, it stops working at once
    revoked = requests.post(
        f"{live_server.url}/o/revoke_token/",
        data={"token": token["access_token"], "client_id": app.client_id},
        timeout=10,
    )
    again = session.get(f"{live_server.url}/api/users/profile")
    assert revoked.status_code == 200
    assert again.status_code == 401


def test_authorization_without_pkce_is_refused(live_server, committed_db, monkeypatch):
    # given
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    user = UserFactory(email="nopkce@example.com")
    app = _third_party_app()
    session = OAuth2Session(
        client_id=app.client_id, redirect_uri=PARTNER_CALLBACK, scope=["read"]
    )
    session.cookies.set("sessionid", _session_cookie_for(user))
    authorization_url, _ = session.authorization_url(f"{live_server.url}/o/authorize/")

    # when
    response = session.get(authorization_url, allow_redirects=False)

    # then
    assert "code_challenge" not in authorization_url
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(PARTNER_CALLBACK + "?error=invalid_request")
    assert "code=" not in location.replace("error_description", "")


# Implicit and password grants are off -----------------------------------------------


@pytest.mark.django_db
def test_password_grant_is_refused_even_for_a_password_app(api_client, customer):
    # given: an app registered for the password grant behind the admin's back
    app = _third_party_app(
        authorization_grant_type=Application.GRANT_PASSWORD, redirect_uris=""
    )

    # when
    response = api_client.post(
        "/o/token/",
        {
            "grant_type": "password",
            "username": customer.email,
            "password": "Correct-Horse-Battery-9",
            "client_id": app.client_id,
        },
    )

    # then
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()
    assert not AccessToken.objects.exists()


@pytest.mark.django_db
def test_implicit_grant_is_refused(customer):
    # given
    app = _third_party_app(authorization_grant_type=Application.GRANT_IMPLICIT)
    client = Client()
    client.force_login(customer)

    # when
    response = client.get(
        "/o/authorize/",
        {
            "response_type": "token",
            "client_id": app.client_id,
            "redirect_uri": PARTNER_CALLBACK,
            "scope": "read",
        },
    )

    # then
    assert response.status_code == 302
    assert "access_token" not in response["Location"]
    assert "error=" in response["Location"]


# Acceptance 5: client credentials and scopes ------------------------------------------


def _integration(owner_role=UserRole.ADMINISTRATOR):
    owner = UserFactory(email=f"integration-{owner_role}@example.com", role=owner_role)
    app = _third_party_app(
        name="ERP",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        redirect_uris="",
        client_secret=CLIENT_SECRET,
        user=owner,
    )
    return app, owner


def _client_credentials(app, scope):
    body = {"grant_type": "client_credentials"}
    if scope:
        body["scope"] = scope
    return APIClient().post(
        "/o/token/",
        body,
        HTTP_AUTHORIZATION=requests.auth._basic_auth_str(app.client_id, CLIENT_SECRET),
    )


def _bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.mark.django_db
def test_client_credentials_token_can_call_only_what_its_scopes_allow(customer):
    # given
    app, _owner = _integration()
    response = _client_credentials(app, "users:read")
    token = response.json()["access_token"]

    # when
    listed = _bearer(token).get("/api/users")
    changed = _bearer(token).patch(
        f"/api/users/{customer.pk}", {"name": "Hacked"}, format="json"
    )
    product = _bearer(token).post("/api/products", {"title": "X"}, format="json")

    # then
    assert response.status_code == 200, response.json()
    assert response.json()["scope"] == "users:read"
    assert "refresh_token" not in response.json()
    assert listed.status_code == 200
    assert customer.email in [row["email"] for row in listed.json()["results"]]
    assert changed.status_code == 403
    assert changed.json()["status"] == 403
    assert product.status_code == 403
    customer.refresh_from_db()
    assert customer.name != "Hacked"


@pytest.mark.django_db
def test_client_credentials_write_scope_allows_the_change(customer):
    app, _owner = _integration()
    token = _client_credentials(app, "users:write").json()["access_token"]

    changed = _bearer(token).patch(
        f"/api/users/{customer.pk}", {"name": "Renamed"}, format="json"
    )

    assert changed.status_code == 200, changed.json()
    customer.refresh_from_db()
    assert customer.name == "Renamed"


@pytest.mark.django_db
def test_client_credentials_token_without_scopes_can_call_nothing_protected():
    app, _owner = _integration()
    token = _client_credentials(app, "").json()["access_token"]

    assert _bearer(token).get("/api/users").status_code == 403


@pytest.mark.django_db
def test_integration_cannot_ask_for_scopes_beyond_its_owner():
    # given: a manager's integration (managers cannot see users)
    app, _owner = _integration(owner_role=UserRole.MANAGER)

    # when
    refused = _client_credentials(app, "users:read")
    allowed = _client_credentials(app, "catalogue:write")

    # then
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_client_credentials_token_stops_working_when_owner_is_deactivated(customer):
    app, owner = _integration()
    token = _client_credentials(app, "users:read").json()["access_token"]
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert _bearer(token).get("/api/users").status_code == 401


@pytest.mark.django_db
def test_an_integration_gets_no_token_back_when_its_owner_is_reactivated(customer):
    # given a token of the integration, then its owner is deactivated
    app, owner = _integration()
    before = _client_credentials(app, "users:read").json()["access_token"]
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    # when a token is asked for meanwhile, and the owner is reactivated
    meanwhile = _client_credentials(app, "")
    owner.is_active = True
    owner.save(update_fields=["is_active"])

    # then neither the old token nor one from the deactivated period works
    assert meanwhile.status_code in (400, 401)
    assert "access_token" not in meanwhile.json()
    assert _bearer(before).get("/api/users").status_code == 401
    assert not AccessToken.objects.filter(application=app).exists()
    fresh = _client_credentials(app, "users:read").json()["access_token"]
    assert _bearer(fresh).get("/api/users").status_code == 200


@pytest.mark.django_db
def test_user_scopes_are_not_available_to_authorization_code_apps():
    app = _third_party_app(
        client_type=Application.CLIENT_CONFIDENTIAL, client_secret=CLIENT_SECRET
    )

    response = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "users:read"},
        HTTP_AUTHORIZATION=requests.auth._basic_auth_str(app.client_id, CLIENT_SECRET),
    )

    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


# Introspection, discovery, JWKS ------------------------------------------------------


@pytest.mark.django_db
def test_resource_server_introspects_tokens(customer):
    # given
    app, _owner = _integration()
    introspector = _client_credentials(app, "introspection").json()["access_token"]
    user_token = token_pair_issue(user=customer)["access_token"]

    # when
    active = _bearer(introspector).post("/o/introspect/", {"token": user_token})
    unknown = _bearer(introspector).post("/o/introspect/", {"token": "nope"})
    without_scope = _bearer(
        _client_credentials(app, "users:read").json()["access_token"]
    ).post("/o/introspect/", {"token": user_token})

    # then
    assert active.status_code == 200
    assert active.json()["active"] is True
    assert active.json()["username"] == customer.email
    assert active.json()["scope"] == "read write"
    assert unknown.json() == {"active": False}
    assert without_scope.status_code == 403


@pytest.mark.django_db
def test_oidc_discovery_and_jwks(api_client):
    discovery = api_client.get("/o/.well-known/openid-configuration")
    jwks = api_client.get("/o/.well-known/jwks.json")

    assert discovery.status_code == 200
    body = discovery.json()
    assert body["issuer"] == "http://testserver"
    assert body["authorization_endpoint"].endswith("/o/authorize/")
    assert body["token_endpoint"].endswith("/o/token/")
    assert body["jwks_uri"].endswith("/o/.well-known/jwks.json")
    assert "S256" in body["code_challenge_methods_supported"]
    assert "token" not in body["response_types_supported"]
    assert jwks.json()["keys"][0]["alg"] == "RS256"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/o/applications/", "/o/applications/register/", "/o/register/"]
)
def test_self_service_application_registration_is_gone(customer, path):
    client = Client()
    client.force_login(customer)

    assert client.get(path).status_code == 404


# Wagtail admin: only administrators register applications ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (UserRole.ADMINISTRATOR, True),
        (UserRole.MANAGER, False),
    ],
    ids=["administrator_case", "manager_case"],
)
def test_only_administrators_reach_the_application_admin(role, allowed):
    client = Client()
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("oauth_applications:add"))

    assert (response.status_code == 200) is allowed


@pytest.mark.django_db
def test_admin_registers_a_client_credentials_app(administrator):
    # given
    client = Client()
    client.force_login(administrator)
    form = {
        "name": "Warehouse",
        "client_type": "confidential",
        "authorization_grant_type": "client-credentials",
        "client_id": "warehouse-client",
        "client_secret": CLIENT_SECRET,
        "user": administrator.pk,
        "redirect_uris": "",
        "post_logout_redirect_uris": "",
        "allowed_origins": "",
        "algorithm": "RS256",
    }

    # when
    response = client.post(reverse("oauth_applications:add"), form)

    # then
    assert response.status_code == 302, response.content
    app = Application.objects.get(client_id="warehouse-client")
    assert app.user == administrator
    assert app.client_secret != CLIENT_SECRET  # stored hashed
    assert _client_credentials(app, "users:read").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"authorization_grant_type": "password"}, "authorization_grant_type"),
        ({"authorization_grant_type": "implicit"}, "authorization_grant_type"),
        ({"user": ""}, "user"),
        ({"client_type": "public"}, "client_type"),
    ],
    ids=["password_case", "implicit_case", "no_owner_case", "public_case"],
)
def test_admin_form_refuses_unsafe_applications(administrator, overrides, field):
    client = Client()
    client.force_login(administrator)
    form = {
        "name": "Bad",
        "client_type": "confidential",
        "authorization_grant_type": "client-credentials",
        "client_id": "bad-client",
        "client_secret": CLIENT_SECRET,
        "user": administrator.pk,
        "algorithm": "RS256",
        **overrides,
    }

    response = client.post(reverse("oauth_applications:add"), form)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.filter(client_id="bad-client").exists()
