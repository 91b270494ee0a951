from django.urls import path

from notify.api import views

app_name = "notify"

urlpatterns = [
    path(
        "notifications",
        views.NotificationCollectionApi.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/read-all",
        views.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/devices",
        views.DeviceApi.as_view(),
        name="notification-devices",
    ),
    path(
        "notifications/preferences",
        views.PreferenceApi.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/<int:notification_id>/read",
        views.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
