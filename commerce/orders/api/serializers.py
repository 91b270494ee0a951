from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.accounts.api.serializers.addresses import AddressValuesInputSerializer
from commerce.accounts.api.serializers.users import (
    PHONE_EXAMPLE,
    PHONE_FORMAT,
    PHONE_PATTERN,
)
from commerce.cart.api.serializers import ITEM_KINDS, CartLineAddInputSerializer
from commerce.catalogue.api.serializers.line_images import (
    LineThumbnailOutputSerializer,
    choices_body,
    thumbnail_body,
)
from commerce.catalogue.selectors.line_images import LineImages
from commerce.enums import OrderEventActorRole, OrderStatus
from commerce.orders.models import Order, OrderEvent, OrderLine, PaymentTransaction
from commerce.orders.selectors import ORDER_SORTS, order_line_images_get
from config.fields import IdField, pattern_field


# The cart's line input, under the schema name the order endpoint has always had.
class OrderLineInputSerializer(CartLineAddInputSerializer):
    pass


class ShippingAddressSerializer(AddressValuesInputSerializer):
    """An address, validated for its country; ``line1``/``line2`` are older names."""

    line1 = serializers.CharField(
        max_length=255, required=False, help_text="Deprecated: street_address_1."
    )
    line2 = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Deprecated: street_address_2.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street_address_1"].required = False

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for old, new in (
                ("line1", "street_address_1"),
                ("line2", "street_address_2"),
            ):
                if old in data and new not in data:
                    data[new] = data.pop(old)
            if "street_address_1" not in data:
                raise serializers.ValidationError(
                    {"street_address_1": ["This field is required."]}
                )
        return super().to_internal_value(data)


class CheckoutCompleteInputSerializer(serializers.Serializer[Any]):
    """What the last checkout step may add: a phone and the gift options."""

    contact_phone = pattern_field(
        PHONE_PATTERN,
        expected=PHONE_FORMAT,
        example=PHONE_EXAMPLE,
        required=False,
        allow_blank=True,
    )
    is_gift = serializers.BooleanField(default=False)
    is_anonymous = serializers.BooleanField(default=False)
    gift_message = serializers.CharField(
        max_length=500, required=False, allow_blank=True
    )


class OrderPlaceInputSerializer(CheckoutCompleteInputSerializer):
    lines = OrderLineInputSerializer(
        many=True,
        required=False,
        max_length=100,
        help_text="Leave out to order the cart.",
    )
    shipping_address = ShippingAddressSerializer()
    billing_address = ShippingAddressSerializer(
        required=False, help_text="Leave out when it is the shipping address."
    )
    shipping_method = IdField(
        required=False,
        help_text="Required when the shop has shipping methods: one offered for "
        "the items and the address (GET /api/cart/shipping-methods).",
    )
    contact_email = serializers.EmailField(required=False)


class OrderTransitionInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    tracking_carrier = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="With status shipped only: the carrier, e.g. DHL.",
    )
    tracking_number = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="With status shipped only: the carrier's tracking number.",
    )


class OrderListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    customer = IdField(required=False)
    product = IdField(required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)
    sort = serializers.ChoiceField(choices=list(ORDER_SORTS), required=False)


class OrderLineOutputSerializer(serializers.ModelSerializer[OrderLine]):
    # Declared: the model field's range differs between SQLite and PostgreSQL.
    quantity = serializers.IntegerField()
    currency = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    customizations = serializers.SerializerMethodField()

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "product",
            "package",
            "name",
            "sku",
            "unit_price",
            "original_unit_price",
            "offer_name",
            "price_delta",
            "quantity",
            "line_total",
            "discount",
            "tax_rate",
            "net",
            "tax",
            "gross",
            "currency",
            "customizations",
            "components",
            "thumbnail",
        ]

    def get_currency(self, line: OrderLine) -> str:
        return line.order.currency

    def _images(self) -> LineImages:
        """The images of every line being serialized, loaded once on first use.

        The root instance is the order or the page of orders; one lookup covers
        all their lines, so the queries do not grow with the page size.
        """
        images = self.context.get("_line_images")
        if images is None:
            images = order_line_images_get(orders=self.root.instance)
            self.context["_line_images"] = images
        return images

    @extend_schema_field(LineThumbnailOutputSerializer(allow_null=True))
    def get_thumbnail(self, line: OrderLine) -> dict[str, Any] | None:
        kind = next(
            (kind for kind in ITEM_KINDS if getattr(line, f"{kind}_id")),
            ITEM_KINDS[-1],
        )
        item_id = getattr(line, f"{kind}_id")
        return thumbnail_body(
            self._images().thumbnail(kind=kind, item_id=item_id),
            self.context.get("request"),
        )

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_customizations(self, line: OrderLine) -> list[dict[str, Any]]:
        return choices_body(
            line.customizations,
            self._images(),
            self.context.get("request"),
            currency=line.order.currency,
        )


class OrderEventActorOutputSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=OrderEventActorRole.choices)
    id = serializers.IntegerField(required=False, help_text="Staff readers only.")
    email = serializers.EmailField(required=False, help_text="Staff readers only.")


class OrderEventOutputSerializer(serializers.ModelSerializer[OrderEvent]):
    """An order's event. Staff see who acted in full; customers only as a role."""

    # The context's ``viewer_is_staff`` decides; without it the reader is taken for a
    # customer, so a staff member's email or id never reaches a customer by default.
    actor = serializers.SerializerMethodField(
        help_text="Who made the change; null when the system did."
    )

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "note", "actor", "created_at"]

    @extend_schema_field(OrderEventActorOutputSerializer(allow_null=True))
    def get_actor(self, event: OrderEvent) -> dict[str, Any] | None:
        actor = event.actor
        if actor is None:
            return None
        is_customer = actor.pk == event.order.customer_id
        if not self.context.get("viewer_is_staff", False):
            role = OrderEventActorRole.YOU if is_customer else OrderEventActorRole.SHOP
            return {"role": role.value}
        return {
            "role": (
                OrderEventActorRole.CUSTOMER
                if is_customer
                else OrderEventActorRole.SHOP
            ).value,
            "id": actor.pk,
            "email": actor.email,
        }


class PaymentTransactionOutputSerializer(
    serializers.ModelSerializer[PaymentTransaction]
):
    class Meta:
        model = PaymentTransaction
        fields = [
            "gateway",
            "action",
            "amount",
            "currency",
            "succeeded",
            "message",
            "created_at",
        ]

    currency = serializers.SerializerMethodField()

    def get_currency(self, payment: PaymentTransaction) -> str:
        return payment.order.currency


class OrderOutputSerializer(serializers.ModelSerializer[Order]):
    lines = OrderLineOutputSerializer(many=True)
    events = OrderEventOutputSerializer(many=True)
    payments = PaymentTransactionOutputSerializer(
        many=True, source="payment_transactions"
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "token",
            "customer",
            "status",
            "payment_status",
            "payment_gateway",
            "contact_email",
            "contact_phone",
            "shipping_address",
            "billing_address",
            "shipping_method",
            "tracking_carrier",
            "tracking_number",
            "is_gift",
            "is_anonymous",
            "gift_message",
            "subtotal",
            "shipping",
            "tax",
            "discount",
            "voucher_code",
            "total",
            "currency",
            "prices_include_tax",
            "lines",
            "events",
            "payments",
            "created_at",
            "updated_at",
        ]
