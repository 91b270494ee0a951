from django.urls import path

from commerce.api import views

app_name = "commerce"

urlpatterns = [
    path("users/register", views.UserRegisterApi.as_view(), name="user-register"),
    path("users/login", views.UserLoginApi.as_view(), name="user-login"),
    path("users/token/refresh", views.TokenRefreshApi.as_view(), name="token-refresh"),
    path("users/logout", views.UserLogoutApi.as_view(), name="user-logout"),
    path("users/profile", views.UserProfileApi.as_view(), name="user-profile"),
    path("users", views.UserListApi.as_view(), name="user-list"),
    path("users/<int:user_id>", views.UserDetailApi.as_view(), name="user-detail"),
]
