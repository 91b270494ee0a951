"""Suggestions while a shopper types: the query and the items proposed."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.catalogue.api.serializers.images import (
    RenditionOutputSerializer,
    rendition_body,
)
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.selectors.search import CatalogueSuggestion
from commerce.money import shop_currency

SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 100

# OUTPUT


class CatalogueSuggestionOutputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[ProductPage.kind, PackagePage.kind])
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.SerializerMethodField(help_text="ISO 4217 code of price.")
    thumbnail = serializers.SerializerMethodField(
        help_text="The first gallery image (fill-400x300), or null without one."
    )

    def get_currency(self, suggestion: CatalogueSuggestion) -> str:
        return shop_currency()

    @extend_schema_field(RenditionOutputSerializer(allow_null=True))
    def get_thumbnail(self, suggestion: CatalogueSuggestion) -> dict[str, Any] | None:
        if suggestion.thumbnail is None:
            return None
        return rendition_body(self.context.get("request"), suggestion.thumbnail)


class CatalogueSuggestOutputSerializer(serializers.Serializer[Any]):
    results = CatalogueSuggestionOutputSerializer(many=True)


# INPUT


class CatalogueSuggestInputSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        min_length=SUGGEST_MIN_LENGTH,
        max_length=SUGGEST_MAX_LENGTH,
        help_text=(
            "What the shopper typed so far: words that start words of the names "
            "(typos tolerated on PostgreSQL)."
        ),
    )
