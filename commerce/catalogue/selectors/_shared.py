"""What the catalogue's selectors share."""

from typing import TypeVar

from django.db.models import QuerySet

from commerce.catalogue.models import CategoryPage, PackagePage, ProductPage
from config.fields import DATABASE_INTEGER_MAX

SellableT = TypeVar("SellableT", ProductPage, PackagePage)


def _category_by_lookup(
    queryset: QuerySet[CategoryPage], lookup: str
) -> CategoryPage | None:
    if lookup.isascii() and lookup.isdigit():
        pk = int(lookup)
        if pk > DATABASE_INTEGER_MAX:
            return None
        return queryset.filter(pk=pk).first()
    # Slugs are unique among siblings only: the first in tree order wins.
    return queryset.filter(slug=lookup).order_by("path").first()
