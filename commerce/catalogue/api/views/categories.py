"""Categories: the tree for anyone (cached), changes for staff."""

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.catalogue.api.http_cache import catalogue_cached_read
from commerce.catalogue.api.permissions import (
    CatalogueWritePermission,
    is_catalogue_staff,
)
from commerce.catalogue.api.serializers.categories import (
    CategoryInputSerializer,
    CategoryOutputSerializer,
)
from commerce.catalogue.api.views.common import (
    PUBLISH_NOTE,
    numeric_id,
    serializer_context,
)
from commerce.catalogue.selectors.categories import (
    category_counts,
    category_get,
    category_list,
)
from commerce.catalogue.services.cache import LISTS_SCOPE
from commerce.catalogue.services.categories import (
    category_create,
    category_delete,
    category_update,
)
from config.pagination import list_query_validate, page_response

TAGS = ["categories"]


def _body(request: Request, category: Any) -> Any:
    return CategoryOutputSerializer(category, context=serializer_context(request)).data


class CategoryCollectionApi(APIView):
    permission_classes = [CatalogueWritePermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: CategoryOutputSerializer(many=True)},
        summary="The category tree, in tree order, each with its parent id",
        tags=TAGS,
    )
    def get(self, request: Request) -> HttpResponseBase:
        include_unpublished = is_catalogue_staff(request)
        list_query_validate(request)

        def output(page: Any) -> Any:
            context = {
                **serializer_context(request),
                "category_counts": category_counts(),
            }
            return CategoryOutputSerializer(page, many=True, context=context).data

        def render() -> Any:
            queryset = category_list(include_unpublished=include_unpublished)
            return page_response(request, queryset, view=self, output=output).data

        return catalogue_cached_read(request, scopes=[LISTS_SCOPE], render=render)

    @extend_schema(
        request=CategoryInputSerializer,
        responses={201: CategoryOutputSerializer},
        summary="Create a category",
        description=PUBLISH_NOTE,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = CategoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish")
        category = category_create(
            parent_id=data.pop("parent", None),
            data=data,
            publish=publish,
            user=request.user,
        )
        return Response(_body(request, category), status=status.HTTP_201_CREATED)


class CategoryDetailApi(APIView):
    permission_classes = [CatalogueWritePermission]

    @extend_schema(
        responses={200: CategoryOutputSerializer},
        summary="One category, by id or slug",
        tags=TAGS,
    )
    def get(self, request: Request, lookup: str) -> HttpResponseBase:
        include_unpublished = is_catalogue_staff(request)

        def render() -> Any:
            category = category_get(
                lookup=lookup, include_unpublished=include_unpublished
            )
            return _body(request, category)

        return catalogue_cached_read(request, scopes=[LISTS_SCOPE], render=render)

    def _update(self, request: Request, lookup: str, *, partial: bool) -> Response:
        category = category_get(lookup=numeric_id(lookup), include_unpublished=True)
        serializer = CategoryInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish", True)
        category = category_update(
            category=category, data=data, publish=publish, user=request.user
        )
        return Response(_body(request, category))

    @extend_schema(
        request=CategoryInputSerializer,
        responses={200: CategoryOutputSerializer},
        summary="Replace a category",
        tags=TAGS,
    )
    def put(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=False)

    @extend_schema(
        request=CategoryInputSerializer,
        responses={200: CategoryOutputSerializer},
        summary="Change some fields of a category (or move it under another parent)",
        tags=TAGS,
    )
    def patch(self, request: Request, lookup: str) -> Response:
        return self._update(request, lookup, partial=True)

    @extend_schema(
        responses={204: None},
        summary="Delete an empty category (409 while it holds anything)",
        tags=TAGS,
    )
    def delete(self, request: Request, lookup: str) -> Response:
        category = category_get(lookup=numeric_id(lookup), include_unpublished=True)
        category_delete(category=category, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
