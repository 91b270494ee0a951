"""Orders: place (idempotently), list, read and move through the lifecycle."""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.services.addresses import address_clean
from commerce.cart.api.serializers import line_item
from commerce.cart.api.views import (
    CART_TOKEN_PARAMETER,
    header_cart_token,
    request_cart,
)
from commerce.orders.api import serializers as s
from commerce.orders.api.context import (
    order_body,
    order_context,
    order_placed_body,
    order_token_body,
    viewer_is_staff,
)
from commerce.orders.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent_response
from commerce.orders.placement import RequestedLine, checkout_complete, order_place
from commerce.orders.selectors import order_get, order_list
from commerce.orders.services import order_transition
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


def _gift(data: dict[str, Any]) -> dict[str, Any]:
    """The gift options of a validated order or checkout input."""
    return {
        "is_gift": data["is_gift"],
        "is_anonymous": data["is_anonymous"],
        "gift_message": data.get("gift_message", ""),
    }


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
            billing = data.get("billing_address")
            order = order_place(
                customer=request.user,
                lines=_requested_lines(data),
                contact={
                    "email": data.get("contact_email"),
                    "phone": data.get("contact_phone", ""),
                },
                shipping_address=address_clean(dict(data["shipping_address"])),
                billing_address=address_clean(dict(billing)) if billing else None,
                shipping_method_id=data.get("shipping_method"),
                gift=_gift(data),
            )
            # The caller placed the order for themselves: they read it as its customer.
            return order_placed_body(request, order)

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


class CheckoutCompleteApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.CheckoutCompleteInputSerializer,
        parameters=[CART_TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={
            201: s.OrderOutputSerializer,
            **problem_responses(400, 401, 404, 409, 410, 422),
        },
        summary="Place the order the cart's checkout steps describe",
        description=(
            "Needs the steps done: a guest's email, the shipping address, the "
            "billing address (or the same as shipping) and, where the shop has "
            "shipping methods, one offered for the cart. Answers 409 `cart_changed` "
            "with `changes` when a price changed since the cart was last shown (read "
            "the cart again, then confirm), and 409 `insufficient_stock` naming the "
            "items short. The order's `token` lets a guest read and pay it at "
            "/api/orders/{token}."
        ),
        tags=["checkout"],
        examples=[
            OpenApiExample(
                "A gift",
                value={"is_gift": True, "gift_message": "Happy birthday!"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, token: uuid.UUID | None = None) -> Response:
        header_token = token or header_cart_token(request)

        def place() -> Any:
            # Locked here, inside the idempotency block's transaction.
            cart = request_cart(request, token, for_update=True)
            serializer = s.CheckoutCompleteInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            customer = request.user if request.user.is_authenticated else None
            order = checkout_complete(
                cart=cart,
                customer=customer,
                contact_phone=data.get("contact_phone", ""),
                gift=_gift(data),
                cart_locked=True,
            )
            return order_placed_body(request, order)

        return idempotent_response(
            request,
            status_code=status.HTTP_201_CREATED,
            perform=place,
            guest_token=header_token,
        )


# Anyone holding the order's token reads it: how a guest follows their order.
class OrderTokenDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        # 401: what is not a UUID is an order id, whose route needs a login.
        responses={200: s.OrderOutputSerializer, **problem_responses(401, 404)},
        summary="An order by its token (guests, and links in emails)",
        operation_id="orders_by_token_retrieve",
        tags=["orders"],
    )
    def get(self, request: Request, token: uuid.UUID) -> Response:
        return Response(order_token_body(request, token))
