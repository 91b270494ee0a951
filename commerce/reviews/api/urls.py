"""The review routes: under products and packages, and for staff under /api/admin.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.reviews.api import views as reviews

urlpatterns: list[URLPattern] = [
    path(
        "products/<str:lookup>/reviews",
        reviews.ProductReviewsApi.as_view(),
        name="product-reviews",
    ),
    path(
        "packages/<str:lookup>/reviews",
        reviews.PackageReviewsApi.as_view(),
        name="package-reviews",
    ),
    path("admin/reviews", reviews.ReviewStaffListApi.as_view(), name="review-list"),
    path(
        "admin/reviews/<int:review_id>/hide",
        reviews.ReviewHideApi.as_view(),
        name="review-hide",
    ),
    path(
        "admin/reviews/<int:review_id>/publish",
        reviews.ReviewPublishApi.as_view(),
        name="review-publish",
    ),
]
