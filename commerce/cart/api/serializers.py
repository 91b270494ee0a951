from decimal import Decimal
from typing import Any

from rest_framework import serializers

from commerce.accounts.api.serializers.addresses import AddressValuesInputSerializer
from commerce.cart.models import MAX_LINE_QUANTITY
from commerce.cart.services import guest_cart_expiry
from commerce.catalogue.api.serializers.line_images import (
    LineThumbnailOutputSerializer,
    choices_body,
    thumbnail_body,
)
from commerce.catalogue.api.serializers.sellables import (
    OfferSummaryOutputSerializer,
    offer_summary,
)
from commerce.catalogue.selectors.line_images import LineImages
from commerce.money import shop_currency
from commerce.vouchers.enums import VoucherKind
from config.fields import IdField

ZERO = Decimal("0.00")


def money_field(**kwargs: Any) -> serializers.DecimalField:
    """An amount: a Decimal string, with the ``currency`` beside it."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


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


class CartItemOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    slug = serializers.CharField(allow_null=True)
    sku = serializers.CharField(allow_null=True)
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="The price now, offers included.",
    )
    compare_at_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="The regular price while an offer applies, else the compare-at price.",
    )
    offer = OfferSummaryOutputSerializer(allow_null=True)
    currency = serializers.CharField()


class CartLineOutputSerializer(serializers.Serializer[Any]):
    """A line at today's prices; ``price_changed_from`` when that changed since shown."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ITEM_KINDS)
    item = CartItemOutputSerializer()
    quantity = serializers.IntegerField()
    customizations = serializers.ListField(child=serializers.DictField())
    thumbnail = LineThumbnailOutputSerializer(allow_null=True)
    price_delta = money_field()
    unit_price = money_field()
    price_changed_from = money_field(
        allow_null=True,
        help_text="The unit price shown before, when it changed since; shown once.",
    )
    line_total = money_field()
    discount = money_field(
        help_text="The line's share of the voucher's discount (before tax)."
    )
    tax_rate = money_field(help_text="Percent.")
    net = money_field(help_text="After the discount.")
    tax = money_field()
    gross = money_field(help_text="After the discount.")
    currency = serializers.CharField()
    available_quantity = serializers.IntegerField()
    in_stock = serializers.BooleanField()
    problem = serializers.CharField(allow_null=True)

    def to_representation(self, view: Any) -> dict[str, Any]:
        request = self.context.get("request")
        images = self.context.get("images") or LineImages()
        currency = shop_currency()
        item = view.item
        taxed = view.tax
        changed = view.price_changed_from
        pricing = view.pricing
        compare_at = pricing.compare_at_price if pricing else None
        return {
            "id": view.line.pk,
            "kind": view.kind,
            "item": {
                "id": item.pk if item else None,
                "name": item.title if item else None,
                "slug": item.slug if item else None,
                "sku": item.sku if item else None,
                "price": str(pricing.price) if pricing else None,
                "compare_at_price": None if compare_at is None else str(compare_at),
                "offer": offer_summary(pricing),
                "currency": currency,
            },
            "quantity": view.line.quantity,
            "customizations": choices_body(
                view.choices, images, request, currency=currency
            ),
            "thumbnail": thumbnail_body(view.thumbnail, request),
            "price_delta": str(view.price_delta),
            "unit_price": str(view.unit_price),
            "price_changed_from": None if changed is None else str(changed),
            "line_total": str(view.line_total),
            "discount": str(view.discount),
            "tax_rate": str(taxed.rate if taxed else ZERO),
            "net": str(taxed.net if taxed else ZERO),
            "tax": str(taxed.tax if taxed else ZERO),
            "gross": str(taxed.gross if taxed else ZERO),
            "currency": currency,
            "available_quantity": view.available_quantity,
            "in_stock": view.available_quantity >= view.line.quantity,
            "problem": view.problem or None,
        }


class CheckoutAddressSerializer(serializers.Serializer[Any]):
    """An address as a cart or an order keeps it (validated for its country)."""

    name = serializers.CharField()
    company = serializers.CharField(allow_blank=True)
    street_address_1 = serializers.CharField()
    street_address_2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField()
    postal_code = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    phone = serializers.CharField(allow_blank=True, help_text="E.164.")


class ShippingMethodQuoteOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="method_id")
    name = serializers.CharField()
    description = serializers.CharField()
    price = money_field(help_text="For this cart: 0 above the method's free limit.")
    currency = serializers.SerializerMethodField()

    def get_currency(self, quote: Any) -> str:
        return shop_currency()


class CartVoucherOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=VoucherKind.choices)
    value = money_field(
        help_text="Percent off, or the amount off; 0 for free shipping."
    )
    min_order_value = money_field(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)


class CartOutputSerializer(serializers.Serializer[Any]):
    """The cart with the checkout's answers and its totals, recalculated."""

    token = serializers.UUIDField(
        help_text="A guest's key to the cart: send it as X-Cart-Token."
    )
    customer = serializers.IntegerField(allow_null=True)
    email = serializers.EmailField(allow_blank=True)
    lines = CartLineOutputSerializer(many=True)
    item_count = serializers.IntegerField()
    weight_grams = serializers.IntegerField(allow_null=True)
    shipping_address = CheckoutAddressSerializer(allow_null=True)
    billing_same_as_shipping = serializers.BooleanField()
    billing_address = CheckoutAddressSerializer(allow_null=True)
    shipping_method = ShippingMethodQuoteOutputSerializer(allow_null=True)
    subtotal = money_field()
    shipping = money_field()
    tax = money_field(
        help_text="Tax on the lines and the shipping, after the discount."
    )
    voucher = CartVoucherOutputSerializer(
        allow_null=True,
        help_text="The voucher applied; when it does not apply now, "
        "`problems.voucher` says why and the discount is 0.",
    )
    discount = money_field(
        help_text="What the voucher takes off the lines and the shipping."
    )
    total = money_field()
    currency = serializers.CharField(help_text="ISO 4217 code of every amount.")
    prices_include_tax = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the checkout still needs before the order can be placed.",
    )
    problems = serializers.DictField(child=serializers.CharField())
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When a guest cart expires unless it changes."
    )

    def to_representation(self, view: Any) -> dict[str, Any]:
        cart = view.cart
        line_serializer = CartLineOutputSerializer(
            context={**self.context, "images": view.images}
        )
        method = view.shipping_method
        return {
            "token": str(cart.token),
            "customer": cart.customer_id,
            "email": cart.email,
            "lines": [line_serializer.to_representation(line) for line in view.lines],
            "item_count": view.item_count,
            "weight_grams": view.weight_grams,
            "shipping_address": cart.shipping_address or None,
            "billing_same_as_shipping": cart.billing_same_as_shipping,
            "billing_address": (
                cart.shipping_address
                if cart.billing_same_as_shipping
                else cart.billing_address
            )
            or None,
            "shipping_method": None
            if method is None
            else ShippingMethodQuoteOutputSerializer(method).data,
            "subtotal": str(view.subtotal),
            "shipping": str(view.shipping),
            "tax": str(view.tax),
            "voucher": None
            if view.voucher is None
            else CartVoucherOutputSerializer(view.voucher).data,
            "discount": str(view.discount),
            "total": str(view.total),
            "currency": view.currency,
            "prices_include_tax": view.prices_include_tax,
            "missing": view.missing,
            "problems": view.problems,
            "expires_at": None
            if cart.customer_id
            else (cart.updated_at + guest_cart_expiry()).isoformat(),
        }


# CHECKOUT STEPS


class CartEmailInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()


class CartAddressInputSerializer(AddressValuesInputSerializer):
    """A new address, or ``address_id`` of one of the customer's saved addresses."""

    address_id = IdField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "address_id" in data:
            return {
                "address_id": IdField().run_validation(data.get("address_id")),
            }
        return super().to_internal_value(data)


class CartBillingAddressInputSerializer(CartAddressInputSerializer):
    same_as_shipping = serializers.BooleanField(default=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and data.get("same_as_shipping") is True:
            return {"same_as_shipping": True}
        return {**super().to_internal_value(data), "same_as_shipping": False}


class CartShippingMethodInputSerializer(serializers.Serializer[Any]):
    shipping_method = IdField()


class CartVoucherInputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        max_length=100, help_text="The voucher's code; not case-sensitive."
    )


class CartMergeInputSerializer(serializers.Serializer[Any]):
    token = serializers.UUIDField(help_text="The guest cart's token.")
