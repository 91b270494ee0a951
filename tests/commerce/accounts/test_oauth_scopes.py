"""Third-party tokens are held to their scopes on every API operation."""

import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator
from oauth2_provider.models import Application
from oauthlib.common import Request as OAuthRequest
from rest_framework.test import APIClient

from commerce.accounts.services import tokens
from commerce.enums import UserRole
from tests.commerce.factories import UserFactory

WRITE_METHODS = ("post", "put", "patch", "delete")


def _third_party_token(user, scope: str) -> str:
    """An access token of a third-party authorization-code app, as its token endpoint issues it."""
    app = Application.objects.create(
        name="Partner app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://partner.example.com/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    request = OAuthRequest(uri="", http_method="POST")
    request.client = app
    request.client_id = app.client_id
    request.user = user
    request.scopes = scope.split()
    request.grant_type = "authorization_code"
    request.refresh_token = None
    bearer = tokens._bearer_token_type()
    token = bearer.create_token(request, refresh_token=False)
    bearer.request_validator.save_bearer_token(token, request)
    return token["access_token"]


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _fill(path: str, operation: dict) -> str:
    """The path with each parameter replaced by a value of its type."""
    types = {
        parameter["name"]: parameter.get("schema", {})
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }

    def value(match: re.Match) -> str:
        schema = types.get(match.group(1), {})
        if schema.get("format") == "uuid":
            return str(uuid.UUID(int=1))  # fixed: xdist workers must collect alike
        if schema.get("enum"):
            return str(schema["enum"][0])
        return "1" if schema.get("type") == "integer" else "item"

    return re.sub(r"{(\w+)}", value, path)


def _write_operations(*, takes_tokens: bool = True) -> list[tuple[str, str]]:
    """Every write operation of the OpenAPI document that reads bearer tokens (or not)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, _fill(path, operation))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITE_METHODS
        and any(requirement for requirement in operation.get("security", []))
        == takes_tokens
    ]


def test_the_walk_covers_the_write_operations():
    operations = _write_operations()

    assert len(operations) >= 40
    assert ("post", "/api/orders") in operations
    assert ("patch", "/api/users/profile") in operations
    # Only the credential exchanges and the public contact form ignore bearer tokens:
    # they act on what they are sent.
    assert sorted(path for _, path in _write_operations(takes_tokens=False)) == [
        "/api/contact/1",
        "/api/users/email/change/confirm",
        "/api/users/login",
        "/api/users/login/code",
        "/api/users/login/facebook",
        "/api/users/login/firebase",
        "/api/users/password/reset",
        "/api/users/password/reset/confirm",
        "/api/users/register",
        "/api/users/token/refresh",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _write_operations())
def test_every_write_operation_refuses_a_read_only_third_party_token(method, path):
    # given: a role that may write, through an app the user granted only `read`
    manager = UserFactory(role=UserRole.MANAGER)
    client = _client(_third_party_token(manager, "openid read"))

    # when
    response = getattr(client, method)(path, {}, format="json")

    # then
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "insufficient_scope"


@pytest.mark.django_db
def test_a_read_only_third_party_token_can_read():
    customer = UserFactory(role=UserRole.CUSTOMER)
    client = _client(_third_party_token(customer, "read"))

    assert client.get("/api/users/profile").status_code == 200
    assert client.get("/api/orders").status_code == 200


@pytest.mark.django_db
def test_a_third_party_token_without_read_cannot_read():
    customer = UserFactory(role=UserRole.CUSTOMER)
    client = _client(_third_party_token(customer, "openid"))

    response = client.get("/api/users/profile")

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


@pytest.mark.django_db
def test_a_write_scope_lets_the_third_party_app_write():
    customer = UserFactory(role=UserRole.CUSTOMER)
    client = _client(_third_party_token(customer, "read write"))

    response = client.patch(
        "/api/users/profile", {"phone": "+49 30 123"}, format="json"
    )

    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.phone == "+49 30 123"


@pytest.mark.django_db
def test_first_party_tokens_keep_the_full_access_of_the_role():
    customer = UserFactory(role=UserRole.CUSTOMER)
    pair = tokens.token_pair_issue(user=customer, scopes=["read"])

    response = _client(pair["access_token"]).patch(
        "/api/users/profile", {"phone": "+49 30 123"}, format="json"
    )

    assert response.status_code == 200, response.content


def test_the_openapi_document_names_the_scope_of_each_operation():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    product_list = schema["paths"]["/api/products"]["get"]["security"]
    order_place = schema["paths"]["/api/orders"]["post"]["security"]

    assert product_list == [{"jwt": []}, {"oauth2": ["read"]}, {}]
    assert order_place == [{"jwt": []}, {"oauth2": ["write"]}]
    # Integration (client-credentials) scopes that open an operation are listed too.
    assert schema["paths"]["/api/products"]["post"]["security"] == [
        {"jwt": []},
        {"oauth2": ["write"]},
        {"oauth2": ["catalogue:write"]},
    ]
    assert schema["paths"]["/api/users/{user_id}"]["patch"]["security"] == [
        {"jwt": []},
        {"oauth2": ["write"]},
        {"oauth2": ["users:write"]},
    ]
