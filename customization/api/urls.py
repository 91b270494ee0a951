from django.urls import path

from customization.api import views

app_name = "customization"

urlpatterns = [
    path(
        "customizations",
        views.CustomizationCollectionApi.as_view(),
        name="customization-list",
    ),
    path(
        "customizations/<int:customization_id>",
        views.CustomizationDetailApi.as_view(),
        name="customization-detail",
    ),
    path("uploads", views.UploadCreateApi.as_view(), name="upload-create"),
    path(
        "uploads/<uuid:upload_id>",
        views.UploadDetailApi.as_view(),
        name="upload-detail",
    ),
    path(
        "uploads/<uuid:upload_id>/file",
        views.UploadFileApi.as_view(),
        name="upload-file",
    ),
]
