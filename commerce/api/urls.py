from django.urls import path, re_path

from commerce.accounts.api.views import social
from commerce.accounts.api.views import users as views
from commerce.cart.api import views as cart
from commerce.catalogue.api.views import (
    categories,
    customizations,
    images,
    sellables,
)
from commerce.orders.api import views as orders
from commerce.payments.api import views as payments
from commerce.reports.api import views as admin

app_name = "commerce"

urlpatterns = [
    path("admin/reports/sales", admin.ReportSalesApi.as_view(), name="report-sales"),
    path(
        "admin/reports/top-items",
        admin.ReportTopItemsApi.as_view(),
        name="report-top-items",
    ),
    path(
        "admin/reports/low-stock",
        admin.ReportLowStockApi.as_view(),
        name="report-low-stock",
    ),
    path(
        "admin/reports/orders-by-status",
        admin.ReportOrdersByStatusApi.as_view(),
        name="report-orders-by-status",
    ),
    path(
        "admin/reports/new-customers",
        admin.ReportNewCustomersApi.as_view(),
        name="report-new-customers",
    ),
    path(
        "admin/reports/order-value",
        admin.ReportOrderValueApi.as_view(),
        name="report-order-value",
    ),
    path("admin/logs", admin.LogListApi.as_view(), name="log-list"),
    path(
        "admin/exports/jobs/<uuid:job_id>",
        admin.ExportJobDetailApi.as_view(),
        name="export-job-detail",
    ),
    path(
        "admin/exports/jobs/<uuid:job_id>/file",
        admin.ExportJobFileApi.as_view(),
        name="export-job-file",
    ),
    path("admin/exports/<str:kind>", admin.ExportApi.as_view(), name="export"),
    path("orders", orders.OrderCollectionApi.as_view(), name="order-list"),
    path("orders/<int:order_id>", orders.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<int:order_id>/pay", payments.OrderPayApi.as_view(), name="order-pay"),
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
    path("cart", cart.CartApi.as_view(), name="cart-detail"),
    path("cart/items", cart.CartLineAddApi.as_view(), name="cart-line-add"),
    path(
        "cart/items/<int:line_id>",
        cart.CartLineDetailApi.as_view(),
        name="cart-line-detail",
    ),
    path("users/register", views.UserRegisterApi.as_view(), name="user-register"),
    path("users/login", views.UserLoginApi.as_view(), name="user-login"),
    path(
        "users/login/methods",
        social.LoginMethodListApi.as_view(),
        name="login-method-list",
    ),
    path(
        "users/login/firebase", social.FirebaseLoginApi.as_view(), name="firebase-login"
    ),
    path(
        "users/login/code",
        social.LoginCodeExchangeApi.as_view(),
        name="login-code-exchange",
    ),
    re_path(
        r"^users/login/(?P<provider>google|facebook)$",
        social.SocialLoginApi.as_view(),
        name="social-login",
    ),
    re_path(
        r"^users/login/(?P<provider>google|facebook)/callback$",
        social.SocialLoginCallbackApi.as_view(),
        name="social-login-callback",
    ),
    path("users/token/refresh", views.TokenRefreshApi.as_view(), name="token-refresh"),
    path("users/logout", views.UserLogoutApi.as_view(), name="user-logout"),
    path("users/profile", views.UserProfileApi.as_view(), name="user-profile"),
    path(
        "users/password/reset",
        views.PasswordResetApi.as_view(),
        name="password-reset",
    ),
    path(
        "users/password/reset/confirm",
        views.PasswordResetConfirmApi.as_view(),
        name="password-reset-confirm",
    ),
    path("users/email/change", views.EmailChangeApi.as_view(), name="email-change"),
    path(
        "users/email/change/confirm",
        views.EmailChangeConfirmApi.as_view(),
        name="email-change-confirm",
    ),
    path("users", views.UserListApi.as_view(), name="user-list"),
    path("users/<int:user_id>", views.UserDetailApi.as_view(), name="user-detail"),
    path("products", sellables.ProductCollectionApi.as_view(), name="product-list"),
    path(
        "products/<str:lookup>",
        sellables.ProductDetailApi.as_view(),
        name="product-detail",
    ),
    path(
        "products/<str:lookup>/preview",
        images.PreviewTokenCreateApi.as_view(),
        name="product-preview",
    ),
    path("packages", sellables.PackageCollectionApi.as_view(), name="package-list"),
    path(
        "packages/<str:lookup>",
        sellables.PackageDetailApi.as_view(),
        name="package-detail",
    ),
    path(
        "packages/<str:lookup>/preview",
        images.PackagePreviewTokenCreateApi.as_view(),
        name="package-preview",
    ),
    path(
        "products/<str:lookup>/customizations",
        customizations.ItemCustomizationsApi.as_view(),
        name="product-customizations",
    ),
    path(
        "products/<str:lookup>/customizations/<int:customization_id>",
        customizations.ItemCustomizationDetachApi.as_view(),
        name="product-customization-detach",
    ),
    path(
        "packages/<str:lookup>/customizations",
        customizations.PackageCustomizationsApi.as_view(),
        name="package-customizations",
    ),
    path(
        "packages/<str:lookup>/customizations/<int:customization_id>",
        customizations.PackageCustomizationDetachApi.as_view(),
        name="package-customization-detach",
    ),
    path("images", images.CatalogueImageCreateApi.as_view(), name="image-create"),
    path(
        "categories", categories.CategoryCollectionApi.as_view(), name="category-list"
    ),
    path(
        "categories/<str:lookup>",
        categories.CategoryDetailApi.as_view(),
        name="category-detail",
    ),
    path(
        "preview/<str:token>",
        images.PreviewDetailApi.as_view(),
        name="preview-detail",
    ),
]
