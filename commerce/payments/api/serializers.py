"""Payment input and the gateways a storefront may offer."""

from typing import Any

from rest_framework import serializers


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
