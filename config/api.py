"""The Wagtail API v2 router: pages, images and documents for headless frontends.

Wagtail's API shows live, public content only, so it is open to anonymous clients
(the project's DRF default is authenticated-only).

Catalogue pages render on their own: products and packages carry the fields of the
DRF catalogue endpoints (``commerce.catalogue.api.wagtail_fields``); a listing of them loads
what a page of items shares in a constant number of queries. Absolute URLs
(``detail_url``, ``html_url``, renditions' ``full_url``) use the root URL of the
Wagtail site serving the request, or the request's host in development.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from rest_framework.fields import Field, SkipField
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from commerce.catalogue.api.wagtail_fields import absolute_url, api_base_url
from commerce.catalogue.models import CategoryPage, PackagePage, ProductPage
from commerce.catalogue.selectors.categories import category_counts, category_map
from commerce.catalogue.selectors.sellables import catalogue_api_queryset
from customization.selectors import customizations_by_id


class SiteDetailUrlField(Field):
    """``detail_url`` on the API's base URL (see ``api_base_url``)."""

    def get_attribute(self, instance: Any) -> Any:
        router = self.context["router"]
        path = router.get_object_detail_urlpath(type(instance), instance.pk)
        if not path:
            raise SkipField
        return absolute_url(self.context["request"], path)

    def to_representation(self, value: Any) -> Any:
        return value


def page_html_url(page: Any, request: Any) -> str | None:
    """The page's absolute URL on its Wagtail site (the request's host in DEBUG)."""
    parts = page.get_url_parts(request=request)
    if parts is None or parts[2] is None:
        return None
    _, root_url, page_path = parts
    if settings.DEBUG and request is not None:
        return api_base_url(request) + page_path
    return str(root_url) + page_path


class SiteHtmlUrlField(Field):
    """``html_url``: the page's URL on its Wagtail site (the request's host in DEBUG)."""

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, page: Any) -> str | None:
        return page_html_url(page, self.context.get("request"))


class SitePageSerializer(PageSerializer):
    detail_url = SiteDetailUrlField(read_only=True)
    html_url = SiteHtmlUrlField(read_only=True)


class SiteImageSerializer(ImageSerializer):
    detail_url = SiteDetailUrlField(read_only=True)


class SiteDocumentSerializer(DocumentSerializer):
    detail_url = SiteDetailUrlField(read_only=True)


CATALOGUE_MODELS = (ProductPage, PackagePage)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    permission_classes = [AllowAny]
    base_serializer_class = SitePageSerializer

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if queryset.model in CATALOGUE_MODELS:
            return catalogue_api_queryset(queryset)
        return queryset

    def get_object(self) -> Any:
        if not hasattr(self, "_catalogue_object"):
            page = super().get_object()
            if isinstance(page, CATALOGUE_MODELS):
                page = catalogue_api_queryset(
                    type(page).objects.filter(pk=page.pk)
                ).get()
            self._preload([page])
            self._catalogue_object = page
        return self._catalogue_object

    def _preload(self, items: list[Any]) -> None:
        """What a page of catalogue items shares: the category map, customizations.

        Categories share their item counts (two aggregate queries for all of them).
        """
        self.preloaded: dict[str, Any] = {}
        sellable = [item for item in items if isinstance(item, CATALOGUE_MODELS)]
        if sellable:
            self.preloaded = {
                "categories": category_map(),
                "customizations": customizations_by_id(
                    raw_streams=[item.customizations.raw_data for item in sellable]
                ),
            }
        if any(isinstance(item, CategoryPage) for item in items):
            self.preloaded["category_counts"] = category_counts()

    def listing_view(self, request: Any) -> Response:
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        items = list(self.paginate_queryset(queryset))
        self._preload(items)
        serializer = self.get_serializer(items, many=True)
        return self.get_paginated_response(serializer.data)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context.update(getattr(self, "preloaded", {}))
        return context


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    permission_classes = [AllowAny]
    base_serializer_class = SiteImageSerializer


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    permission_classes = [AllowAny]
    base_serializer_class = SiteDocumentSerializer


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
