"""Writes to a user's favourite products and packages."""

from django.core.exceptions import ValidationError

from commerce.accounts.models import User
from commerce.catalogue.models import Favourite, sellable_model


def favourite_add(*, user: User, kind: str, item_id: int) -> tuple[Favourite, bool]:
    """Keep a product or package the shop shows now; ``(favourite, created)``.

    Idempotent: a favourite kept already is returned as it is. An item that does not
    exist, is unpublished or inactive is refused with a ValidationError on ``kind``.
    """
    model = sellable_model(kind)
    item = model.objects.live().filter(pk=item_id, is_active=True).first()
    if item is None:
        raise ValidationError({kind: [f"There is no {kind} {item_id} on sale."]})
    favourite, created = Favourite.objects.get_or_create(user=user, **{kind: item})
    return favourite, created


def favourite_remove(*, user: User, kind: str, item_id: int) -> bool:
    """Forget a favourite; whether there was one (removing none is not an error)."""
    deleted, _ = Favourite.objects.filter(user=user, **{f"{kind}_id": item_id}).delete()
    return deleted > 0
