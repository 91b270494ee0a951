"""Carts and the checkout steps, for guests (by token) and customers (by login).

Every route exists twice: under ``/api/cart`` (the login, or a guest's
``X-Cart-Token`` header) and under ``/api/carts/{token}``. Each step answers the
recalculated cart. Stock is shown but only taken when the order is placed.
"""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.api.login import CART_TOKEN_HEADER
from commerce.accounts.models import User
from commerce.cart.api import serializers as s
from commerce.cart.models import Cart
from commerce.cart.selectors import cart_lines_priced, cart_view
from commerce.cart.services import (
    cart_billing_address_set,
    cart_by_token,
    cart_email_set,
    cart_guest_create,
    cart_line_add,
    cart_line_remove,
    cart_line_update,
    cart_merge,
    cart_of_customer,
    cart_prices_seen,
    cart_resolve,
    cart_shipping_address_set,
    cart_shipping_method_set,
    cart_voucher_apply,
    cart_voucher_remove,
)
from commerce.exceptions import CartNotFoundError
from commerce.shipping.selectors import shipping_methods_available
from config.openapi import problem_responses
from config.throttling import AddressRateThrottle

CART_TOKEN_PARAMETER = OpenApiParameter(
    CART_TOKEN_HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="A guest cart's token (from POST /api/cart). Customers log in "
    "instead; a customer who sends a guest token gets that cart merged into theirs.",
)
CART_RESPONSES = {
    200: s.CartOutputSerializer,
    **problem_responses(400, 401, 404, 410),
}
ADDRESS_EXAMPLE = {
    "name": "Ada Lovelace",
    "street_address_1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country": "DE",
    "phone": "+49 30 1234567",
}


def _customer(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def header_cart_token(request: Request) -> uuid.UUID | None:
    """The guest cart token the request sends, or None (absent or malformed)."""
    try:
        return uuid.UUID(request.headers.get(CART_TOKEN_HEADER, "").strip())
    except ValueError:
        return None


def request_cart(
    request: Request, token: uuid.UUID | None = None, *, for_update: bool = False
) -> Cart:
    """The cart of the request: the path's token, the header's, or the login's."""
    if token is None and request.headers.get(CART_TOKEN_HEADER, "").strip():
        token = header_cart_token(request)
        if token is None:  # malformed: no cart has it
            raise CartNotFoundError()
    return cart_resolve(customer=_customer(request), token=token, for_update=for_update)


def cart_response(
    request: Request, cart: Cart, status_code: int = status.HTTP_200_OK
) -> Response:
    """The cart as the shopper now sees it; the unit prices shown count as seen."""
    view = cart_view(cart=cart)
    body = s.CartOutputSerializer(context={"request": request}).to_representation(view)
    cart_prices_seen(
        cart=cart,
        prices={
            line.line.pk: line.unit_price
            for line in view.lines
            if not line.problem and line.line.unit_price_seen != line.unit_price
        },
    )
    return Response(body, status=status_code)


# A cart endpoint: open to guests with a token and to customers. No docstring:
# drf-spectacular would show it as the description of every cart endpoint.
class CartApiView(APIView):
    permission_classes = [AllowAny]


class CartApi(CartApiView):
    throttle_scope = "cart_create"

    def get_throttles(self) -> list[Any]:
        if self.request.method == "POST":
            return [AddressRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="The cart at current prices, with shipping, tax and totals",
        tags=["cart"],
    )
    def get(self, request: Request, token: uuid.UUID | None = None) -> Response:
        return cart_response(request, request_cart(request, token))

    @extend_schema(
        request=None,
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            201: s.CartOutputSerializer,
            200: s.CartOutputSerializer,
            **problem_responses(404, 410),
        },
        summary="Start a cart: a guest gets a new one and its token",
        description="Without a login this creates a guest cart (201); keep its "
        "`token` and send it as X-Cart-Token. A customer gets their own cart (200).",
        tags=["cart"],
    )
    def post(self, request: Request, token: uuid.UUID | None = None) -> Response:
        customer = _customer(request)
        if customer is not None or token is not None:
            return cart_response(request, request_cart(request, token))
        return cart_response(request, cart_guest_create(), status.HTTP_201_CREATED)


class CartLineAddApi(CartApiView):
    @extend_schema(
        request=s.CartLineAddInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            201: s.CartOutputSerializer,
            **problem_responses(400, 401, 404, 410),
        },
        summary="Add a product or package with its customization choices",
        description="The same item with the same choices adds to the existing line.",
        tags=["cart"],
        examples=[
            OpenApiExample(
                "A product with a colour",
                value={
                    "product": 12,
                    "quantity": 2,
                    "customizations": [{"customization": 3, "value": "a1b2"}],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartLineAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind, item_id = s.line_item(data)
        cart_line_add(
            cart=cart,
            kind=kind,
            item_id=item_id,
            quantity=data["quantity"],
            choices=data.get("customizations", []),
        )
        return cart_response(request, cart, status.HTTP_201_CREATED)


class CartLineDetailApi(CartApiView):
    @extend_schema(
        request=s.CartLineUpdateInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Change a line's quantity",
        tags=["cart"],
    )
    def patch(
        self, request: Request, line_id: int, token: uuid.UUID | None = None
    ) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartLineUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cart_line_update(
            cart=cart, line_id=line_id, quantity=serializer.validated_data["quantity"]
        )
        return cart_response(request, cart)

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Remove a line",
        tags=["cart"],
    )
    def delete(
        self, request: Request, line_id: int, token: uuid.UUID | None = None
    ) -> Response:
        cart = request_cart(request, token)
        cart_line_remove(cart=cart, line_id=line_id)
        return cart_response(request, cart)


class CartEmailApi(CartApiView):
    @extend_schema(
        request=s.CartEmailInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Checkout step: the contact email (guests; customers may change it)",
        tags=["checkout"],
        examples=[
            OpenApiExample(
                "Email", value={"email": "ada@example.com"}, request_only=True
            )
        ],
    )
    def put(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartEmailInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return cart_response(
            request,
            cart_email_set(cart=cart, email=serializer.validated_data["email"]),
        )


class CartShippingAddressApi(CartApiView):
    @extend_schema(
        request=s.CartAddressInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Checkout step: the shipping address (new, or a saved one's id)",
        description="Validated for its country (required fields, postal code and "
        "region formats); the phone is kept in E.164. A chosen shipping method "
        "that does not ship there is dropped.",
        tags=["checkout"],
        examples=[
            OpenApiExample("A new address", value=ADDRESS_EXAMPLE, request_only=True),
            OpenApiExample(
                "A saved address", value={"address_id": 7}, request_only=True
            ),
        ],
    )
    def put(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartAddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return cart_response(
            request,
            cart_shipping_address_set(
                cart=cart, data=data, address_id=data.get("address_id")
            ),
        )


class CartBillingAddressApi(CartApiView):
    @extend_schema(
        request=s.CartBillingAddressInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Checkout step: the billing address, or the same as shipping",
        tags=["checkout"],
        examples=[
            OpenApiExample(
                "Same as shipping", value={"same_as_shipping": True}, request_only=True
            ),
            OpenApiExample(
                "Another address",
                value={**ADDRESS_EXAMPLE, "company": "Analytical Engines Ltd"},
                request_only=True,
            ),
        ],
    )
    def put(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartBillingAddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return cart_response(
            request,
            cart_billing_address_set(
                cart=cart,
                data=data,
                address_id=data.get("address_id"),
                same_as_shipping=data["same_as_shipping"],
            ),
        )


class CartShippingMethodListApi(CartApiView):
    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            200: s.ShippingMethodQuoteOutputSerializer(many=True),
            **problem_responses(401, 404, 410),
        },
        summary="Checkout step: the shipping methods offered for this cart and address",
        description="Empty until the shipping address is given.",
        tags=["checkout"],
    )
    def get(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        priced = cart_lines_priced(cart=cart)
        quotes = shipping_methods_available(
            country=(cart.shipping_address or {}).get("country"),
            subtotal=priced.subtotal,
            item_count=priced.item_count,
            weight_grams=priced.weight_grams,
        )
        return Response(s.ShippingMethodQuoteOutputSerializer(quotes, many=True).data)


class CartShippingMethodApi(CartApiView):
    @extend_schema(
        request=s.CartShippingMethodInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Checkout step: choose one of the offered shipping methods",
        tags=["checkout"],
        examples=[
            OpenApiExample(
                "Standard shipping", value={"shipping_method": 1}, request_only=True
            )
        ],
    )
    def put(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartShippingMethodInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return cart_response(
            request,
            cart_shipping_method_set(
                cart=cart, method_id=serializer.validated_data["shipping_method"]
            ),
        )


class CartVoucherApi(CartApiView):
    throttle_scope = "voucher"

    def get_throttles(self) -> list[Any]:
        if self.request.method == "POST":
            return [AddressRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=s.CartVoucherInputSerializer,
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            200: s.CartOutputSerializer,
            **problem_responses(400, 401, 404, 410),
        },
        summary="Checkout step: apply a voucher code (replaces the one applied)",
        description="Codes are not case-sensitive. A code that is unknown, "
        "inactive, outside its dates or used up gets the same 400 on `code`. "
        "The cart then shows the voucher and its `discount`; when the voucher "
        "does not suit the cart (minimum order value, items, the buyer's own "
        "uses), `problems.voucher` says why and the discount is 0. Attempts are "
        "limited per client address (THROTTLE_RATE_VOUCHER).",
        tags=["checkout"],
        examples=[
            OpenApiExample("A code", value={"code": "WELCOME10"}, request_only=True)
        ],
    )
    def post(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        serializer = s.CartVoucherInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return cart_response(
            request,
            cart_voucher_apply(cart=cart, code=serializer.validated_data["code"]),
        )

    @extend_schema(
        parameters=[CART_TOKEN_PARAMETER],
        responses=CART_RESPONSES,
        summary="Checkout step: remove the voucher",
        tags=["checkout"],
    )
    def delete(self, request: Request, token: uuid.UUID | None = None) -> Response:
        cart = request_cart(request, token)
        return cart_response(request, cart_voucher_remove(cart=cart))


class CartMergeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.CartMergeInputSerializer,
        responses=CART_RESPONSES,
        summary="Merge a guest cart into the caller's cart",
        description="Same lines with the same choices add up, limited by stock. "
        "Logins and registrations that send X-Cart-Token merge it by themselves.",
        tags=["cart"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CartMergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = _customer(request)
        assert customer is not None  # noqa: S101 - IsAuthenticated ran
        guest = cart_by_token(
            token=serializer.validated_data["token"], customer=customer
        )
        cart = (
            cart_merge(guest=guest, customer=customer)
            if guest.customer_id is None
            else cart_of_customer(customer)
        )
        return cart_response(request, cart)
