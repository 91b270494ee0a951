"""Cart writes: add, change and remove lines; choices validated by the customization app."""

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from commerce.accounts.models import User
from commerce.cart.models import MAX_LINE_QUANTITY, Cart, CartLine
from commerce.cart.selectors import cart_item_get
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.exceptions import CatalogueNotFoundError
from customization.selectors import item_customizations
from customization.services import choices_validate


def choices_canonical(
    choices: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], str]:
    """Sort the choices by customization and return them with their SHA-256 key."""
    ordered = sorted(
        (
            {"customization": c.get("customization"), "value": c.get("value")}
            for c in choices
        ),
        key=lambda choice: str(choice["customization"]),
    )
    key = hashlib.sha256(json.dumps(ordered, sort_keys=True).encode()).hexdigest()
    return ordered, key


def _cart_for_update(customer: User) -> Cart:
    """The customer's cart row, locked: concurrent adds to one cart are serialized."""
    Cart.objects.get_or_create(customer=customer)
    return Cart.objects.select_for_update().get(customer=customer)


def _quantity_check(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationError({"quantity": [f"Choose 1 to {MAX_LINE_QUANTITY}."]})


@transaction.atomic
def cart_line_add(
    *,
    customer: User,
    kind: str,
    item_id: int,
    quantity: int,
    choices: list[dict[str, Any]],
) -> CartLine:
    """Add an item with its choices; the same item with the same choices merges."""
    item: ProductPage | PackagePage = cart_item_get(kind=kind, item_id=item_id)
    if not item.is_available:
        raise ValidationError({kind: ["This item cannot be ordered at the moment."]})
    choices_validate(
        attached=item_customizations(raw_stream=item.customizations.raw_data),
        choices=choices,
        owner_id=customer.pk,
    )
    ordered, key = choices_canonical(choices)
    cart = _cart_for_update(customer)
    lookup = {"cart": cart, kind: item, "choices_key": key}
    line = CartLine.objects.filter(**lookup).first()
    if line is None:
        _quantity_check(quantity)
        return CartLine.objects.create(**lookup, quantity=quantity, choices=ordered)
    _quantity_check(line.quantity + quantity)
    CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + quantity)
    line.refresh_from_db()
    return line


def _own_line(customer: User, line_id: int) -> CartLine:
    line = CartLine.objects.filter(pk=line_id, cart__customer=customer).first()
    if line is None:
        raise CatalogueNotFoundError()
    return line


@transaction.atomic
def cart_line_update(*, customer: User, line_id: int, quantity: int) -> CartLine:
    _cart_for_update(customer)
    line = _own_line(customer, line_id)
    _quantity_check(quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    return line


@transaction.atomic
def cart_line_remove(*, customer: User, line_id: int) -> None:
    _cart_for_update(customer)
    _own_line(customer, line_id).delete()
