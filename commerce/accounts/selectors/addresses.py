"""Reads of a customer's saved addresses (their own only)."""

from django.db.models import QuerySet

from commerce.accounts.models import Address, User
from commerce.exceptions import AddressNotFoundError


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user_id=user.pk).order_by("pk")


def address_get(*, user: User, address_id: int) -> Address:
    """The caller's own address; anyone else's is not found (404)."""
    address: Address | None = Address.objects.filter(
        pk=address_id, user_id=user.pk
    ).first()
    if address is None:
        raise AddressNotFoundError()
    return address
