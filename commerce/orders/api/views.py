"""Orders: place (idempotently), list, read and move through the lifecycle."""

import hashlib
import json
from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.orders.api import serializers as s
from commerce.orders.api.context import order_context, viewer_is_staff
from commerce.orders.selectors import order_get, order_list
from commerce.orders.services import (
    IdempotentDuplicateError,
    RequestedLine,
    idempotent_replay,
    idempotent_store,
    order_place,
    order_transition,
)
from config.openapi import problem_responses
from config.pagination import PageNumberPagination, list_query_validate

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _request_hash(data: Any) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str).encode()
    ).hexdigest()


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
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(
            s.OrderOutputSerializer(
                page, many=True, context=order_context(request)
            ).data
        )

    @extend_schema(
        request=s.OrderPlaceInputSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Replays with the same key and body return the first response.",
            )
        ],
        responses={201: s.OrderOutputSerializer, **problem_responses(422)},
        summary="Place an order from the cart or from explicit lines",
        description="Insufficient stock gives 409 naming the items; nothing changes.",
        tags=["orders"],
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "")[:255]
        request_hash = _request_hash(request.data)
        if key:
            record = idempotent_replay(
                customer=request.user, key=key, request_hash=request_hash
            )
            if record is not None:
                return Response(record.response_body, status=record.response_status)
        serializer = s.OrderPlaceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lines = None
        if "lines" in data:
            lines = [
                RequestedLine(
                    kind="product" if "product" in line else "package",
                    item_id=line.get("product") or line["package"],
                    quantity=line["quantity"],
                    choices=line.get("customizations", []),
                )
                for line in data["lines"]
            ]
        try:
            body = self._place(request, data, lines, key, request_hash)
        except IdempotentDuplicateError as duplicate:
            return Response(
                duplicate.record.response_body, status=duplicate.record.response_status
            )
        return Response(body, status=status.HTTP_201_CREATED)

    def _place(
        self,
        request: Request,
        data: dict[str, Any],
        lines: Any,
        key: str,
        request_hash: str,
    ) -> Any:
        # One transaction for the order and its idempotency record: a concurrent request
        # with the same key waits on the record's unique index, then replays it.
        with transaction.atomic():
            order = order_place(
                customer=request.user,
                lines=lines,
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
            order = order_get(order_id=order.pk, viewer=request.user, is_staff=True)
            # The caller placed the order for themselves: they read it as its customer.
            context = {"request": request, "viewer_is_staff": False}
            body = json.loads(
                json.dumps(
                    s.OrderOutputSerializer(order, context=context).data,
                    default=str,
                )
            )
            if key:
                record = idempotent_store(
                    customer=request.user,
                    key=key,
                    request_hash=request_hash,
                    status=status.HTTP_201_CREATED,
                    body=body,
                )
                # Answer with the stored form, so the first response and every replay match.
                record.refresh_from_db(fields=["response_body"])
                body = record.response_body
        return body


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
        )
        order = order_get(order_id=order_id, viewer=request.user, is_staff=True)
        return Response(
            s.OrderOutputSerializer(order, context=order_context(request)).data
        )

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
