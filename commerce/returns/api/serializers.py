from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.enums import ReturnStatus
from commerce.returns.models import ReturnLine, ReturnRequest
from commerce.returns.services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from config.fields import IdField

MAX_RETURN_QUANTITY = 10_000


class ReturnLineInputSerializer(serializers.Serializer[Any]):
    line = IdField(help_text="The order line's id (the order's `lines[].id`).")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_RETURN_QUANTITY)


class ReturnRequestCreateInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    lines = ReturnLineInputSerializer(
        many=True,
        required=False,
        allow_empty=False,
        help_text="The units to return; leave out to return the whole order.",
    )


class ReturnDecisionInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Shown to the customer.",
    )


class ReturnRejectInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="Why: shown to the customer."
    )


class ReturnListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False)
    order = IdField(required=False)


class ReturnLineOutputSerializer(serializers.ModelSerializer[ReturnLine]):
    line = serializers.IntegerField(source="order_line_id")
    name = serializers.CharField(source="order_line.name")
    sku = serializers.CharField(source="order_line.sku")
    quantity = serializers.IntegerField()

    class Meta:
        model = ReturnLine
        fields = ["line", "name", "sku", "quantity"]


class ReturnOutputSerializer(serializers.ModelSerializer[ReturnRequest]):
    """A return as its customer reads it (who decided stays the shop's business)."""

    order_number = serializers.CharField(source="order.number")
    currency = serializers.CharField(source="order.currency")
    lines = ReturnLineOutputSerializer(many=True)

    class Meta:
        model = ReturnRequest
        fields = [
            "id",
            "order",
            "order_number",
            "status",
            "reason",
            "staff_note",
            "refund_amount",
            "currency",
            "lines",
            "created_at",
            "decided_at",
            "received_at",
        ]


class ReturnPersonOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()


class ReturnStaffOutputSerializer(ReturnOutputSerializer):
    """A return as staff read it: with the customer and who decided."""

    customer = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta(ReturnOutputSerializer.Meta):
        fields = [*ReturnOutputSerializer.Meta.fields, "customer", "decided_by"]

    @extend_schema_field(ReturnPersonOutputSerializer(allow_null=True))
    def get_customer(self, obj: ReturnRequest) -> dict[str, Any] | None:
        user = obj.customer
        return None if user is None else {"id": user.pk, "email": user.email}

    @extend_schema_field(ReturnPersonOutputSerializer(allow_null=True))
    def get_decided_by(self, obj: ReturnRequest) -> dict[str, Any] | None:
        user = obj.decided_by
        return None if user is None else {"id": user.pk, "email": user.email}
