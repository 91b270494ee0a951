"""Reads of reviews: what an item shows, what staff moderate, what a customer received."""

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from commerce.accounts.models import User
from commerce.catalogue.models import sellable_model
from commerce.enums import OrderStatus, ReviewStatus
from commerce.exceptions import CatalogueNotFoundError, ReviewNotFoundError
from commerce.orders.models import OrderLine
from commerce.reviews.models import Review
from config.fields import DATABASE_INTEGER_MAX

# The one definition of "received": the order statuses whose lines a customer may
# review. Later statuses of a delivered order (returns, completion) belong here too.
RECEIVED_ORDER_STATUSES: frozenset[str] = frozenset(
    {
        OrderStatus.DELIVERED,
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.RETURNED,
        OrderStatus.COMPLETED,
    }
)


def review_order_line_received(
    *, customer: User, kind: str, item_id: int
) -> OrderLine | None:
    """The customer's latest order line of the item whose order they received, if any."""
    line: OrderLine | None = (
        OrderLine.objects.filter(
            order__customer=customer,
            order__status__in=RECEIVED_ORDER_STATUSES,
            **{f"{kind}_id": item_id},
        )
        .order_by("-order__created_at", "-pk")
        .first()
    )
    return line


def review_queryset() -> QuerySet[Review]:
    return Review.objects.select_related("customer", "product", "package")


def review_list_for_item(*, kind: str, item_id: int) -> QuerySet[Review]:
    """The item's published reviews, newest first."""
    return (
        Review.objects.select_related("customer")
        .filter(status=ReviewStatus.PUBLISHED, **{f"{kind}_id": item_id})
        .order_by("-created_at", "-pk")
    )


def review_list_for_staff(*, filters: dict[str, Any]) -> QuerySet[Review]:
    """Every review, newest first, filtered by status, rating, product or package."""
    queryset = review_queryset()
    for name in ("status", "rating", "product", "package"):
        value = filters.get(name)
        if value not in (None, ""):
            queryset = queryset.filter(**{name: value})
    return queryset.order_by("-created_at", "-pk")


def review_get(*, review_id: int) -> Review:
    review = review_queryset().filter(pk=review_id).first()
    if review is None:
        raise ReviewNotFoundError()
    return review


def review_of_customer(*, customer: User, kind: str, item_id: int) -> Review | None:
    """The customer's review of the item (there is at most one)."""
    return Review.objects.filter(customer=customer, **{f"{kind}_id": item_id}).first()


def review_totals(*, kind: str, item_id: int) -> tuple[int, int]:
    """The sum and the count of the item's published ratings."""
    totals = Review.objects.filter(
        Q(status=ReviewStatus.PUBLISHED), **{f"{kind}_id": item_id}
    ).aggregate(total=Sum("rating"), count=Count("pk"))
    return int(totals["total"] or 0), int(totals["count"])


def review_item_id_get(*, kind: str, lookup: str, include_unpublished: bool) -> int:
    """The id of the product or package ``lookup`` (id or slug) names, if shown.

    The public sees live, active items only; staff also the others.
    """
    queryset: Any = sellable_model(kind).objects.all()
    if not include_unpublished:
        queryset = queryset.live().filter(is_active=True)
    if lookup.isascii() and lookup.isdigit():
        if int(lookup) > DATABASE_INTEGER_MAX:
            raise CatalogueNotFoundError()
        queryset = queryset.filter(pk=int(lookup))
    else:
        queryset = queryset.filter(slug=lookup)
    item_id = queryset.values_list("pk", flat=True).order_by("pk").first()
    if item_id is None:
        raise CatalogueNotFoundError()
    return int(item_id)
