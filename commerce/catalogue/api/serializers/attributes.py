"""Brands and materials as the API shows them (on products and in their own lists)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.catalogue.api.serializers.images import (
    RenditionOutputSerializer,
    rendition_body,
)
from commerce.catalogue.models import BRAND_LOGO_RENDITION, Brand, Material
from config.images import rendition_or_none

# OUTPUT


def brand_logo_body(request: Any, brand: Brand) -> dict[str, Any] | None:
    """The logo's rendition ``{url, width, height}``; None without a readable logo."""
    if brand.logo is None:
        return None
    rendition = rendition_or_none(brand.logo, BRAND_LOGO_RENDITION)
    return rendition_body(request, rendition) if rendition is not None else None


class BrandOutputSerializer(serializers.Serializer[Brand]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    logo = serializers.SerializerMethodField(
        help_text=f"The logo ({BRAND_LOGO_RENDITION}); null without one or when its "
        "file is missing."
    )

    @extend_schema_field(RenditionOutputSerializer(allow_null=True))
    def get_logo(self, brand: Brand) -> dict[str, Any] | None:
        return brand_logo_body(self.context.get("request"), brand)


class MaterialOutputSerializer(serializers.Serializer[Material]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
