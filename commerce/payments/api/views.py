"""Paying for an order (idempotently), refunding it, and the enabled gateways."""

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.exceptions import PaymentDeclinedError
from commerce.orders.api.context import order_body, order_token_body, viewer_is_staff
from commerce.orders.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent_response
from commerce.orders.api.serializers import OrderOutputSerializer
from commerce.orders.idempotency import RaiseAfterCommit
from commerce.orders.selectors import order_by_token_get, order_get
from commerce.payments import gateways_enabled
from commerce.payments.api import serializers as s
from commerce.payments.services import order_pay, order_refund
from config.openapi import problem_responses


class OrderPayApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.OrderPayInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: OrderOutputSerializer, **problem_responses(402, 502)},
        summary="Pay for an order through a payment gateway",
        description=(
            "The order's customer (or staff) pays a pending or under-review, unpaid "
            "order. A declined payment answers 402 and is recorded on the order; an "
            "order that is already paid or no longer payable answers 409. Another "
            "customer's order is not found (404)."
        ),
        tags=["orders"],
    )
    def post(self, request: Request, order_id: int) -> Response:
        order_get(
            order_id=order_id, viewer=request.user, is_staff=viewer_is_staff(request)
        )

        def pay() -> Any:
            serializer = s.OrderPayInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            payment = order_pay(
                order_id=order_id,
                actor=request.user,
                gateway_id=data.pop("gateway"),
                data=data,
            )
            if not payment.succeeded:
                # The declined attempt stays recorded on the order.
                raise RaiseAfterCommit(PaymentDeclinedError(payment.message or None))
            return order_body(request, order_id)

        return idempotent_response(
            request,
            status_code=status.HTTP_200_OK,
            perform=pay,
            scope=f"pay:{order_id}",
        )


# Pay an order by its token: how a guest pays (the token is the permission).
class OrderTokenPayApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.OrderPayInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        # 401: what is not a UUID is an order id, whose route needs a login.
        responses={
            200: OrderOutputSerializer,
            **problem_responses(401, 402, 404, 502),
        },
        summary="Pay for an order by its token (guests)",
        operation_id="orders_by_token_pay",
        description="As paying by id; the Idempotency-Key belongs to the order.",
        tags=["orders"],
    )
    def post(self, request: Request, token: uuid.UUID) -> Response:
        order = order_by_token_get(token=token)

        def pay() -> Any:
            serializer = s.OrderPayInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            customer = request.user if request.user.is_authenticated else None
            payment = order_pay(
                order_id=order.pk,
                actor=customer,
                gateway_id=data.pop("gateway"),
                data=data,
            )
            if not payment.succeeded:
                raise RaiseAfterCommit(PaymentDeclinedError(payment.message or None))
            return order_token_body(request, token)

        return idempotent_response(
            request,
            status_code=status.HTTP_200_OK,
            perform=pay,
            scope=f"pay:{order.pk}",
            guest_token=order.token,
        )


class OrderRefundApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: OrderOutputSerializer},
        summary="Refund a paid order (staff)",
        description="Cancelling an order refunds it already; this is for returns.",
        tags=["orders"],
    )
    def post(self, request: Request, order_id: int) -> Response:
        order_get(
            order_id=order_id, viewer=request.user, is_staff=viewer_is_staff(request)
        )
        order_refund(order_id=order_id, actor=request.user)
        return Response(order_body(request, order_id))


class PaymentGatewayListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: s.PaymentGatewayOutputSerializer(many=True)},
        summary="The enabled payment gateways",
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            s.PaymentGatewayOutputSerializer(
                list(gateways_enabled().values()), many=True
            ).data
        )
