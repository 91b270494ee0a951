"""The sorts of the catalogue lists, and keyset pagination (cursors) over them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from commerce.catalogue.selectors._shared import SellableT

# "price" is the price the shopper pays now (offers included: ``current_price``).
SORTS = {
    "price": ("current_price", "pk"),
    "-price": ("-current_price", "pk"),
    "name": ("title", "pk"),
    "-name": ("-title", "pk"),
    "newest": ("-first_published_at", "-pk"),
    "oldest": ("first_published_at", "pk"),
    "popularity": ("-units_sold_count", "pk"),
    # Highest average first, then the most reviews, then the most recently created.
    "rating": ("-rating_rank", "-pk"),
}
DEFAULT_SORT = "newest"
# Keyset pagination: the value each sort orders by, and how a cursor stores it.
# first_published_at is null for drafts (staff lists), so it is ordered as the epoch.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEYSET_VALUES: dict[str, tuple[Any, Any]] = {
    "current_price": (F("current_price"), Decimal),
    "title": (F("title"), str),
    "first_published_at": (
        Coalesce(F("first_published_at"), Value(EPOCH), output_field=DateTimeField()),
        datetime.fromisoformat,
    ),
    "units_sold_count": (F("units_sold_count"), int),
    "rating_rank": (F("rating_rank"), int),
}


@dataclass(frozen=True)
class KeysetPosition:
    """The last row of a keyset page: its sort, sort value (as text) and pk."""

    sort: str
    value: str
    pk: int


def catalogue_keyset_position_parse(
    *, sort: str, value: Any, pk: Any
) -> KeysetPosition:
    """Validate a position read from a client's cursor; ValueError when malformed."""
    if sort not in SORTS or not isinstance(value, str):
        raise ValueError("bad cursor")
    field_name = SORTS[sort][0].lstrip("-")
    try:
        KEYSET_VALUES[field_name][1](value)
    except (ArithmeticError, TypeError) as error:  # decimal.InvalidOperation
        raise ValueError("bad cursor") from error
    return KeysetPosition(sort=sort, value=value, pk=int(pk))


def catalogue_keyset_page(
    queryset: QuerySet[SellableT],
    *,
    sort: str,
    after: KeysetPosition | None,
    size: int,
    published_only: bool = False,
    fields: Sequence[str] = (),
) -> tuple[list[Any], KeysetPosition | None]:
    """A page of ``queryset`` after ``after``, by (sort value, pk); no OFFSET, no COUNT.

    ``published_only``: ``queryset`` holds published items only (no drafts).
    ``fields``: the rows are named tuples of these fields (and the sort value), not
    model instances.
    Returns the items and the position of the next page (None on the last page).
    The order is that of ``SORTS``, so a keyset page lists what the numbered page
    would list.
    """
    value_spec, pk_spec = SORTS[sort]
    field_name = value_spec.lstrip("-")
    value_descending = value_spec.startswith("-")
    pk_descending = pk_spec.startswith("-")
    expression, parse = KEYSET_VALUES[field_name]
    if published_only and field_name == "first_published_at":
        # Published items have the date (Wagtail sets it on the first publish): the
        # plain column, so the newest-first index (migration 0026) serves deep pages
        # too, not only the first.
        expression = F("first_published_at")
        queryset = queryset.filter(first_published_at__isnull=False)
    queryset = queryset.annotate(keyset_value=expression)
    if after is not None:
        value = parse(after.value)
        beyond = "lt" if value_descending else "gt"
        beyond_pk = "lt" if pk_descending else "gt"
        queryset = queryset.filter(
            Q(**{f"keyset_value__{beyond}": value})
            | Q(keyset_value=value, **{f"pk__{beyond_pk}": after.pk})
        )
    ordering = [
        F("keyset_value").desc() if value_descending else F("keyset_value").asc(),
        "-pk" if pk_descending else "pk",
    ]
    queryset = queryset.order_by(*ordering)
    if fields:
        queryset = queryset.values_list(*fields, "keyset_value", named=True)
    rows = list(queryset[: size + 1])
    items, more = rows[:size], len(rows) > size
    if not more:
        return items, None
    last = items[-1]
    raw = last.keyset_value
    text = raw.isoformat() if isinstance(raw, datetime) else str(raw)
    return items, KeysetPosition(sort=sort, value=text, pk=last.pk)
