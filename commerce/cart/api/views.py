"""The caller's cart. Stock is shown but only taken when an order is placed."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.cart.api import serializers as s
from commerce.cart.selectors import cart_view
from commerce.cart.services import cart_line_add, cart_line_remove, cart_line_update


def _cart_response(request: Request, status_code: int = status.HTTP_200_OK) -> Response:
    body = s.CartOutputSerializer(context={"request": request}).to_representation(
        cart_view(customer=request.user)
    )
    return Response(body, status=status_code)


class CartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="The caller's cart at current prices and customization deltas",
        tags=["cart"],
    )
    def get(self, request: Request) -> Response:
        return _cart_response(request)


class CartLineAddApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.CartLineAddInputSerializer,
        responses={201: OpenApiTypes.OBJECT},
        summary="Add a product or package with its customization choices",
        description="The same item with the same choices adds to the existing line.",
        tags=["cart"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CartLineAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind, item_id = s.line_item(data)
        cart_line_add(
            customer=request.user,
            kind=kind,
            item_id=item_id,
            quantity=data["quantity"],
            choices=data.get("customizations", []),
        )
        return _cart_response(request, status.HTTP_201_CREATED)


class CartLineDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.CartLineUpdateInputSerializer,
        responses={200: OpenApiTypes.OBJECT},
        summary="Change a line's quantity",
        tags=["cart"],
    )
    def patch(self, request: Request, line_id: int) -> Response:
        serializer = s.CartLineUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cart_line_update(
            customer=request.user,
            line_id=line_id,
            quantity=serializer.validated_data["quantity"],
        )
        return _cart_response(request)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT}, summary="Remove a line", tags=["cart"]
    )
    def delete(self, request: Request, line_id: int) -> Response:
        cart_line_remove(customer=request.user, line_id=line_id)
        return _cart_response(request)
