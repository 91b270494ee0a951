"""Saved addresses in and out of the API."""

import re
from typing import Any

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from commerce.accounts.models import Address
from commerce.accounts.services.addresses import ADDRESS_VALUES, DEFAULT_FLAGS

TEXT: dict[str, Any] = {"max_length": 255, "trim_whitespace": True}


class IsoCountryField(CountryField):
    """A country as its ISO 3166-1 alpha-2 code in capitals, nothing looser."""

    default_error_messages = {
        "invalid_format": "Enter a two-letter ISO 3166-1 country code in capitals, "
        "for example DE."
    }

    def to_internal_value(self, data: Any) -> Any:
        if not (isinstance(data, str) and re.fullmatch(r"[A-Z]{2}", data)):
            self.fail("invalid_format")
        return super().to_internal_value(data)


class AddressValuesInputSerializer(serializers.Serializer[Any]):
    """An address's values: a saved address's, or one a checkout is given."""

    name = serializers.CharField(**TEXT)
    company = serializers.CharField(required=False, allow_blank=True, **TEXT)
    street_address_1 = serializers.CharField(**TEXT)
    street_address_2 = serializers.CharField(required=False, allow_blank=True, **TEXT)
    city = serializers.CharField(**TEXT)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=128,
        help_text="State, province or county, where the country has them "
        "(e.g. CA for California).",
    )
    country = IsoCountryField(help_text="ISO 3166-1 alpha-2 code, e.g. FR.")
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="Any common format; stored and answered in E.164 (+33123456789).",
    )


class AddressInputSerializer(AddressValuesInputSerializer):
    is_default_shipping = serializers.BooleanField(required=False)
    is_default_billing = serializers.BooleanField(required=False)


class AddressOutputSerializer(serializers.ModelSerializer[Address]):
    country = CountryField()

    class Meta:
        model = Address
        fields = [
            "id",
            *ADDRESS_VALUES,
            *DEFAULT_FLAGS,
            "created_at",
            "updated_at",
        ]
