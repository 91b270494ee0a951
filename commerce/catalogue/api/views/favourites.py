"""A user's favourites (``/api/users/favourites``) and ``is_favourite`` on catalogue reads."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.catalogue.api.http_cache import Overlay
from commerce.catalogue.api.serializers.favourites import (
    FavouriteAddInputSerializer,
    FavouriteOutputSerializer,
)
from commerce.catalogue.api.views.common import serializer_context
from commerce.catalogue.models import SELLABLE_MODELS
from commerce.catalogue.selectors.favourites import (
    favourite_item_ids,
    favourite_items_load,
    favourite_list,
)
from commerce.catalogue.services.favourites import favourite_add, favourite_remove
from config.fields import DATABASE_INTEGER_MAX
from config.pagination import list_query_validate, page_response

TAGS = ["favourites"]


def favourites_overlay(request: Request, *, kind: str) -> Overlay:
    """Set ``is_favourite`` on a rendered item or page of items for the caller.

    One query for the caller's favourites among the items, whatever their number.
    """

    def overlay(body: Any) -> bool:
        if not isinstance(body, dict):
            return False
        items = body.get("results", [body])
        ids = [item["id"] for item in items if isinstance(item, dict) and "id" in item]
        kept = favourite_item_ids(user=request.user, kind=kind, item_ids=ids)
        for item in items:
            if isinstance(item, dict) and item.get("id") in kept:
                item["is_favourite"] = True
        return bool(kept)

    return overlay


def _output(request: Request, pairs: Any) -> Any:
    loaded = favourite_items_load(favourites=pairs)
    items = [item for _, item in loaded]
    context = {
        **serializer_context(request, items),
        "favourite_ids": {item.pk for item in items},
    }
    return FavouriteOutputSerializer(loaded, many=True, context=context).data


class FavouriteCollectionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: FavouriteOutputSerializer(many=True)},
        summary="The caller's favourite products and packages, the newest first",
        description=(
            "Items unpublished or made inactive since they were kept are left out "
            "(and listed again when they are back on sale)."
        ),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        list_query_validate(request)
        return page_response(
            request,
            favourite_list(user=request.user),
            view=self,
            output=lambda page: _output(request, page),
        )

    @extend_schema(
        request=FavouriteAddInputSerializer,
        responses={201: FavouriteOutputSerializer, 200: FavouriteOutputSerializer},
        summary="Keep a product or package as a favourite",
        description=(
            'Send {"product": id} or {"package": id}. 201 when added, 200 when it was '
            "a favourite already. An item that does not exist or is not on sale "
            "(unpublished, inactive) is refused with 400 on its field."
        ),
        examples=[
            OpenApiExample("A product", value={"product": 12}, request_only=True),
            OpenApiExample("A package", value={"package": 3}, request_only=True),
        ],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = FavouriteAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ((kind, item_id),) = serializer.validated_data.items()
        favourite, created = favourite_add(
            user=request.user, kind=kind, item_id=item_id
        )
        body = _output(request, [favourite])[0]
        return Response(
            body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class FavouriteDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(SELLABLE_MODELS),
            ),
            OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        request=None,
        responses={204: None},
        summary="Forget a favourite",
        description=(
            "Idempotent: 204 whether or not the item was a favourite, also for an "
            "item deleted since."
        ),
        tags=TAGS,
    )
    def delete(self, request: Request, kind: str, item_id: str) -> Response:
        number = int(item_id)  # the route takes digits only
        if number <= DATABASE_INTEGER_MAX:
            favourite_remove(user=request.user, kind=kind, item_id=number)
        return Response(status=status.HTTP_204_NO_CONTENT)
