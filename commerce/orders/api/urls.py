"""The /api/orders routes.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.orders.api import views as orders

urlpatterns: list[URLPattern] = [
    path("orders", orders.OrderCollectionApi.as_view(), name="order-list"),
    path("orders/<int:order_id>", orders.OrderDetailApi.as_view(), name="order-detail"),
    path(
        "orders/<uuid:token>",
        orders.OrderTokenDetailApi.as_view(),
        name="order-token-detail",
    ),
    path(
        "checkout/complete",
        orders.CheckoutCompleteApi.as_view(),
        name="checkout-complete",
    ),
    path(
        "carts/<uuid:token>/complete",
        orders.CheckoutCompleteApi.as_view(),
        name="token-checkout-complete",
    ),
]
