import pytest
from rest_framework.test import APIClient

pytest_plugins = ["tests.commerce.fixtures"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
