from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import ProblemSerializer
from config.pagination import list_query_validate, page_response
from config.throttling import AddressRateThrottle
from customization import services
from customization.api import serializers as s
from customization.api.cart_token import (
    CART_TOKEN_PARAMETER,
    IsAuthenticatedOrCartToken,
    live_guest_token_get,
    live_guest_token_require,
)
from customization.models import CustomerUpload
from customization.selectors import customization_get, customization_list, upload_get
from customization.throttles import UploadAccountRateThrottle

STAFF_PERMISSION = "customization.change_customization"


def is_customization_staff(request: Request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm(STAFF_PERMISSION))


class CustomizationWritePermission(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_customization_staff(request)


class CustomizationCollectionApi(APIView):
    permission_classes = [CustomizationWritePermission]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=[k.value for k in s.CustomizationKind]
            ),
            OpenApiParameter(
                "product", OpenApiTypes.INT, description="Attached to this product"
            ),
            OpenApiParameter(
                "package", OpenApiTypes.INT, description="Attached to this package"
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.CustomizationOutputSerializer(many=True)},
        summary="List customizations (published ones; staff also see drafts)",
        tags=["customizations"],
    )
    def get(self, request: Request) -> Response:
        data = list_query_validate(request, s.CustomizationListFilterSerializer)
        queryset = customization_list(
            kind=data.get("kind"),
            page_id=data.get("product") or data.get("package"),
            include_drafts=is_customization_staff(request),
        )
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: (
                s.CustomizationOutputSerializer(
                    page, many=True, context={"request": request}
                ).data
            ),
        )

    @extend_schema(
        request=s.CustomizationInputSerializer,
        responses={201: s.CustomizationOutputSerializer},
        summary="Create a customization (managers and administrators)",
        tags=["customizations"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CustomizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish")
        customization = services.customization_create(
            data=data, publish=publish, user=request.user
        )
        body = s.CustomizationOutputSerializer(
            customization, context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class CustomizationDetailApi(APIView):
    permission_classes = [CustomizationWritePermission]

    @extend_schema(
        responses={200: s.CustomizationOutputSerializer},
        summary="One customization",
        tags=["customizations"],
    )
    def get(self, request: Request, customization_id: int) -> Response:
        customization = customization_get(
            customization_id=customization_id,
            include_drafts=is_customization_staff(request),
        )
        return Response(
            s.CustomizationOutputSerializer(
                customization, context={"request": request}
            ).data
        )

    def _update(
        self, request: Request, customization_id: int, *, partial: bool
    ) -> Response:
        customization = customization_get(
            customization_id=customization_id, include_drafts=True
        )
        serializer = s.CustomizationInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        publish = data.pop("publish", True)
        customization = services.customization_update(
            customization=customization, data=data, publish=publish, user=request.user
        )
        return Response(
            s.CustomizationOutputSerializer(
                customization, context={"request": request}
            ).data
        )

    @extend_schema(
        request=s.CustomizationInputSerializer,
        responses={200: s.CustomizationOutputSerializer},
        summary="Replace a customization (a new revision; published unless publish=false)",
        tags=["customizations"],
    )
    def put(self, request: Request, customization_id: int) -> Response:
        return self._update(request, customization_id, partial=False)

    @extend_schema(
        request=s.CustomizationInputSerializer,
        responses={200: s.CustomizationOutputSerializer},
        summary="Change some fields of a customization",
        tags=["customizations"],
    )
    def patch(self, request: Request, customization_id: int) -> Response:
        return self._update(request, customization_id, partial=True)

    @extend_schema(
        responses={204: None},
        summary="Delete a customization (409 while a product or package attaches it)",
        tags=["customizations"],
    )
    def delete(self, request: Request, customization_id: int) -> Response:
        customization = customization_get(
            customization_id=customization_id, include_drafts=True
        )
        services.customization_delete(customization=customization, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UploadCreateApi(APIView):
    permission_classes = [IsAuthenticatedOrCartToken]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [AddressRateThrottle, UploadAccountRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        request={"multipart/form-data": s.UploadInputSerializer},
        responses={
            201: s.UploadOutputSerializer,
            429: OpenApiResponse(
                description=(
                    "Too many uploads from this address or account; see Retry-After."
                )
            ),
            503: OpenApiResponse(
                ProblemSerializer,
                description="Too many photos are being decoded; retry shortly.",
            ),
        },
        summary="Upload a photo for an upload customization",
        description=(
            "The type is checked from the content (JPEG, PNG or WebP; never SVG), with "
            "size and pixel limits; the stored copy is re-encoded without metadata. "
            "Only the uploader and staff can fetch it; unused uploads expire. "
            "A guest (no login) uploads with its cart token in X-Cart-Token: the "
            "upload then belongs to that cart (and to the customer it merges into at "
            "login); an unknown or expired token is a 400 on `cart_token`. "
            "Limited per client address (THROTTLE_RATE_UPLOADS) and per account or "
            "guest cart (CUSTOMER_UPLOAD_RATE_PER_ACCOUNT), 429; when too many photos "
            "are being decoded at once the upload gets 503 and may be retried."
        ),
        tags=["uploads"],
    )
    def post(self, request: Request) -> Response:
        is_customer = request.user.is_authenticated
        guest_token = None if is_customer else live_guest_token_require(request)
        serializer = s.UploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incoming = serializer.validated_data["file"]
        upload = services.upload_create(
            owner_id=request.user.pk if is_customer else None,
            guest_token=guest_token,
            file=incoming,
            original_name=incoming.name or "",
        )
        return Response(
            s.UploadOutputSerializer(upload, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _upload_for(request: Request, upload_id: Any) -> CustomerUpload:
    if not request.user.is_authenticated:
        return upload_get(
            upload_id=upload_id,
            viewer_id=None,
            viewer_is_staff=False,
            guest_token=live_guest_token_get(request),
        )
    return upload_get(
        upload_id=upload_id,
        viewer_id=request.user.pk,
        viewer_is_staff=request.user.has_perm("customization.view_customerupload"),
    )


UPLOAD_READ_DESCRIPTION = (
    "For its owner, staff, or a guest sending the cart token it was uploaded with "
    "(X-Cart-Token); anyone else gets 404."
)


class UploadDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrCartToken]

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses={200: s.UploadOutputSerializer},
        summary="An upload's details (owner, staff or the guest cart)",
        description=UPLOAD_READ_DESCRIPTION,
        tags=["uploads"],
    )
    def get(self, request: Request, upload_id: str) -> Response:
        upload = _upload_for(request, upload_id)
        return Response(
            s.UploadOutputSerializer(upload, context={"request": request}).data
        )


class UploadFileApi(APIView):
    permission_classes = [IsAuthenticatedOrCartToken]

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses={(200, "image/*"): OpenApiTypes.BINARY},
        summary="The uploaded photo itself (owner, staff or the guest cart)",
        description=UPLOAD_READ_DESCRIPTION,
        tags=["uploads"],
    )
    def get(self, request: Request, upload_id: str) -> FileResponse:
        upload = _upload_for(request, upload_id)
        response = FileResponse(
            upload.file.open("rb"), content_type=upload.content_type
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
