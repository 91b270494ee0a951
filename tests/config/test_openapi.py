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
