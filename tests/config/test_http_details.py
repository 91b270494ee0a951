"""HTTP details of the API and the site: 404/500 bodies, token errors, CSP, OIDC."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver, path
from django.utils import timezone
from rest_framework.test import APIClient

from commerce.accounts.services.tokens import token_pair_issue
from config import exceptions as config_exceptions
from config.urls import urlpatterns as site_urlpatterns
from tests.commerce.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _boom(request):
    raise RuntimeError("a bug")


# This module doubles as a URLconf: the site's URLs plus a view that fails.
urlpatterns = [path("api/boom", _boom), path("boom", _boom), *site_urlpatterns]
handler404 = "config.exceptions.page_not_found"
handler500 = "config.exceptions.server_error"


def _directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> sources (any order)."""
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def _assert_problem(response, *, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert set(body) >= {"type", "title", "detail"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("url", ["/api/no-such-thing", "/api/no-such-thing/"])
def test_an_unknown_api_path_is_a_json_404_without_redirect(method, url):
    response = getattr(Client(), method)(url)

    _assert_problem(response, status=404, code="not_found")


@pytest.mark.django_db
def test_an_unknown_site_path_keeps_the_html_404():
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_site_urls_use_the_json_error_handlers():
    resolver = get_resolver("config.urls")

    assert resolver.resolve_error_handler(404) is config_exceptions.page_not_found
    assert resolver.resolve_error_handler(500) is config_exceptions.server_error


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_server_error_under_the_api_is_json_and_html_elsewhere():
    client = Client(raise_request_exception=False)

    _assert_problem(client.get("/api/boom"), status=500, code="server_error")
    site = client.get("/boom")
    assert site.status_code == 500
    assert site["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_no_token_says_so():
    response = APIClient().get("/api/users/profile")

    _assert_problem(response, status=401, code="not_authenticated")


@pytest.mark.django_db
def test_an_invalid_bearer_token_says_invalid_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/users/profile")

    _assert_problem(response, status=401, code="invalid_token")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.django_db
def test_an_expired_bearer_token_says_invalid_token(time_machine):
    token = token_pair_issue(user=UserFactory())["access_token"]
    time_machine.move_to(timezone.now() + timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.get("/api/users/profile")

    _assert_problem(response, status=401, code="invalid_token")
    assert "expired" in response.json()["detail"]


@pytest.mark.django_db
def test_a_token_of_a_deactivated_account_says_invalid_token():
    user = UserFactory()
    token = token_pair_issue(user=user)["access_token"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.get("/api/users/profile")

    _assert_problem(response, status=401, code="invalid_token")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"file": "x"}', "application/json"),
        ("[" * 5000, "application/json"),
        ("<xml/>", "application/xml"),
    ],
)
def test_an_anonymous_upload_is_401_whatever_its_body(body, content_type):
    response = APIClient().generic(
        "POST", "/api/uploads", body, content_type=content_type
    )

    _assert_problem(response, status=401, code="not_authenticated")


@pytest.mark.django_db
def test_site_pages_send_a_content_security_policy():
    response = Client().get("/")

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_the_admin_policy_adds_what_wagtail_needs():
    response = Client().get("/admin/login/")

    policy = _directives(response["Content-Security-Policy"])
    assert set(policy["script-src"]) == {"'self'", "'unsafe-inline'", "'unsafe-eval'"}
    assert "www.gravatar.com" in policy["img-src"]


@pytest.mark.django_db
def test_the_api_docs_run_no_inline_script():
    response = Client().get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert Client().get("/api/docs/?script=").status_code == 200


@pytest.mark.django_db
def test_oidc_discovery_advertises_only_what_the_server_does():
    response = Client().get("/o/.well-known/openid-configuration")

    body = response.json()
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]
    assert body["response_types_supported"] == ["code"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("arguments", "address"),
    [([], "127.0.0.1:8000"), (["HOST=0.0.0.0", "PORT=9001"], "0.0.0.0:9001")],
)
def test_make_run_binds_the_given_host(arguments, address):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-n", "--no-print-directory", "run", *arguments],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert f"manage.py runserver {address}" in result.stdout
