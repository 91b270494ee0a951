"""The customizations a product or package offers; staff attach and detach them."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.catalogue.api.permissions import (
    CatalogueStaffPermission,
    CatalogueWritePermission,
    is_catalogue_staff,
)
from commerce.catalogue.api.views.common import (
    PACKAGES,
    PRODUCTS,
    SellableKind,
    numeric_id,
)
from commerce.catalogue.selectors.sellables import sellable_latest_draft
from commerce.catalogue.services.customizations import (
    item_customization_attach,
    item_customization_detach,
)
from customization.api.serializers import (
    AttachedCustomizationOutputSerializer,
    AttachInputSerializer,
)
from customization.selectors import item_customizations

TAGS = ["customizations"]


def _attached_body(request: Request, item: Any, *, include_drafts: bool) -> list[Any]:
    attached = item_customizations(
        raw_stream=item.customizations.raw_data, include_drafts=include_drafts
    )
    serializer = AttachedCustomizationOutputSerializer(context={"request": request})
    return [serializer.to_representation(entry) for entry in attached]


class ItemCustomizationsApi(APIView):
    """The customizations a product or package offers; staff attach more."""

    kind: SellableKind = PRODUCTS
    permission_classes = [CatalogueWritePermission]

    @extend_schema(
        responses={200: AttachedCustomizationOutputSerializer(many=True)},
        summary="What a customer must or can fill in for this item, in order",
        tags=TAGS,
    )
    def get(self, request: Request, lookup: str) -> Response:
        item = self.kind.get(
            lookup=lookup, include_unpublished=is_catalogue_staff(request)
        )
        return Response(_attached_body(request, item, include_drafts=False))

    @extend_schema(
        request=AttachInputSerializer,
        responses={201: AttachedCustomizationOutputSerializer(many=True)},
        summary="Attach a customization (a new page revision; staff only)",
        tags=TAGS,
    )
    def post(self, request: Request, lookup: str) -> Response:
        item = self.kind.get(lookup=numeric_id(lookup), include_unpublished=True)
        serializer = AttachInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = item_customization_attach(
            item=item,
            customization_id=data["customization"],
            requirement=data["requirement"],
            label=data.get("label", ""),
            publish=data["publish"],
            user=request.user,
        )
        draft = sellable_latest_draft(item=item)
        body = _attached_body(request, draft, include_drafts=True)
        return Response(body, status=status.HTTP_201_CREATED)


class PackageCustomizationsApi(ItemCustomizationsApi):
    kind = PACKAGES


class ItemCustomizationDetachApi(APIView):
    kind: SellableKind = PRODUCTS
    permission_classes = [CatalogueStaffPermission]

    @extend_schema(
        parameters=[OpenApiParameter("publish", OpenApiTypes.BOOL)],
        responses={204: None},
        summary="Detach a customization (a new page revision; staff only)",
        tags=TAGS,
    )
    def delete(self, request: Request, lookup: str, customization_id: int) -> Response:
        item = self.kind.get(lookup=numeric_id(lookup), include_unpublished=True)
        publish = request.query_params.get("publish", "true").lower() != "false"
        item_customization_detach(
            item=item,
            customization_id=customization_id,
            publish=publish,
            user=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PackageCustomizationDetachApi(ItemCustomizationDetachApi):
    kind = PACKAGES
