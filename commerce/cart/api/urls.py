"""The /api/cart routes (login or X-Cart-Token) and their /api/carts/{token} twins.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.cart.api import views as cart

# (path after the cart, view, name) of every route a cart has.
CART_ROUTES = [
    ("", cart.CartApi, "cart-detail"),
    ("/items", cart.CartLineAddApi, "cart-line-add"),
    ("/items/<int:line_id>", cart.CartLineDetailApi, "cart-line-detail"),
    ("/email", cart.CartEmailApi, "cart-email"),
    ("/shipping-address", cart.CartShippingAddressApi, "cart-shipping-address"),
    ("/billing-address", cart.CartBillingAddressApi, "cart-billing-address"),
    ("/shipping-methods", cart.CartShippingMethodListApi, "cart-shipping-methods"),
    ("/shipping-method", cart.CartShippingMethodApi, "cart-shipping-method"),
    ("/voucher", cart.CartVoucherApi, "cart-voucher"),
]

urlpatterns: list[URLPattern] = [
    *(
        path(f"cart{rest}", view.as_view(), name=name)
        for rest, view, name in CART_ROUTES
    ),
    *(
        path(f"carts/<uuid:token>{rest}", view.as_view(), name=f"token-{name}")
        for rest, view, name in CART_ROUTES
    ),
    path("cart/merge", cart.CartMergeApi.as_view(), name="cart-merge"),
]
