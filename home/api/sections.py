"""The home page's sections as Wagtail API v2 (and the site template) show them.

With a request, every URL is absolute on the API's base URL (``config.api``), so a
headless frontend can load images and follow links as given; without one (the
site's own template) URLs stay site-relative.
"""

from typing import Any

from django.urls import reverse
from wagtail.rich_text import expand_db_html

from commerce.catalogue.api.serializers.images import image_body, rendition_body
from commerce.catalogue.api.wagtail_fields import SiteRequest, absolute_url
from commerce.catalogue.models import IMAGE_RENDITIONS, CategoryPage
from commerce.catalogue.selectors.categories import CategoryCounts
from commerce.catalogue.selectors.offers import sellable_pricing
from commerce.money import shop_currency
from config.images import rendition_or_none

# Renditions of a hero banner's image: a wide one and one for small screens.
HERO_RENDITIONS = {"wide": "fill-1600x600", "narrow": "fill-800x600"}


def site_request(request: Any) -> Any:
    """The request whose ``build_absolute_uri`` gives the API's base URL, or None."""
    if request is None or isinstance(request, SiteRequest):
        return request
    return SiteRequest(request)


def page_url(page: Any, request: Any) -> str | None:
    """A live page's URL: absolute with a request, site-relative without."""
    if page is None or not page.live:
        return None
    if request is None:
        url: str | None = page.get_url()
        return url
    from config.api import page_html_url

    return page_html_url(page, request)


def _api_url(request: Any, kind: str, pk: int) -> str:
    path = reverse(f"commerce:{kind}-detail", kwargs={"lookup": str(pk)})
    return absolute_url(request, path) if request is not None else path


def _thumbnail(request: Any, item: Any) -> dict[str, Any] | None:
    """The first gallery picture that renders, as a thumbnail with its alt text."""
    for gallery_image in item.gallery_images.all():
        rendition = rendition_or_none(
            gallery_image.image, IMAGE_RENDITIONS["thumbnail"]
        )
        if rendition is not None:
            return {
                **rendition_body(site_request(request), rendition),
                "alt": gallery_image.caption or gallery_image.image.default_alt_text,
            }
    return None


def sellable_card(item: Any, *, request: Any) -> dict[str, Any]:
    """A product or package as a carousel shows it (loaded by ``carousels_load``).

    Prices are what the shopper pays now: a running offer's price, with the regular
    price as ``compare_at_price`` and the offer's name and end.
    """
    pricing = sellable_pricing(item=item)
    return {
        "id": item.pk,
        "kind": item.kind,
        "name": item.title,
        "slug": item.slug,
        "price": str(pricing.price),
        "compare_at_price": (
            str(pricing.compare_at_price)
            if pricing.compare_at_price is not None
            else None
        ),
        "currency": shop_currency(),
        "is_on_sale": pricing.is_on_sale,
        "offer": (
            {
                "name": pricing.offer_name,
                "ends_at": (
                    pricing.offer_ends_at.isoformat() if pricing.offer_ends_at else None
                ),
            }
            if pricing.has_offer
            else None
        ),
        "in_stock": item.is_available and item.available_quantity() > 0,
        "thumbnail": _thumbnail(request, item),
        "url": page_url(item, request),
        "api_url": _api_url(request, item.kind, item.pk),
    }


def category_ref(category: CategoryPage | None) -> dict[str, Any] | None:
    if category is None:
        return None
    return {"id": category.pk, "name": category.title, "slug": category.slug}


def category_tile(
    category: CategoryPage, *, counts: dict[str, CategoryCounts], request: Any
) -> dict[str, Any]:
    """A category as a tile: its image renditions and how many items it holds."""
    count = counts.get(category.path, CategoryCounts())
    image = (
        image_body(site_request(request), category.image)
        if category.image is not None
        else None
    )
    return {
        "id": category.pk,
        "name": category.title,
        "slug": category.slug,
        "image": image,
        "product_count": count.products,
        "package_count": count.packages,
        "url": page_url(category, request),
        "api_url": _api_url(request, "category", category.pk),
    }


def hero_image(image: Any, *, request: Any) -> dict[str, Any] | None:
    """A hero banner's image: id, title, alt and its renditions; None if it is gone."""
    if image is None:
        return None
    renditions = {}
    for name, spec in HERO_RENDITIONS.items():
        rendition = rendition_or_none(image, spec)
        if rendition is None:
            return None
        renditions[name] = rendition_body(site_request(request), rendition)
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.default_alt_text,
        **renditions,
    }


def rich_text_html(value: Any) -> str:
    """A rich text block's HTML, with page and image references expanded."""
    source = getattr(value, "source", value)
    return expand_db_html(source or "")
