"""A user's favourites as the API shows them, and their input."""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from commerce.catalogue.api.serializers.sellables import (
    PackageOutputSerializer,
    ProductOutputSerializer,
    output_serializer_for,
)
from commerce.catalogue.models import SELLABLE_MODELS
from config.fields import IdField

# OUTPUT


class FavouriteOutputSerializer(serializers.Serializer[Any]):
    """``(favourite, item)`` pairs: the kind, when it was kept, the item as listed."""

    kind = serializers.ChoiceField(choices=list(SELLABLE_MODELS))
    created_at = serializers.DateTimeField()
    item = serializers.SerializerMethodField(
        help_text="The product or package as GET /api/products or /api/packages "
        "shows it (is_favourite true)."
    )

    def to_representation(self, pair: Any) -> dict[str, Any]:
        favourite, item = pair
        output = output_serializer_for(item)(item, context=self.context)
        return {
            "kind": item.kind,
            "created_at": serializers.DateTimeField().to_representation(
                favourite.created_at
            ),
            "item": output.data,
        }

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="FavouriteItem",
            serializers=[ProductOutputSerializer, PackageOutputSerializer],
            resource_type_field_name=None,
        )
    )
    def get_item(self, pair: Any) -> dict[str, Any]:  # pragma: no cover - schema only
        return {}


# INPUT


class FavouriteAddInputSerializer(serializers.Serializer[Any]):
    product = IdField(required=False, help_text="A product id.")
    package = IdField(required=False, help_text="A package id.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            message = "Give either product or package (one id)."
            raise serializers.ValidationError(
                {name: [message] for name in SELLABLE_MODELS}
            )
        return attrs
