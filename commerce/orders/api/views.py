"""Orders: place (idempotently), list, read and move through the lifecycle."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.cart.api.serializers import line_item
from commerce.orders.api import serializers as s
from commerce.orders.api.context import order_body, order_context, viewer_is_staff
from commerce.orders.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent_response
from commerce.orders.selectors import order_get, order_list
from commerce.orders.services import RequestedLine, order_place, order_transition
from config.openapi import problem_responses
from config.pagination import list_query_validate, page_response


def _requested_lines(data: dict[str, Any]) -> list[RequestedLine] | None:
    """The explicit lines of an order; None orders the cart."""
    if "lines" not in data:
        return None
    return [
        RequestedLine(
            kind=kind,
            item_id=item_id,
            quantity=line["quantity"],
            choices=line.get("customizations", []),
        )
        for line in data["lines"]
        for kind, item_id in [line_item(line)]
    ]


class OrderCollectionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("customer", OpenApiTypes.INT, description="Staff only"),
            OpenApiParameter("product", OpenApiTypes.INT),
            OpenApiParameter("created_from", OpenApiTypes.DATE),
            OpenApiParameter("created_to", OpenApiTypes.DATE),
            OpenApiParameter(
                "sort", OpenApiTypes.STR, enum=["newest", "oldest", "total", "-total"]
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.OrderOutputSerializer(many=True)},
        summary="Orders: a customer's own, or all of them for staff",
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.OrderListFilterSerializer)
        queryset = order_list(
            viewer=request.user, is_staff=viewer_is_staff(request), filters=filters
        )
        context = order_context(request)
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: (
                s.OrderOutputSerializer(page, many=True, context=context).data
            ),
        )

    @extend_schema(
        request=s.OrderPlaceInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.OrderOutputSerializer, **problem_responses(422)},
        summary="Place an order from the cart or from explicit lines",
        description="Insufficient stock gives 409 naming the items; nothing changes.",
        tags=["orders"],
    )
    def post(self, request: Request) -> Response:
        def place() -> Any:
            serializer = s.OrderPlaceInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            order = order_place(
                customer=request.user,
                lines=_requested_lines(data),
                contact={
                    "email": data.get("contact_email"),
                    "phone": data.get("contact_phone", ""),
                },
                shipping_address=dict(data["shipping_address"]),
                gift={
                    "is_gift": data["is_gift"],
                    "is_anonymous": data["is_anonymous"],
                    "gift_message": data.get("gift_message", ""),
                },
            )
            # The caller placed the order for themselves: they read it as its customer.
            return order_body(request, order.pk, viewer_is_staff=False)

        return idempotent_response(
            request, status_code=status.HTTP_201_CREATED, perform=place
        )


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: s.OrderOutputSerializer},
        summary="One order with its events",
        tags=["orders"],
    )
    def get(self, request: Request, order_id: int) -> Response:
        order = order_get(
            order_id=order_id, viewer=request.user, is_staff=viewer_is_staff(request)
        )
        return Response(
            s.OrderOutputSerializer(order, context=order_context(request)).data
        )

    def _transition(self, request: Request, order_id: int) -> Response:
        order_get(
            order_id=order_id, viewer=request.user, is_staff=viewer_is_staff(request)
        )
        serializer = s.OrderTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order_transition(
            order_id=order_id,
            actor=request.user,
            to_status=serializer.validated_data["status"],
            note=serializer.validated_data.get("note", ""),
            tracking_carrier=serializer.validated_data.get("tracking_carrier", ""),
            tracking_number=serializer.validated_data.get("tracking_number", ""),
        )
        return Response(order_body(request, order_id))

    @extend_schema(
        request=s.OrderTransitionInputSerializer,
        responses={200: s.OrderOutputSerializer},
        summary=(
            "Change the status (staff: any allowed move; customers: cancel a pending "
            "or under-review order)"
        ),
        tags=["orders"],
    )
    def put(self, request: Request, order_id: int) -> Response:
        return self._transition(request, order_id)

    @extend_schema(
        request=s.OrderTransitionInputSerializer,
        responses={200: s.OrderOutputSerializer},
        summary="Change the status (same as PUT)",
        tags=["orders"],
    )
    def patch(self, request: Request, order_id: int) -> Response:
        return self._transition(request, order_id)
