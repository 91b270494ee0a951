"""Personas for permission tests: anonymous, customer, manager, administrator."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from commerce.accounts.models import User
from commerce.accounts.services.tokens import token_pair_issue
from commerce.enums import UserRole
from tests.commerce.factories import UserFactory

# A valid shipping address for order requests.
ADDRESS = {
    "name": "Ada",
    "line1": "1 Road",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


TEST_CARD = "4242 4242 4242 4242"


def order_pay(client: APIClient, order_id: int, gateway: str = "dummy_card") -> None:
    """Pay an order through the API as its customer (``client``).

    By card it is paid at once; ``cash_on_delivery`` authorizes it, to be collected on
    delivery. Either lets staff move it on to processing and shipped.
    """
    data = {"gateway": gateway}
    if gateway == "dummy_card":
        data["card_number"] = TEST_CARD
    response = client.post(f"/api/orders/{order_id}/pay", data, format="json")
    assert response.status_code == 200, response.content


def placeholders_fill(value: Any, values: dict[str, Any]) -> Any:
    """Fill ``{name}`` placeholders of a permission-matrix path or body.

    A string that is only a placeholder of a number becomes that int.
    """
    if isinstance(value, str):
        filled = value.format(**values)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {key: placeholders_fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [placeholders_fill(item, values) for item in value]
    return value


@pytest.fixture
def customer(db: Any) -> User:
    return UserFactory(email="alice@example.com", role=UserRole.CUSTOMER)


@pytest.fixture
def other_customer(db: Any) -> User:
    return UserFactory(email="bob@example.com", role=UserRole.CUSTOMER)


@pytest.fixture
def manager(db: Any) -> User:
    return UserFactory(email="manager@example.com", role=UserRole.MANAGER)


@pytest.fixture
def administrator(db: Any) -> User:
    return UserFactory(email="admin@example.com", role=UserRole.ADMINISTRATOR)


def client_for(user: User | None) -> APIClient:
    """An API client holding a real access token for ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        tokens = token_pair_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    return client


@pytest.fixture
def persona_client(db: Any) -> Any:
    """Build a client for a persona name: anonymous, customer, manager or administrator."""

    def build(persona: str) -> tuple[APIClient, User | None]:
        if persona == "anonymous":
            return APIClient(), None
        user = UserFactory(
            email=f"{persona}-persona@example.com", role=UserRole(persona)
        )
        return client_for(user), user

    return build
