"""Reads of brands and materials, the catalogue attributes products are filtered by."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

from commerce.catalogue.models import BRAND_LOGO_RENDITION, Brand, Material


def brand_logo_prefetch(lookup: str = "logo") -> Prefetch[Any]:
    """Brands' logos with their rendition, in two queries for any number of brands."""
    images = get_image_model().objects.prefetch_renditions(BRAND_LOGO_RENDITION)
    return Prefetch(lookup, queryset=images)


def brand_list() -> QuerySet[Brand]:
    """Every brand by name, with its logo's rendition loaded."""
    return Brand.objects.order_by("name", "pk").prefetch_related(brand_logo_prefetch())


def material_list() -> QuerySet[Material]:
    return Material.objects.order_by("name", "pk")
