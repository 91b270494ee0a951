"""Personas for permission tests: anonymous, customer, manager, administrator."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from commerce.enums import UserRole
from commerce.models import User
from commerce.services.tokens import token_pair_issue
from tests.commerce.factories import UserFactory


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
