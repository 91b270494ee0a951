"""The server-rendered shop pages (and the admin's preview of them).

Templates get exactly what the catalogue API serves for the item, from the same
selectors and output serializers, so price, stock and availability have one rule.
"""

from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest

from commerce.catalogue.api.serializers.sellables import (
    PackageOutputSerializer,
    ProductOutputSerializer,
)
from commerce.catalogue.models import (
    CategoryPage,
    PackagePage,
    ProductPage,
)
from commerce.catalogue.selectors.categories import catalogue_breadcrumbs, category_map
from commerce.catalogue.selectors.sellables import (
    SELLABLE_LIVE_FIGURES,
    package_queryset,
    product_queryset,
)
from commerce.catalogue.services.preview import preview_token_create
from commerce.money import shop_currency
from customization.selectors import customizations_by_id


def _with_live_figures(page: ProductPage | PackagePage) -> ProductPage | PackagePage:
    """Copy stock and sales from the database onto ``page`` (a live page or a draft)."""
    queryset = (
        product_queryset(include_unpublished=True)
        if isinstance(page, ProductPage)
        else package_queryset(include_unpublished=True)
    )
    stored = queryset.filter(pk=page.pk).first() if page.pk else None
    for attribute in SELLABLE_LIVE_FIGURES:
        if stored is not None and hasattr(stored, attribute):
            setattr(page, attribute, getattr(stored, attribute))
    if stored is None:
        page.units_sold_count = 0
        page.rating_count = 0
    return page


def _serializer_context(
    request: HttpRequest | None, items: list[Any]
) -> dict[str, Any]:
    # No request: media URLs stay as storage gives them (site-relative here), because the
    # admin's preview renders through a dummy request whose host is the site's, not the
    # one the editor's browser uses.
    return {
        "request": None,
        "categories": category_map(),
        "customizations": customizations_by_id(
            raw_streams=[item.customizations.raw_data for item in items]
        ),
    }


def _breadcrumbs(
    crumbs: list[dict[str, Any]], request: HttpRequest | None
) -> list[dict[str, Any]]:
    """The API's breadcrumbs (id, name, slug), each with its category's URL when live."""
    urls = {
        category.pk: category.get_url(request)
        for category in CategoryPage.objects.live().filter(
            pk__in=[crumb["id"] for crumb in crumbs]
        )
    }
    return [{"name": crumb["name"], "url": urls.get(crumb["id"])} for crumb in crumbs]


def sellable_page_context(
    *, page: ProductPage | PackagePage, request: HttpRequest | None
) -> dict[str, Any]:
    """The API representation of a product or package page, plus its breadcrumbs."""
    page = _with_live_figures(page)
    serializer = (
        ProductOutputSerializer
        if isinstance(page, ProductPage)
        else PackageOutputSerializer
    )
    item = dict(serializer(page, context=_serializer_context(request, [page])).data)
    if isinstance(page, PackagePage):
        urls = {
            product.pk: product.get_url(request)
            for product in ProductPage.objects.live().filter(
                pk__in=[component["product"]["id"] for component in item["components"]]
            )
        }
        for component in item["components"]:
            component["product"]["url"] = urls.get(component["product"]["id"])
    return {
        "item": item,
        "currency": item.get("currency") or shop_currency(),
        "breadcrumbs": _breadcrumbs(item["breadcrumbs"], request),
    }


def category_page_context(
    *, page: CategoryPage, request: HttpRequest | None
) -> dict[str, Any]:
    """Subcategories and the live items directly in a category, as the API lists them."""
    products = list(product_queryset().child_of(page).order_by("path"))
    packages = list(package_queryset().child_of(page).order_by("path"))
    context = _serializer_context(request, [*products, *packages])
    urls = {item.pk: item.get_url(request) for item in [*products, *packages]}
    items = [
        {**ProductOutputSerializer(product, context=context).data}
        for product in products
    ] + [
        {**PackageOutputSerializer(package, context=context).data}
        for package in packages
    ]
    for item in items:
        item["url"] = urls[item["id"]]
    return {
        "items": items,
        "subcategories": list(
            CategoryPage.objects.child_of(page).live().order_by("path")
        ),
        "currency": (items[0].get("currency") if items else None) or shop_currency(),
        "breadcrumbs": _breadcrumbs(
            [asdict(crumb) for crumb in catalogue_breadcrumbs(page=page)], request
        ),
    }


# HEADLESS PREVIEW

STOREFRONT_PREVIEW_MODE = "storefront"


def storefront_preview_url(*, page: ProductPage | PackagePage) -> str | None:
    """The storefront's preview of the page's latest saved draft, by signed token.

    None when no storefront is configured (``HEADLESS_PREVIEW_URL``) or the page was
    never saved (the token names a page; the draft is read by the preview endpoint).
    """
    if not settings.HEADLESS_PREVIEW_URL or page.pk is None:
        return None
    token = preview_token_create(kind=page.kind, page_id=page.pk)
    return settings.HEADLESS_PREVIEW_URL.replace("{token}", quote(token, safe=":"))
