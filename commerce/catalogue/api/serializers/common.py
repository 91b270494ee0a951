"""What the catalogue serializers share: prices, the read parameters, preview links."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from commerce.catalogue.selectors.cursors import SORTS
from customization.enums import CustomizationKind

PRICE: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "min_value": Decimal("0"),
}


# OUTPUT


class PreviewTokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    url = serializers.URLField()
    expires_in = serializers.IntegerField()


# INPUT


LIVE_VERSION = "live"
DRAFT_VERSION = "draft"


class CatalogueVersionSerializer(serializers.Serializer[Any]):
    version = serializers.ChoiceField(
        choices=[LIVE_VERSION, DRAFT_VERSION], required=False, default=LIVE_VERSION
    )


# Comma-separated slugs of brands or materials, as the list filters take them.
SLUG_LIST = r"^[-\w]+(,[-\w]+)*$"
SLUG_LIST_HELP = (
    "Comma-separated {attribute} slugs: items of any of them. Packages match through "
    "their products. An unknown slug matches nothing."
)
SLUG_LIST_INVALID = "Give comma-separated slugs, for example {example}."


class CatalogueListFilterSerializer(serializers.Serializer[Any]):
    category = serializers.RegexField(
        r"^[-\w]+$",
        required=False,
        max_length=255,
        help_text="A category id or slug; subcategories included.",
        error_messages={
            "invalid": "Give a category id or slug, for example 12 or summer-dresses."
        },
    )
    price_min = serializers.DecimalField(required=False, **PRICE)
    price_max = serializers.DecimalField(required=False, **PRICE)
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    on_sale = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: items on sale now (a running offer, or a compare-at price "
        "above the price); false: the others.",
    )
    tags = serializers.CharField(
        required=False,
        max_length=500,
        help_text="Comma-separated tag slugs (any of them).",
    )
    customization_kind = serializers.ChoiceField(
        choices=CustomizationKind.choices, required=False
    )
    brand = serializers.RegexField(
        SLUG_LIST,
        required=False,
        max_length=500,
        help_text=SLUG_LIST_HELP.format(attribute="brand"),
        error_messages={"invalid": SLUG_LIST_INVALID.format(example="acme,northwind")},
    )
    material = serializers.RegexField(
        SLUG_LIST,
        required=False,
        max_length=500,
        help_text=SLUG_LIST_HELP.format(attribute="material"),
        error_messages={"invalid": SLUG_LIST_INVALID.format(example="linen,oak")},
    )
    search = serializers.CharField(required=False, max_length=200)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"price_max": ["Must not be below price_min."]}
            )
        for name in ("brand", "material"):
            if name in attrs:
                attrs[name] = [slug for slug in attrs[name].split(",") if slug]
        if "tags" in attrs:
            attrs["tags"] = [
                tag.strip() for tag in attrs["tags"].split(",") if tag.strip()
            ]
        return attrs
