"""Rows for exports: orders with lines, products and packages with stock, customers.

Each ``*_rows`` function yields plain tuples matching its ``*_HEADERS`` and reads the
database in chunks, so an export of any size keeps a flat memory profile.
"""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commerce.accounts.models import User
from commerce.catalogue.models import (
    PackagePage,
    ProductPage,
    line_kind,
)
from commerce.catalogue.selectors.sellables import package_components_prefetch
from commerce.money import shop_currency
from commerce.orders.models import Order, OrderLine
from commerce.orders.selectors import order_filter
from commerce.reports.models import ExportJob
from commerce.reports.selectors.reports import CustomerWithTotals, customer_queryset

CHUNK_SIZE = 1000

ORDER_HEADERS = (
    "order_number",
    "created_at",
    "status",
    "payment_status",
    "customer_email",
    "contact_email",
    "currency",
    "order_subtotal",
    "order_total",
    "line_kind",
    "line_name",
    "line_sku",
    "quantity",
    "unit_price",
    "price_delta",
    "line_total",
    "customizations",
)
SELLABLE_HEADERS = (
    "id",
    "title",
    "sku",
    "price",
    "currency",
    "live",
    "active",
    "available",
)
PRODUCT_HEADERS = (*SELLABLE_HEADERS, "stock_quantity", "units_sold")
PACKAGE_HEADERS = (*SELLABLE_HEADERS, "components", "stock_quantity", "units_sold")
CUSTOMER_HEADERS = (
    "id",
    "email",
    "name",
    "phone",
    "active",
    "joined_at",
    "orders",
    "total_spent",
    "currency",
)


def order_export_queryset(*, filters: dict[str, Any]) -> QuerySet[Order]:
    """All orders matching the staff list filters, with their lines."""
    queryset = Order.objects.select_related("customer").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )
    return order_filter(queryset=queryset, filters=filters)


def _local(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def customizations_text(snapshot: list[dict[str, Any]]) -> str:
    """One readable cell for a line's customization choices."""
    parts = []
    for choice in snapshot:
        value = choice.get("option_label") or choice.get("value") or ""
        if choice.get("upload_id"):
            value = f"photo {choice['upload_id']}"
        parts.append(f"{choice.get('label') or choice.get('name')}: {value}")
    return "; ".join(parts)


def order_rows(queryset: QuerySet[Order]) -> Iterator[tuple[Any, ...]]:
    """One row per order line; an order without lines still gets one row.

    A guest's order has no customer: its ``customer_email`` is empty.
    """
    for order in queryset.iterator(chunk_size=CHUNK_SIZE):
        head = (
            order.number,
            _local(order.created_at),
            order.status,
            order.payment_status,
            order.customer.email if order.customer else "",  # empty for a guest
            order.contact_email,
            order.currency,
            order.subtotal,
            order.total,
        )
        lines = list(order.lines.all())
        if not lines:
            yield (*head, "", "", "", "", "", "", "", "")
        for line in lines:
            yield (
                *head,
                line_kind(line),
                line.name,
                line.sku,
                line.quantity,
                line.unit_price,
                line.price_delta,
                line.line_total,
                customizations_text(line.customizations),
            )


def product_export_queryset() -> QuerySet[ProductPage]:
    products: QuerySet[ProductPage] = ProductPage.objects.select_related(
        "stock"
    ).order_by("pk")
    return products


def product_rows(queryset: QuerySet[ProductPage]) -> Iterator[tuple[Any, ...]]:
    currency = shop_currency()
    for product in queryset.iterator(chunk_size=CHUNK_SIZE):
        stock = getattr(product, "stock", None)
        yield (
            product.pk,
            product.title,
            product.sku,
            product.price,
            currency,
            product.live,
            product.is_active,
            product.is_available,
            stock.quantity if stock else 0,
            stock.units_sold if stock else 0,
        )


def package_export_queryset() -> QuerySet[PackagePage]:
    packages: QuerySet[PackagePage] = (
        PackagePage.objects.select_related("sales")
        .prefetch_related(package_components_prefetch())
        .order_by("pk")
    )
    return packages


def package_rows(queryset: QuerySet[PackagePage]) -> Iterator[tuple[Any, ...]]:
    """``stock_quantity`` is how many whole packages the components' stock allows."""
    currency = shop_currency()
    for package in queryset.iterator(chunk_size=CHUNK_SIZE):
        components = list(package.components.all())
        sales = getattr(package, "sales", None)
        yield (
            package.pk,
            package.title,
            package.sku,
            package.price,
            currency,
            package.live,
            package.is_active,
            package.is_available,
            "; ".join(f"{c.quantity} × {c.product.sku}" for c in components),
            package.available_quantity(),
            sales.units_sold if sales else 0,
        )


def customer_export_queryset(*, search: str = "") -> QuerySet[CustomerWithTotals]:
    queryset = customer_queryset()
    if search:
        queryset = queryset.filter(email__icontains=search)
    return queryset


def customer_rows(
    queryset: QuerySet[CustomerWithTotals],
) -> Iterator[tuple[Any, ...]]:
    """``total_spent`` counts the orders in the shop's currency (see customer_queryset)."""
    currency = shop_currency()
    for user in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield (
            user.pk,
            user.email,
            user.name,
            user.phone,
            user.is_active,
            _local(user.created_at),
            user.order_count,
            (user.total_spent or Decimal(0)).quantize(Decimal("0.01")),
            currency,
        )


def export_job_get(*, job_id: Any, requester: User) -> ExportJob:
    """The requester's export job; anybody else's is not found (404)."""
    return get_object_or_404(ExportJob, pk=job_id, requester=requester)
