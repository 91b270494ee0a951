from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.fields import IdField
from config.images import rendition_or_none
from customization.enums import AttachmentRequirement, CustomizationKind
from customization.models import CustomerUpload, Customization


def shop_currency() -> str:
    """The shop's ISO 4217 code (``SHOP_CURRENCY``; this app does not import commerce)."""
    return str(settings.SHOP_CURRENCY)


def option_representation(block: Any, request: Any) -> dict[str, Any]:
    """One option of a customization as the API shows it."""
    value = block.value
    data: dict[str, Any] = {
        "id": str(block.id),
        "type": block.block_type,
        "label": value["label"],
        "price_delta": str(value["price_delta"] or "0.00"),
        "currency": shop_currency(),
    }
    if block.block_type in ("button", "color"):
        data["value"] = value["value"]
    elif block.block_type == "image":
        image = value["image"]
        rendition = None if image is None else rendition_or_none(image, "fill-200x200")
        if rendition is not None:
            url = rendition.url
            data["image"] = {
                "id": image.pk,
                "url": request.build_absolute_uri(url) if request is not None else url,
            }
        else:
            data["image"] = None
    elif block.block_type == "text":
        data["max_length"] = value["max_length"]
        data["placeholder"] = value["placeholder"]
    elif block.block_type == "upload":
        data.update(
            allowed_formats=list(value["allowed_formats"] or []),
            max_size_kb=value["max_size_kb"],
            max_width=value["max_width"],
            max_height=value["max_height"],
        )
    return data


class OptionImageOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    url = serializers.URLField()


class CustomizationOptionOutputSerializer(serializers.Serializer[Any]):
    """One option of a customization; the fields after ``currency`` depend on its type."""

    id = serializers.CharField()
    type = serializers.ChoiceField(choices=CustomizationKind.choices)
    label = serializers.CharField()
    price_delta = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Added to the item's price when chosen (may be negative).",
    )
    currency = serializers.CharField(help_text="ISO 4217 code of price_delta.")
    value = serializers.CharField(
        required=False, help_text="button and color options: the value chosen."
    )
    image = OptionImageOutputSerializer(
        required=False, allow_null=True, help_text="image options."
    )
    max_length = serializers.IntegerField(required=False, help_text="text options.")
    placeholder = serializers.CharField(required=False, help_text="text options.")
    allowed_formats = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="upload options."
    )
    max_size_kb = serializers.IntegerField(
        required=False, allow_null=True, help_text="upload options."
    )
    max_width = serializers.IntegerField(
        required=False, allow_null=True, help_text="upload options."
    )
    max_height = serializers.IntegerField(
        required=False, allow_null=True, help_text="upload options."
    )


class CustomizationOutputSerializer(serializers.ModelSerializer[Customization]):
    options = serializers.SerializerMethodField()

    class Meta:
        model = Customization
        fields = [
            "id",
            "name",
            "kind",
            "help_text",
            "is_required",
            "needs_approval",
            "live",
            "has_unpublished_changes",
            "options",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CustomizationOptionOutputSerializer(many=True))
    def get_options(self, customization: Customization) -> list[dict[str, Any]]:
        request = self.context.get("request")
        return [
            option_representation(block, request) for block in customization.options
        ]


class AttachedCustomizationOutputSerializer(CustomizationOutputSerializer):
    """A customization as one product or package offers it."""

    label = serializers.CharField(
        help_text="The name shown on this item: the attachment's label, else the "
        "customization's name."
    )
    position = serializers.IntegerField()

    class Meta(CustomizationOutputSerializer.Meta):
        fields = [*CustomizationOutputSerializer.Meta.fields, "label", "position"]
        read_only_fields = fields

    def to_representation(self, attached: Any) -> dict[str, Any]:
        data = CustomizationOutputSerializer(
            attached.customization, context=self.context
        ).data
        return {
            **data,
            "label": attached.label,
            "is_required": attached.is_required,
            "position": attached.position,
        }


class CustomizationInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=CustomizationKind.choices)
    help_text = serializers.CharField(max_length=255, required=False, allow_blank=True)
    is_required = serializers.BooleanField(required=False)
    needs_approval = serializers.BooleanField(required=False)
    options = serializers.ListField(
        child=serializers.DictField(),
        max_length=200,
        help_text=(
            'StreamField blocks: [{"type": "button", "value": {"label": "Red", '
            '"value": "red", "price_delta": "1.50"}}, ...]; the type must match kind.'
        ),
    )
    publish = serializers.BooleanField(default=True)


class CustomizationListFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CustomizationKind.choices, required=False)
    product = IdField(required=False)
    package = IdField(required=False)


class AttachInputSerializer(serializers.Serializer[Any]):
    customization = IdField()
    requirement = serializers.ChoiceField(
        choices=AttachmentRequirement.choices, default=AttachmentRequirement.DEFAULT
    )
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    publish = serializers.BooleanField(default=True)


class UploadInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(allow_empty_file=False, max_length=255)


class UploadOutputSerializer(serializers.ModelSerializer[CustomerUpload]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CustomerUpload
        fields = [
            "id",
            "format",
            "width",
            "height",
            "size",
            "created_at",
            "expires_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, upload: CustomerUpload) -> str:
        request = self.context.get("request")
        path = f"/api/uploads/{upload.pk}/file"
        return request.build_absolute_uri(path) if request is not None else path
