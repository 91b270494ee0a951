"""The /api/cart routes.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.cart.api import views as cart

urlpatterns: list[URLPattern] = [
    path("cart", cart.CartApi.as_view(), name="cart-detail"),
    path("cart/items", cart.CartLineAddApi.as_view(), name="cart-line-add"),
    path(
        "cart/items/<int:line_id>",
        cart.CartLineDetailApi.as_view(),
        name="cart-line-detail",
    ),
]
