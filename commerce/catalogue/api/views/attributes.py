"""Brands and materials for anyone (cached): what a frontend builds filter menus from."""

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from commerce.catalogue.api.http_cache import catalogue_cached_read
from commerce.catalogue.api.serializers.attributes import (
    BrandOutputSerializer,
    MaterialOutputSerializer,
)
from commerce.catalogue.selectors.attributes import brand_list, material_list
from commerce.catalogue.services.cache import LISTS_SCOPE
from config.pagination import list_query_validate, page_response

PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


class BrandCollectionApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: BrandOutputSerializer(many=True)},
        summary="Every brand by name (filter products with ?brand=<slug>)",
        tags=["brands"],
    )
    def get(self, request: Request) -> HttpResponseBase:
        list_query_validate(request)

        def render() -> Any:
            return page_response(
                request,
                brand_list(),
                view=self,
                output=lambda page: (
                    BrandOutputSerializer(
                        page, many=True, context={"request": request}
                    ).data
                ),
            ).data

        return catalogue_cached_read(
            request, scopes=[LISTS_SCOPE], render=render, staff_private=False
        )


class MaterialCollectionApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: MaterialOutputSerializer(many=True)},
        summary="Every material by name (filter products with ?material=<slug>)",
        tags=["materials"],
    )
    def get(self, request: Request) -> HttpResponseBase:
        list_query_validate(request)

        def render() -> Any:
            return page_response(
                request,
                material_list(),
                view=self,
                output=lambda page: MaterialOutputSerializer(page, many=True).data,
            ).data

        return catalogue_cached_read(
            request, scopes=[LISTS_SCOPE], render=render, staff_private=False
        )
