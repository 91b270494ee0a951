"""Signal receivers, for cache invalidation only (business logic never runs here).

Wagtail announces publishing, unpublishing (also sent before a live page is deleted)
and moves of pages, and publishing of snippets, through signals; catalogue writes go
through these actions, so this is where the public catalogue cache learns of them.
"""

from typing import Any

from commerce.models import CategoryPage, PackagePage, ProductPage, ShopIndexPage
from commerce.services.catalogue_cache import (
    catalogue_cache_invalidate,
    catalogue_cache_invalidate_for_page,
)

CATALOGUE_PAGE_MODELS = (ShopIndexPage, CategoryPage, ProductPage, PackagePage)


def catalogue_page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(sender, type) and issubclass(sender, CATALOGUE_PAGE_MODELS):
        catalogue_cache_invalidate_for_page(page_model=sender, page_id=instance.pk)


def customization_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    catalogue_cache_invalidate(all_details=True)
