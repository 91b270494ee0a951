"""Catalogue images (staff uploads) and preview links to drafts."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.catalogue.api.permissions import CatalogueStaffPermission
from commerce.catalogue.api.serializers.common import PreviewTokenOutputSerializer
from commerce.catalogue.api.serializers.images import (
    CatalogueImageInputSerializer,
    CatalogueImageOutputSerializer,
)
from commerce.catalogue.api.views.common import (
    PACKAGES,
    PRODUCTS,
    SELLABLE_KINDS,
    SellableKind,
    numeric_id,
    serializer_context,
)
from commerce.catalogue.selectors.sellables import sellable_latest_draft
from commerce.catalogue.services.images import catalogue_image_create
from commerce.catalogue.services.preview import preview_token_create, preview_token_read


class CatalogueImageCreateApi(APIView):
    """Staff upload a product, package or category image (a Wagtail image)."""

    permission_classes = [CatalogueStaffPermission]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": CatalogueImageInputSerializer},
        responses={201: CatalogueImageOutputSerializer},
        summary="Upload an image for the catalogue (managers and administrators)",
        description=(
            "Checked as customer uploads are: the size while reading, the type from "
            "the content (JPEG, PNG or WebP), the number of pixels. A refused file "
            "answers 400 and nothing is stored. Give the returned id in `images` of "
            "a product or package, or in `image` of a category."
        ),
        tags=["images"],
    )
    def post(self, request: Request) -> Response:
        serializer = CatalogueImageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        image = catalogue_image_create(
            file=data["file"],
            title=data["title"],
            alt_text=data.get("alt_text", ""),
            collection_id=data.get("collection"),
            user=request.user,
        )
        body = CatalogueImageOutputSerializer(image, context={"request": request})
        return Response(body.data, status=status.HTTP_201_CREATED)


class PreviewTokenCreateApi(APIView):
    """Staff get a link that shows the latest draft to a headless frontend."""

    kind: SellableKind = PRODUCTS
    permission_classes = [CatalogueStaffPermission]

    @extend_schema(
        request=None,
        responses={201: PreviewTokenOutputSerializer},
        summary="Create a preview link for the latest draft",
        tags=["preview"],
    )
    def post(self, request: Request, lookup: str) -> Response:
        item = self.kind.get(lookup=numeric_id(lookup), include_unpublished=True)
        token = preview_token_create(kind=self.kind.name, page_id=item.pk)
        url = request.build_absolute_uri(
            reverse("commerce:preview-detail", args=[token])
        )
        body = {
            "token": token,
            "url": url,
            "expires_in": settings.PREVIEW_TOKEN_MAX_AGE_SECONDS,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class PackagePreviewTokenCreateApi(PreviewTokenCreateApi):
    kind = PACKAGES


class PreviewDetailApi(APIView):
    """Anyone holding a valid preview token sees the draft, as the API would show it."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="The latest draft of a product or package, by preview token",
        tags=["preview"],
    )
    def get(self, request: Request, token: str) -> Response:
        kind_name, page_id = preview_token_read(token=token)
        kind = SELLABLE_KINDS[kind_name]
        item = kind.get(lookup=str(page_id), include_unpublished=True)
        draft = sellable_latest_draft(item=item)
        item_body = kind.output(draft, context=serializer_context(request)).data
        return Response({"kind": kind.name, "item": item_body})
