"""The OpenAPI schema, its committed snapshot, and the self-hosted Swagger UI."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parent / "openapi_snapshot.yaml"

pytestmark = pytest.mark.django_db


def test_schema_matches_committed_snapshot(tmp_path):
    # Regenerate with `make openapi-snapshot` when the API changes on purpose.
    output = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))

    assert yaml.safe_load(output.read_text()) == yaml.safe_load(SNAPSHOT.read_text())


def test_schema_endpoint_serves_openapi_3(api_client):
    response = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/users/login" in schema["paths"]


def test_swagger_ui_uses_only_self_hosted_assets(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def _operation(schema: dict, path: str, method: str) -> dict:
    return schema["paths"][path][method]


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return yaml.safe_load(SNAPSHOT.read_text())


def test_committed_snapshot_is_a_valid_openapi_document(snapshot):
    from openapi_spec_validator import validate

    validate(snapshot)  # raises OpenAPIValidationError with the first problem


def test_security_schemes_are_a_jwt_bearer_and_the_real_oauth2_flows(snapshot):
    from django.conf import settings

    schemes = snapshot["components"]["securitySchemes"]
    scopes = settings.OAUTH2_PROVIDER["SCOPES"]

    assert schemes["jwt"]["type"] == "http"
    assert schemes["jwt"]["scheme"] == "bearer"
    assert schemes["jwt"]["bearerFormat"] == "JWT"
    flows = schemes["oauth2"]["flows"]
    assert set(flows) == {"authorizationCode", "clientCredentials"}
    assert flows["authorizationCode"]["authorizationUrl"] == "/o/authorize/"
    assert flows["authorizationCode"]["tokenUrl"] == "/o/token/"
    assert flows["clientCredentials"]["tokenUrl"] == "/o/token/"
    # Every scope of the provider, each under the flow that can grant it.
    assert set(flows["authorizationCode"]["scopes"]) == {"openid", "read", "write"}
    assert {
        **flows["authorizationCode"]["scopes"],
        **flows["clientCredentials"]["scopes"],
    } == scopes


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        # A customer's own data: a token of either kind, never anonymous.
        # A third-party app's user token needs the read or write scope.
        ("/api/users/profile", "get", [{"jwt": []}, {"oauth2": ["read"]}]),
        ("/api/orders", "post", [{"jwt": []}, {"oauth2": ["write"]}]),
        # A cart: a guest's by its X-Cart-Token, a customer's by their token.
        ("/api/cart", "get", [{"jwt": []}, {"oauth2": ["read"]}, {}]),
        ("/api/checkout/complete", "post", [{"jwt": []}, {"oauth2": ["write"]}, {}]),
        # Public reads: a token is optional (staff see drafts with one).
        ("/api/products", "get", [{"jwt": []}, {"oauth2": ["read"]}, {}]),
        ("/api/categories/{lookup}", "get", [{"jwt": []}, {"oauth2": ["read"]}, {}]),
        # Writes an integration can do only with its scope.
        (
            "/api/products",
            "post",
            [{"jwt": []}, {"oauth2": ["write"]}, {"oauth2": ["catalogue:write"]}],
        ),
        (
            "/api/users",
            "get",
            [
                {"jwt": []},
                {"oauth2": ["read"]},
                {"oauth2": ["users:read"]},
                {"oauth2": ["users:write"]},
            ],
        ),
        # No authentication at all.
        ("/api/users/login", "post", [{}]),
    ],
)
def test_operations_declare_their_security(snapshot, path, method, expected):
    assert _operation(snapshot, path, method)["security"] == expected


def test_every_operation_declares_security(snapshot):
    missing = [
        f"{method.upper()} {path}"
        for path, operations in snapshot["paths"].items()
        for method, operation in operations.items()
        if method in {"get", "post", "put", "patch", "delete"}
        and not operation.get("security")
    ]

    assert missing == []


def test_swagger_ui_sends_pkce_and_has_its_oauth2_redirect_page(client):
    page = client.get("/api/docs/")
    # The page loads its settings from a script URL (no inline script, for the CSP).
    script = client.get("/api/docs/", {"script": ""})
    redirect = client.get("/api/docs/oauth2-redirect.html?code=abc&state=xyz")

    assert '<script src="/api/docs/?script="></script>' in page.content.decode()
    assert '"usePkceWithAuthorizationCodeGrant": true' in script.content.decode()
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(
        "/static/drf_spectacular_sidecar/swagger-ui-dist/oauth2-redirect.html?"
    )
    assert "code=abc" in redirect["Location"]


def test_the_schema_is_generated_once_per_process_until_a_setting_changes(
    api_client, settings
):
    from unittest import mock

    from drf_spectacular.generators import SchemaGenerator

    from config.schema_view import _schemas

    _schemas.clear()
    with mock.patch.object(
        SchemaGenerator,
        "get_schema",
        autospec=True,
        side_effect=SchemaGenerator.get_schema,
    ) as generated:
        first = api_client.get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        second = api_client.get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS}
        third = api_client.get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )

    assert first.status_code == second.status_code == third.status_code == 200
    assert first.content == second.content == third.content
    assert generated.call_count == 2
