from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from commerce.accounts.models import User
from commerce.catalogue.selectors.line_images import (
    LineImages,
    chosen_image_ids,
    line_images_get,
    line_images_of_items,
    snapshot_choices,
)
from commerce.exceptions import CatalogueNotFoundError
from commerce.orders.models import Order, OrderEvent, OrderLine, PaymentTransaction

ORDER_SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "total": ("total", "pk"),
    "-total": ("-total", "-pk"),
}


def order_queryset() -> QuerySet[Order]:
    """Orders with lines, events and payments loaded in a constant number of queries."""
    return Order.objects.select_related("customer").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
        Prefetch(
            "events",
            queryset=OrderEvent.objects.select_related("actor").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch(
            "payment_transactions",
            queryset=PaymentTransaction.objects.order_by("created_at", "pk"),
        ),
    )


def order_by_token_get(*, token: Any) -> Order:
    """The order whose token this is: the token is the permission."""
    order = order_queryset().filter(token=token).first()
    if order is None:
        raise CatalogueNotFoundError("No such order.")
    return order


def order_list(
    *,
    viewer: User,
    is_staff: bool,
    filters: dict[str, Any],
) -> QuerySet[Order]:
    """Customers see their own orders; staff see all, with filters."""
    queryset = order_queryset()
    if not is_staff:
        queryset = queryset.filter(customer=viewer)
        filters = {**filters, "customer": None}
    return order_filter(queryset=queryset, filters=filters)


def order_filter(
    *, queryset: QuerySet[Order], filters: dict[str, Any]
) -> QuerySet[Order]:
    """Apply the order list filters (customer, status, dates, product) and the sort."""
    if filters.get("customer"):
        queryset = queryset.filter(customer_id=filters["customer"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("payment_status"):
        queryset = queryset.filter(payment_status=filters["payment_status"])
    if filters.get("search"):
        term = filters["search"]
        queryset = queryset.filter(
            Q(number__icontains=term)
            | Q(customer__email__icontains=term)
            | Q(contact_email__icontains=term)
        )
    created_from: date | None = filters.get("created_from")
    created_to: date | None = filters.get("created_to")
    if created_from:
        queryset = queryset.filter(created_at__date__gte=created_from)
    if created_to:
        queryset = queryset.filter(created_at__date__lte=created_to)
    if filters.get("product"):
        product = filters["product"]
        queryset = queryset.filter(
            Q(lines__product_id=product)
            | Q(lines__package__components__product_id=product)
        ).distinct()
    return queryset.order_by(
        *ORDER_SORTS.get(filters.get("sort") or "newest", ORDER_SORTS["newest"])
    )


def order_get(*, order_id: int, viewer: User, is_staff: bool) -> Order:
    """One order; another customer's order is not found (never forbidden: no hint)."""
    queryset = order_queryset()
    if not is_staff:
        queryset = queryset.filter(customer=viewer)
    order = queryset.filter(pk=order_id).first()
    if order is None:
        raise CatalogueNotFoundError()
    return order


def order_latest(*, limit: int = 8) -> list[Order]:
    """The most recently placed orders, with their customers."""
    return list(
        Order.objects.select_related("customer").order_by("-created_at", "-pk")[:limit]
    )


def order_count_in_status(*, status: str) -> int:
    return Order.objects.filter(status=status).count()


def order_placed_line_images(*, order: Order) -> LineImages | None:
    """The line images of an order just placed, whose lines hold their items.

    Placement loads the items with their first gallery image (``FIRST_IMAGE``), so
    there is no gallery query; None when an item lacks it (read as for any order).
    """
    lines = list(order.lines.all())
    return line_images_of_items(
        items=[item for line in lines if (item := line.product or line.package)],
        image_ids=chosen_image_ids(
            choice for line in lines for choice in snapshot_choices(line.customizations)
        ),
    )


def order_line_images_get(*, orders: Order | Iterable[Order]) -> LineImages:
    """The line images of ``orders`` (lines prefetched by ``order_queryset``)."""
    orders = [orders] if isinstance(orders, Order) else list(orders)
    lines = [line for order in orders for line in order.lines.all()]
    return line_images_get(
        product_ids={line.product_id for line in lines if line.product_id},
        package_ids={line.package_id for line in lines if line.package_id},
        image_ids=chosen_image_ids(
            choice for line in lines for choice in snapshot_choices(line.customizations)
        ),
    )
