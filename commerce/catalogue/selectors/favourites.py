"""Reads of a user's favourite products and packages."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from commerce.accounts.models import User
from commerce.catalogue.models import Favourite, PackagePage, ProductPage
from commerce.catalogue.selectors.sellables import package_queryset, product_queryset


def favourite_item_ids(*, user: User, kind: str, item_ids: Iterable[int]) -> set[int]:
    """Which of ``item_ids`` (products or packages, by ``kind``) ``user`` keeps.

    One query whatever the number of ids; none when there are no ids.
    """
    ids = list(item_ids)
    if not ids:
        return set()
    return set(
        Favourite.objects.filter(user=user, **{f"{kind}__in": ids}).values_list(
            f"{kind}_id", flat=True
        )
    )


def favourite_list(*, user: User) -> QuerySet[Favourite]:
    """The user's favourites whose item the shop shows now, the newest first.

    A favourite of an item unpublished or made inactive since is kept, not listed.
    """
    visible = Q(product__live=True, product__is_active=True) | Q(
        package__live=True, package__is_active=True
    )
    return Favourite.objects.filter(visible, user=user).order_by("-created_at", "-pk")


def favourite_items_load(
    *, favourites: Iterable[Favourite]
) -> list[tuple[Favourite, ProductPage | PackagePage]]:
    """Each favourite with its item loaded as the catalogue lists load them.

    Two queries for the items of any page of favourites (plus their prefetches).
    """
    favourites = list(favourites)
    products: dict[int, Any] = product_queryset().in_bulk(
        [f.product_id for f in favourites if f.product_id is not None]
    )
    packages: dict[int, Any] = package_queryset().in_bulk(
        [f.package_id for f in favourites if f.package_id is not None]
    )
    loaded = []
    for favourite in favourites:
        if favourite.product_id is not None:
            item = products.get(favourite.product_id)
        else:
            item = packages.get(favourite.package_id or 0)
        if item is not None:
            loaded.append((favourite, item))
    return loaded
