"""The return routes: a customer's /api/orders/{id}/returns and staff /api/admin/returns.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.returns.api import views as returns

urlpatterns: list[URLPattern] = [
    path(
        "orders/<int:order_id>/returns",
        returns.OrderReturnCollectionApi.as_view(),
        name="order-return-list",
    ),
    path("admin/returns", returns.ReturnListApi.as_view(), name="return-list"),
    path(
        "admin/returns/<int:return_id>/approve",
        returns.ReturnApproveApi.as_view(),
        name="return-approve",
    ),
    path(
        "admin/returns/<int:return_id>/reject",
        returns.ReturnRejectApi.as_view(),
        name="return-reject",
    ),
    path(
        "admin/returns/<int:return_id>/receive",
        returns.ReturnReceiveApi.as_view(),
        name="return-receive",
    ),
]
