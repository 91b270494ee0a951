"""Writes to the rating figures of products and packages (``rating_average``/``count``).

The reviews package computes them from the published reviews and stores them here,
in its own transaction; the public reads show them and ``sort=rating`` uses ``rank``.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commerce.catalogue.models import RATING_MODELS, RATING_RANK_FACTOR, ProductPage
from commerce.catalogue.services.cache import catalogue_cache_invalidate

HUNDREDTH = Decimal("0.01")


def rating_average(*, total: int, count: int) -> Decimal | None:
    """The average of ``count`` ratings summing to ``total``, to two places; None if none."""
    if count <= 0:
        return None
    return (Decimal(total) / count).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def rating_rank(*, average: Decimal | None, count: int) -> int:
    """One integer ordering items by average, then by count (0 without ratings)."""
    if average is None:
        return 0
    hundredths = int((average * 100).to_integral_value(rounding=ROUND_HALF_UP))
    return hundredths * RATING_RANK_FACTOR + min(count, RATING_RANK_FACTOR - 1)


@transaction.atomic
def sellable_rating_lock(*, kind: str, item_id: int) -> None:
    """Lock the rating row of an item (made when missing) until the transaction ends.

    Writers of one item's rating take this lock before counting its reviews, so two
    concurrent review changes never store a count that misses the other one.
    """
    model = RATING_MODELS[kind]
    lookup: dict[str, Any] = {f"{kind}_id": item_id}
    model.objects.get_or_create(**lookup)
    list(model.objects.select_for_update().filter(**lookup).values("pk"))


@transaction.atomic
def sellable_rating_set(*, kind: str, item_id: int, total: int, count: int) -> None:
    """Store an item's rating from the sum and count of its published ratings.

    Written with ``update()`` (never a page save) and the catalogue cache of the item
    and the lists invalidated.
    """
    model = RATING_MODELS[kind]
    key = f"{kind}_id"
    average = rating_average(total=total, count=count)
    values = {
        "average": average,
        "count": count,
        "rank": rating_rank(average=average, count=count),
        "updated_at": timezone.now(),
    }
    if not model.objects.filter(**{key: item_id}).update(**values):
        model.objects.create(**{key: item_id}, **values)
    if kind == ProductPage.kind:
        catalogue_cache_invalidate(product_ids=[item_id])
    else:
        catalogue_cache_invalidate(package_ids=[item_id])
