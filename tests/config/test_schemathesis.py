"""Property-based contract test: every operation of the OpenAPI document, three callers.

schemathesis generates requests from the schema the app serves and checks that none
answers a server error, that every status is one the operation documents and that
every body matches its documented schema. The budget is small and the generation
derandomized, so a run is repeatable; CI runs it with the suite on PostgreSQL.
Deselect it locally with ``-m "not schemathesis"``.
"""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from commerce.accounts.services.tokens import token_pair_issue
from commerce.enums import UserRole
from tests.commerce.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

pytestmark = pytest.mark.schemathesis


@pytest.fixture(autouse=True)
def _test_transaction_kept_open() -> Any:
    """Requests go through the WSGI app, whose signals would close the connection.

    Like Django's test client, keep the test's connection (and its transaction) open.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def caller_headers(request: Any, db: Any) -> dict[str, str]:
    """The Authorization header of a caller in the role ``request.param``."""
    role = request.param
    if role == "anonymous":
        return {}
    user = UserFactory(email=f"schemathesis-{role}@example.com", role=UserRole(role))
    return {"Authorization": f"Bearer {token_pair_issue(user=user)['access_token']}"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "caller_headers", ["anonymous", "customer", "manager"], indirect=True
)
@schema.parametrize()
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_honours_its_schema(case: Any, caller_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=caller_headers, checks=CHECKS)
