from typing import Any

from rest_framework import serializers

from commerce.api.serializers.cart import ChoiceInputSerializer
from commerce.enums import OrderStatus
from commerce.models import Order, OrderEvent, OrderLine, PaymentTransaction
from commerce.models.cart import MAX_LINE_QUANTITY
from commerce.selectors.orders import ORDER_SORTS
from config.fields import IdField


class OrderLineInputSerializer(serializers.Serializer[Any]):
    product = IdField(required=False)
    package = IdField(required=False)
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_LINE_QUANTITY, default=1
    )
    customizations = ChoiceInputSerializer(many=True, required=False, max_length=50)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("product" in attrs) == ("package" in attrs):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one of product or package."]}
            )
        return attrs


class ShippingAddressSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=150)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    postal_code = serializers.CharField(max_length=20)
    country = serializers.RegexField(
        r"^[A-Z]{2}$", help_text="ISO 3166-1 alpha-2, e.g. DE"
    )


class OrderPlaceInputSerializer(serializers.Serializer[Any]):
    lines = OrderLineInputSerializer(
        many=True,
        required=False,
        max_length=100,
        help_text="Leave out to order the cart.",
    )
    shipping_address = ShippingAddressSerializer()
    contact_email = serializers.EmailField(required=False)
    contact_phone = serializers.RegexField(
        r"^\+?[0-9 ()\-]{0,32}$", required=False, allow_blank=True
    )
    is_gift = serializers.BooleanField(default=False)
    is_anonymous = serializers.BooleanField(default=False)
    gift_message = serializers.CharField(
        max_length=500, required=False, allow_blank=True
    )


class OrderTransitionInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


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

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "product",
            "package",
            "name",
            "sku",
            "unit_price",
            "price_delta",
            "quantity",
            "line_total",
            "customizations",
            "components",
        ]


class OrderEventOutputSerializer(serializers.ModelSerializer[OrderEvent]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "note", "actor", "created_at"]

    def get_actor(self, event: OrderEvent) -> str | None:
        return event.actor.email if event.actor else None


class PaymentTransactionOutputSerializer(
    serializers.ModelSerializer[PaymentTransaction]
):
    class Meta:
        model = PaymentTransaction
        fields = ["gateway", "action", "amount", "succeeded", "message", "created_at"]


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
            "customer",
            "status",
            "payment_status",
            "payment_gateway",
            "contact_email",
            "contact_phone",
            "shipping_address",
            "is_gift",
            "is_anonymous",
            "gift_message",
            "subtotal",
            "total",
            "currency",
            "lines",
            "events",
            "payments",
            "created_at",
            "updated_at",
        ]


class OrderPayInputSerializer(serializers.Serializer[Any]):
    gateway = serializers.CharField(
        max_length=32, help_text="A gateway id from GET /api/payments/gateways."
    )
    card_number = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Card gateways only. The dummy card gateway declines "
        "4000000000000002 and accepts other Luhn-valid numbers.",
    )


class PaymentGatewayOutputSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    name = serializers.CharField()
    captures_on_authorize = serializers.BooleanField(
        help_text="True when paying takes the money at once; false when it is "
        "only reserved and taken later (cash on delivery: on delivery)."
    )
