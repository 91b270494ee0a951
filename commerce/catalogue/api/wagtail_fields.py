"""Fields of the Wagtail API v2 (``/api/v2/pages/``) for the catalogue pages.

Each field renders what the DRF catalogue endpoint renders under the same name, by
calling the DRF output serializer, so the two APIs cannot drift apart. Page models
declare them in ``api_fields``; imports of the API layer happen at render time, which
keeps the models importable without it.

Listings stay at a constant number of queries when the viewset preloads what a page
of items shares (``config.api``): the serializer context then carries the category
map and the customizations, as the DRF views' context does.
"""

from typing import Any

from django.conf import settings
from rest_framework.fields import Field
from wagtail.images.api.fields import ImageRenditionField


def api_base_url(request: Any) -> str:
    """Scheme and host for absolute URLs in the v2 API.

    ``WAGTAILAPI_BASE_URL`` when set; in development (``DEBUG``) the request's host,
    so that a local frontend gets links it can follow; otherwise the root URL of the
    Wagtail site serving the request (Settings > Sites), falling back to the request.
    """
    from django.utils.encoding import force_str
    from wagtail.api.utils import get_base_url

    if request is not None and settings.DEBUG:
        return f"{request.scheme}://{request.get_host()}"
    configured = getattr(settings, "WAGTAILAPI_BASE_URL", None)
    if configured:
        return str(get_base_url(request))
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return force_str(site.root_url).rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return ""


def absolute_url(request: Any, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return api_base_url(request) + url


class SiteImageRenditionField(ImageRenditionField):
    """Wagtail's rendition field with ``full_url`` on the API's base URL."""

    def to_representation(self, image: Any) -> Any:
        data = super().to_representation(image)
        if "url" in data:
            data["full_url"] = absolute_url(self.context.get("request"), data["url"])
        return data


def rendition_field(spec: str, source: str) -> SiteImageRenditionField:
    """A rendition of ``source`` (an image attribute of the object) in ``spec``."""
    return SiteImageRenditionField(spec, source=source)


class SiteRequest:
    """A request whose ``build_absolute_uri`` uses the API's base URL.

    The DRF serializers make image URLs absolute with the request; handing them this
    wrapper gives the v2 API one host for every link it renders.
    """

    def __init__(self, request: Any) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def build_absolute_uri(self, location: str | None = None) -> str:
        if location is None:
            return str(self._request.build_absolute_uri())
        return absolute_url(self._request, location)


class CatalogueAPIField(Field):
    """One value of a product or package as the DRF catalogue output serializer has it.

    ``method`` names a ``get_<field>`` method (or an attribute) of that serializer.
    """

    def __init__(self, method: str, **kwargs: Any) -> None:
        self.method = method
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, page: Any) -> Any:
        from commerce.catalogue.api.serializers.sellables import output_serializer_for

        context = dict(self.context)
        if context.get("request") is not None:
            context["request"] = SiteRequest(context["request"])
        serializer = output_serializer_for(page)(context=context)
        if self.method.startswith("get_"):
            return getattr(serializer, self.method)(page)
        return serializer.fields[self.method].to_representation(
            serializer.fields[self.method].get_attribute(page)
        )


class CategoryCountField(Field):
    """``product_count`` or ``package_count`` of a category, as ``/api/categories``.

    Live, active items in the category and its subcategories; a listing's counts
    come preloaded in the context (``config.api``).
    """

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, category: Any) -> int:
        from commerce.catalogue.selectors.categories import (
            CategoryCounts,
            category_counts,
        )

        counts = self.context.get("category_counts")
        if counts is None:
            counts = category_counts(categories=[category])
        count: int = getattr(counts.get(category.path, CategoryCounts()), self.kind)
        return count
