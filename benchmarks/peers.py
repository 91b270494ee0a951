"""Peers of GET /api/products for `make bench`, served by the same gunicorn.

The WSGI app is the project's own (every route, middleware and setting) plus one
route, ``/peer/drf/products``: the product list as a team would write it in a day
with DRF — a ``ModelSerializer`` and a ``ListAPIView`` over the same tables, with
``select_related``/``prefetch_related``, numbered pages of 20 with a count, the
original image URLs (no renditions), no response cache. The other peer, Wagtail
API v2's page listing (``/api/v2/pages/?type=commerce.ProductPage&fields=*``), is
already among the project's routes.
"""

import os
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Imported once Django is set up: models and DRF read the settings.
from django.conf import settings  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.urls import URLPattern, URLResolver, path  # noqa: E402
from rest_framework import generics, serializers  # noqa: E402
from rest_framework.permissions import AllowAny  # noqa: E402

from commerce.catalogue.models import ProductPage  # noqa: E402
from config import urls as project_urls  # noqa: E402

DRF_PEER_PATH = "/peer/drf/products"
WAGTAIL_PEER_PATH = "/api/v2/pages/?type=commerce.ProductPage&fields=*&limit=20"


class PeerProductSerializer(serializers.ModelSerializer[ProductPage]):
    stock = serializers.IntegerField(source="stock.quantity", default=0)
    tags = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()

    class Meta:
        model = ProductPage
        fields = [
            "id",
            "title",
            "slug",
            "sku",
            "description",
            "price",
            "compare_at_price",
            "is_available",
            "first_published_at",
            "stock",
            "tags",
            "images",
        ]

    def get_tags(self, product: ProductPage) -> list[str]:
        return [tag.name for tag in product.tags.all()]

    def get_images(self, product: ProductPage) -> list[str]:
        request = self.context["request"]
        return [
            request.build_absolute_uri(picture.image.file.url)
            for picture in product.gallery_images.all()
        ]


class PeerProductListApi(generics.ListAPIView[ProductPage]):
    serializer_class = PeerProductSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[ProductPage]:
        return (
            ProductPage.objects.live()
            .filter(is_active=True)
            .select_related("stock")
            .prefetch_related("tags", "gallery_images__image")
            .order_by("-first_published_at", "-pk")
        )


urlpatterns: list[Any | URLPattern | URLResolver] = [
    path(DRF_PEER_PATH.lstrip("/"), PeerProductListApi.as_view()),
    *project_urls.urlpatterns,
]
settings.ROOT_URLCONF = __name__
