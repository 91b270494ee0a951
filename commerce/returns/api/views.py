"""Returns: a customer asks (and follows them); staff list, approve, reject, receive."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.models import User
from commerce.enums import ReturnStatus
from commerce.orders.api.context import viewer_is_staff
from commerce.orders.selectors import order_get
from commerce.returns.api import serializers as s
from commerce.returns.selectors import return_get, return_list, return_list_for_order
from commerce.returns.services import (
    RequestedReturnLine,
    return_approve,
    return_receive,
    return_reject,
    return_request_create,
)
from config.openapi import problem_responses
from config.pagination import list_query_validate, page_response
from config.permissions import permissions_required

RETURN_EXAMPLE = {
    "id": 7,
    "order": 42,
    "order_number": "FNT-00000042",
    "status": "requested",
    "reason": "The mug arrived chipped.",
    "staff_note": "",
    "refund_amount": "0.00",
    "currency": "EUR",
    "lines": [{"line": 101, "name": "Engraved mug", "sku": "MUG-1", "quantity": 1}],
    "created_at": "2026-06-03T09:15:00Z",
    "decided_at": None,
    "received_at": None,
}


def _user(request: Request) -> User:
    """The caller; the permission classes let only signed-in users through."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


VIEW_PERMISSION = permissions_required("commerce.view_returnrequest")
DECIDE_PERMISSION = permissions_required("commerce.change_returnrequest")


class OrderReturnCollectionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.ReturnOutputSerializer(many=True)},
        summary="The returns of an order (its customer, or staff)",
        tags=["returns"],
    )
    def get(self, request: Request, order_id: int) -> Response:
        list_query_validate(request)
        order_get(
            order_id=order_id, viewer=_user(request), is_staff=viewer_is_staff(request)
        )
        return page_response(
            request,
            return_list_for_order(order_id=order_id),
            view=self,
            output=lambda page: s.ReturnOutputSerializer(page, many=True).data,
        )

    @extend_schema(
        request=s.ReturnRequestCreateInputSerializer,
        responses={201: s.ReturnOutputSerializer, **problem_responses(409)},
        summary="Ask to return a delivered order, or some of its lines",
        description=(
            "The order's customer asks within RETURN_WINDOW_DAYS of delivery, with a "
            "reason. Leave `lines` out to return everything not yet returned; each "
            "line's `quantity` is at most what was bought less what is already "
            "asked for or returned (400 naming the line). A closed window is a 400 "
            "on `order`; an order that is not delivered, or already has an open "
            "return, answers 409 `return_not_allowed`. Staff cannot ask for a "
            "customer (403); another customer's order is not found (404). The order "
            "becomes `return_requested`."
        ),
        tags=["returns"],
        examples=[
            OpenApiExample(
                "Some lines",
                value={
                    "reason": "The mug arrived chipped.",
                    "lines": [{"line": 101, "quantity": 1}],
                },
                request_only=True,
            ),
            OpenApiExample(
                "The whole order",
                value={"reason": "It does not fit."},
                request_only=True,
            ),
            OpenApiExample("Requested", value=RETURN_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request, order_id: int) -> Response:
        order_get(
            order_id=order_id, viewer=_user(request), is_staff=viewer_is_staff(request)
        )
        serializer = s.ReturnRequestCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lines = data.get("lines")
        created = return_request_create(
            order_id=order_id,
            customer=_user(request),
            reason=data["reason"],
            lines=None
            if lines is None
            else [
                RequestedReturnLine(line["line"], line["quantity"]) for line in lines
            ],
        )
        return Response(
            s.ReturnOutputSerializer(return_get(return_id=created.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ReturnListApi(APIView):
    permission_classes = [VIEW_PERMISSION]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReturnStatus.values),
            OpenApiParameter("order", OpenApiTypes.INT),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.ReturnStaffOutputSerializer(many=True)},
        summary="Every return, newest first (staff)",
        tags=["returns"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.ReturnListFilterSerializer)
        return page_response(
            request,
            return_list(filters=filters),
            view=self,
            output=lambda page: s.ReturnStaffOutputSerializer(page, many=True).data,
        )


def _staff_body(return_id: int) -> Any:
    return s.ReturnStaffOutputSerializer(return_get(return_id=return_id)).data


class ReturnApproveApi(APIView):
    permission_classes = [DECIDE_PERMISSION]

    @extend_schema(
        request=s.ReturnDecisionInputSerializer,
        responses={200: s.ReturnStaffOutputSerializer, **problem_responses(409)},
        summary="Approve a requested return (staff)",
        description=(
            "The customer is told to send the goods back; the order stays "
            "`return_requested` until they are received. A return that is not "
            "requested answers 409 `return_not_allowed`."
        ),
        tags=["returns"],
        examples=[
            OpenApiExample(
                "With a note",
                value={"note": "Put the label we emailed on the parcel."},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, return_id: int) -> Response:
        serializer = s.ReturnDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return_approve(
            return_id=return_id,
            actor=_user(request),
            note=serializer.validated_data.get("note", ""),
        )
        return Response(_staff_body(return_id))


class ReturnRejectApi(APIView):
    permission_classes = [DECIDE_PERMISSION]

    @extend_schema(
        request=s.ReturnRejectInputSerializer,
        responses={200: s.ReturnStaffOutputSerializer, **problem_responses(409)},
        summary="Reject a requested or approved return, saying why (staff)",
        description=(
            "The order goes back to `delivered`, or `completed` when its return "
            "window has passed. A received or rejected return answers 409."
        ),
        tags=["returns"],
        examples=[
            OpenApiExample(
                "Why",
                value={"note": "Engraved items cannot be returned."},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, return_id: int) -> Response:
        serializer = s.ReturnRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return_reject(
            return_id=return_id,
            actor=_user(request),
            note=serializer.validated_data["note"],
        )
        return Response(_staff_body(return_id))


class ReturnReceiveApi(APIView):
    permission_classes = [DECIDE_PERMISSION]

    @extend_schema(
        request=None,
        responses={200: s.ReturnStaffOutputSerializer, **problem_responses(409, 502)},
        summary="The approved return's goods arrived: refund and restock (staff)",
        description=(
            "Refunds the returned units' share of their lines (tax included, no "
            "shipping) through the order's payment gateway, puts the units back in "
            "stock and marks the order `returned`. Only an approved return (else "
            "409); a refund the gateway refuses answers 502 and changes nothing."
        ),
        tags=["returns"],
    )
    def post(self, request: Request, return_id: int) -> Response:
        return_receive(return_id=return_id, actor=_user(request))
        return Response(_staff_body(return_id))
