from typing import Any

from rest_framework import serializers

from commerce.cart.models import MAX_LINE_QUANTITY
from commerce.catalogue.api.serializers.line_images import choices_body, thumbnail_body
from commerce.catalogue.selectors.line_images import LineImages
from config.fields import IdField


class ChoiceInputSerializer(serializers.Serializer[Any]):
    customization = IdField()
    value = serializers.JSONField(
        help_text="Option id (button, colour, image), the text (text) or an upload id (upload)."
    )


# The kinds of item a line holds; a line input names exactly one of them.
ITEM_KINDS = ("product", "package")


# The one line input of the API: a cart line, and a line of an order placed with
# explicit lines (orders subclass it under its own schema name).
class CartLineAddInputSerializer(serializers.Serializer[Any]):
    product = IdField(required=False)
    package = IdField(required=False)
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_LINE_QUANTITY, default=1
    )
    customizations = ChoiceInputSerializer(many=True, required=False, max_length=50)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if sum(kind in attrs for kind in ITEM_KINDS) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one of product or package."]}
            )
        return attrs


def line_item(line: dict[str, Any]) -> tuple[str, int]:
    """The kind and id of the one item a validated line input names."""
    kind = next(kind for kind in ITEM_KINDS if kind in line)
    return kind, line[kind]


class CartLineUpdateInputSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


class CartLineOutputSerializer(serializers.Serializer[Any]):
    def to_representation(self, view: Any) -> dict[str, Any]:
        request = self.context.get("request")
        images = self.context.get("images") or LineImages()
        item = view.item
        return {
            "id": view.line.pk,
            "kind": view.kind,
            "item": {
                "id": item.pk if item else None,
                "name": item.title if item else None,
                "slug": item.slug if item else None,
                "sku": item.sku if item else None,
                "price": str(item.price) if item else None,
            },
            "quantity": view.line.quantity,
            "customizations": choices_body(view.choices, images, request),
            "thumbnail": thumbnail_body(view.thumbnail, request),
            "price_delta": str(view.price_delta),
            "unit_price": str(view.unit_price),
            "line_total": str(view.line_total),
            "available_quantity": view.available_quantity,
            "in_stock": view.available_quantity >= view.line.quantity,
            "problem": view.problem or None,
        }


class CartOutputSerializer(serializers.Serializer[Any]):
    def to_representation(self, cart: Any) -> dict[str, Any]:
        line_serializer = CartLineOutputSerializer(
            context={**self.context, "images": cart.images}
        )
        return {
            "lines": [line_serializer.to_representation(view) for view in cart.lines],
            "subtotal": str(cart.subtotal),
            "item_count": cart.item_count,
        }
