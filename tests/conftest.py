from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from rest_framework.test import APIClient

pytest_plugins = ["tests.commerce.fixtures"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def migrated_data(django_db_setup: Any, django_db_blocker: Any) -> str:
    """What the migrations put in the test database (roles, home page, OAuth client)."""
    with django_db_blocker.unblock():
        return str(connection.creation.serialize_db_to_string())


@pytest.fixture
def committed_db(migrated_data: str, transactional_db: Any) -> None:
    """A database whose writes commit, for tests with threads or processes.

    Transactional tests end with a flush that also removes the migrations' data; it
    is loaded again here when an earlier transactional test removed it.
    """
    if not Group.objects.exists():
        # The flush re-created content types and permissions; start from empty tables.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migrated_data)
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _cache_cleared() -> Any:
    """Each test starts with an empty cache (the catalogue cache lives in it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
