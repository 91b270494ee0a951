"""Reviews: an item's published reviews, a customer's review, staff moderation."""

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.models import User
from commerce.catalogue.api.permissions import is_catalogue_staff
from commerce.enums import ReviewStatus
from commerce.reviews.api import serializers as s
from commerce.reviews.selectors import (
    review_get,
    review_item_id_get,
    review_list_for_item,
    review_list_for_staff,
)
from commerce.reviews.services import review_status_set, review_submit
from config.openapi import problem_responses
from config.pagination import list_query_validate, page_response
from config.permissions import permissions_required

MODERATE_PERMISSION = "commerce.change_review"
PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]
REVIEW_EXAMPLE = {
    "id": 7,
    "rating": 5,
    "title": "Lovely",
    "text": "Arrived fresh and lasted two weeks.",
    "author": "Ada B.",
    "status": "published",
    "created_at": "2026-05-04T10:12:00Z",
    "updated_at": "2026-05-04T10:12:00Z",
}


class ReadOrAuthenticated(BasePermission):
    """Anyone reads; writing needs a login."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


class ItemReviewsApi(APIView):
    """``/api/{products|packages}/{lookup}/reviews``: read them, or write one's own."""

    kind: str
    permission_classes = [ReadOrAuthenticated]

    def _item_id(self, request: Request, lookup: str) -> int:
        return review_item_id_get(
            kind=self.kind,
            lookup=lookup,
            include_unpublished=is_catalogue_staff(request),
        )

    def get(self, request: Request, lookup: str) -> Response:
        list_query_validate(request)
        item_id = self._item_id(request, lookup)
        queryset = review_list_for_item(kind=self.kind, item_id=item_id)
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: s.ReviewOutputSerializer(page, many=True).data,
        )

    def post(self, request: Request, lookup: str) -> Response:
        item_id = self._item_id(request, lookup)
        serializer = s.ReviewSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submitted = review_submit(
            customer=cast(User, request.user),  # authenticated: see permissions
            kind=self.kind,
            item_id=item_id,
            **serializer.validated_data,
        )
        return Response(
            s.ReviewOutputSerializer(submitted.review).data,
            status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK,
        )


def _item_reviews_schema(kind: str) -> Any:
    return extend_schema_view(
        get=extend_schema(
            parameters=PAGE_PARAMETERS,
            responses={200: s.ReviewOutputSerializer(many=True)},
            summary=f"The published reviews of a {kind}, newest first",
            description=(
                f"`lookup` is the {kind}'s id or slug. The {kind}'s "
                "`rating_average` and `rating_count` summarize these reviews."
            ),
            tags=["reviews"],
            examples=[
                OpenApiExample(
                    "A page of reviews",
                    value={
                        "count": 1,
                        "next": None,
                        "previous": None,
                        "results": [REVIEW_EXAMPLE],
                        "total_pages": 1,
                        "page_size": 20,
                    },
                    response_only=True,
                )
            ],
        ),
        post=extend_schema(
            request=s.ReviewSubmitInputSerializer,
            responses={
                201: s.ReviewOutputSerializer,
                200: s.ReviewOutputSerializer,
                **problem_responses(400, 401, 403, 404),
            },
            summary=f"Review a {kind} you received, or edit your review of it",
            description=(
                f"Customers whose order of the {kind} was delivered rate it from 1 "
                "to 5, with an optional title and text. One review per customer "
                f"and {kind}: the first answers 201, later ones edit it and answer "
                "200. New reviews are published at once; a review staff hid stays "
                "hidden when edited. Without a delivered order of the item the "
                "answer is 403 `item_not_received`."
            ),
            tags=["reviews"],
            examples=[
                OpenApiExample(
                    "A review",
                    value={"rating": 5, "title": "Lovely", "text": "Lasted weeks."},
                    request_only=True,
                ),
                OpenApiExample("The review", value=REVIEW_EXAMPLE, response_only=True),
            ],
        ),
    )


@_item_reviews_schema("product")
class ProductReviewsApi(ItemReviewsApi):
    kind = "product"


@_item_reviews_schema("package")
class PackageReviewsApi(ItemReviewsApi):
    kind = "package"


class ReviewStaffListApi(APIView):
    permission_classes = [permissions_required(MODERATE_PERMISSION)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=[c.value for c in ReviewStatus]
            ),
            OpenApiParameter("rating", OpenApiTypes.INT, description="1 to 5"),
            OpenApiParameter("product", OpenApiTypes.INT),
            OpenApiParameter("package", OpenApiTypes.INT),
            *PAGE_PARAMETERS,
        ],
        responses={200: s.StaffReviewOutputSerializer(many=True)},
        summary="Every review, published or hidden, newest first (staff)",
        tags=["reviews"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.ReviewListFilterSerializer)
        queryset = review_list_for_staff(filters=filters)
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: s.StaffReviewOutputSerializer(page, many=True).data,
        )


class _ReviewStatusApi(APIView):
    permission_classes = [permissions_required(MODERATE_PERMISSION)]
    to_status: str

    def post(self, request: Request, review_id: int) -> Response:
        review_status_set(
            review_id=review_id,
            status=self.to_status,
            actor=cast(User, request.user),  # staff: see permission_classes
        )
        return Response(
            s.StaffReviewOutputSerializer(review_get(review_id=review_id)).data
        )


def _status_schema(verb: str, effect: str) -> Any:
    return extend_schema(
        request=None,
        responses={200: s.StaffReviewOutputSerializer},
        summary=f"{verb} a review (managers and administrators)",
        description=(
            f"{effect} The item's rating is recomputed and the change is logged in "
            "the audit log. Doing it twice changes nothing."
        ),
        tags=["reviews"],
    )


class ReviewHideApi(_ReviewStatusApi):
    to_status = ReviewStatus.HIDDEN

    @_status_schema("Hide", "The review is no longer shown nor counted.")
    def post(self, request: Request, review_id: int) -> Response:
        return super().post(request, review_id)


class ReviewPublishApi(_ReviewStatusApi):
    to_status = ReviewStatus.PUBLISHED

    @_status_schema("Publish", "The review is shown and counted again.")
    def post(self, request: Request, review_id: int) -> Response:
        return super().post(request, review_id)
