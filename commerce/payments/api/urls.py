"""The payment routes: paying, refunding and the gateway list.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.payments.api import views as payments

urlpatterns: list[URLPattern] = [
    path("orders/<int:order_id>/pay", payments.OrderPayApi.as_view(), name="order-pay"),
    path(
        "orders/<uuid:token>/pay",
        payments.OrderTokenPayApi.as_view(),
        name="order-token-pay",
    ),
    path(
        "orders/<int:order_id>/refund",
        payments.OrderRefundApi.as_view(),
        name="order-refund",
    ),
    path(
        "payments/gateways",
        payments.PaymentGatewayListApi.as_view(),
        name="payment-gateway-list",
    ),
]
