"""The /api/orders routes.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.orders.api import views as orders

urlpatterns: list[URLPattern] = [
    path("orders", orders.OrderCollectionApi.as_view(), name="order-list"),
    path("orders/<int:order_id>", orders.OrderDetailApi.as_view(), name="order-detail"),
]
