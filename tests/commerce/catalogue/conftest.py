"""Fixtures shared by the catalogue's tests."""

import pytest
from django.core.cache import cache

from commerce.catalogue.services.cache import catalogue_cache_forget


@pytest.fixture
def empty_catalogue_cache():
    """The shared cache and this process's copies of its responses, empty before and
    after the test."""
    cache.clear()
    catalogue_cache_forget()
    yield
    cache.clear()
    catalogue_cache_forget()


@pytest.fixture
def uncached(settings):
    """The response cache off: reads go to the read model and the database."""
    settings.CATALOGUE_CACHE_TIMEOUT = 0
