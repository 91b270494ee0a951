"""The /api/users routes: accounts, logins and tokens.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path, re_path

from commerce.accounts.api.views import addresses, social
from commerce.accounts.api.views import users as views

urlpatterns: list[URLPattern] = [
    path(
        "users/addresses",
        addresses.AddressCollectionApi.as_view(),
        name="address-list",
    ),
    path(
        "users/addresses/<int:address_id>",
        addresses.AddressDetailApi.as_view(),
        name="address-detail",
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
]
