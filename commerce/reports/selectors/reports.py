"""Shop reports: sales, best sellers, stock, statuses, new customers.

Every figure counts orders by their creation time in the report's time zone: a date
range is the whole of ``date_from`` to the whole of ``date_to`` in that zone.

Revenue is money taken: the totals of paid (captured) orders only. An order that is
unpaid, only authorized (cash on delivery, until delivered) or refunded adds nothing
to it. Order and unit counts take every order placed but cancelled ones, paid or
not; cancelled orders count in "orders by status" only.

Amounts are in the shop's currency (``SHOP_CURRENCY``), named by the ``currency`` of
each row: only orders placed in it are counted, so that a change of currency never
adds up amounts of two currencies (older orders keep theirs, see ``Order.currency``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeAlias, TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from commerce.accounts.models import User
from commerce.catalogue.models import ProductStock, sellable_model
from commerce.enums import OrderStatus, PaymentStatus, ReportPeriod, UserRole
from commerce.money import money_round, shop_currency
from commerce.orders.models import Order, OrderLine

ZERO = Decimal("0.00")
TRUNCATORS = {
    ReportPeriod.DAY: TruncDay,
    ReportPeriod.WEEK: TruncWeek,
    ReportPeriod.MONTH: TruncMonth,
}


@dataclass(frozen=True)
class ReportRange:
    """Whole days ``date_from``..``date_to`` (inclusive) in ``zone``."""

    date_from: date
    date_to: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the range (exclusive bound)."""
        return datetime.combine(
            self.date_to + timedelta(days=1), time.min, tzinfo=self.zone
        )


# A range covers at most this many whole days; without a start, the last 30 days.
MAX_REPORT_DAYS = 3 * 366
DEFAULT_REPORT_DAYS = 30


def report_range_resolve(
    *, date_from: date | None, date_to: date | None, zone: ZoneInfo | None
) -> ReportRange:
    """The report range for the given bounds, as the admin and the API both read it.

    ``date_to`` defaults to today in ``zone`` (the shop's time zone by default),
    ``date_from`` to DEFAULT_REPORT_DAYS days up to ``date_to``. A start after the
    end, or more than MAX_REPORT_DAYS days, is a ValidationError on ``date_from``.
    """
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    date_to = date_to or timezone.now().astimezone(zone).date()
    date_from = date_from or date_to - timedelta(days=DEFAULT_REPORT_DAYS - 1)
    if date_from > date_to:
        raise ValidationError(
            {"date_from": ["The start date must not be after the end date."]}
        )
    if (date_to - date_from).days >= MAX_REPORT_DAYS:
        raise ValidationError(
            {"date_from": [f"A report covers at most {MAX_REPORT_DAYS} days."]}
        )
    return ReportRange(date_from, date_to, zone)


REVENUE_BASIS = "paid"
"""What revenue figures count, as reports state it: totals of paid orders only."""


@dataclass(frozen=True)
class SalesRow:
    period_start: date
    orders: int
    """Orders placed in the period (not cancelled), paid or not."""
    paid_orders: int
    revenue: Decimal
    """The totals of the period's paid orders."""
    currency: str


@dataclass(frozen=True)
class TopItemRow:
    kind: str
    item_id: int
    name: str
    sku: str
    units: int
    """Units in orders that are not cancelled, paid or not."""
    revenue: Decimal
    """The line totals of paid orders."""
    currency: str


@dataclass(frozen=True)
class LowStockRow:
    product_id: int
    title: str
    sku: str
    quantity: int
    units_sold: int
    live: bool


@dataclass(frozen=True)
class StatusRow:
    status: str
    orders: int
    total: Decimal
    currency: str


@dataclass(frozen=True)
class CustomersRow:
    period_start: date
    customers: int


@dataclass(frozen=True)
class OrderValueSummary:
    orders: int
    """Orders placed (not cancelled), paid or not."""
    paid_orders: int
    revenue: Decimal
    """The totals of the paid orders."""
    average_order_value: Decimal
    """Revenue per paid order."""
    currency: str


def _money(value: Decimal | None) -> Decimal:
    return money_round(value or ZERO)


def _orders_in(report_range: ReportRange) -> QuerySet[Order]:
    return Order.objects.filter(
        created_at__gte=report_range.start,
        created_at__lt=report_range.end,
        currency=shop_currency(),
    )


def sold_orders_in(report_range: ReportRange) -> QuerySet[Order]:
    return _orders_in(report_range).exclude(status=OrderStatus.CANCELLED)


# The orders whose money counts as revenue (see the module's docstring).
PAID = Q(payment_status=PaymentStatus.PAID)


def period_starts(*, report_range: ReportRange, period: str) -> list[date]:
    """The first day of every period that overlaps the range, in order."""
    first = report_range.date_from
    if period == ReportPeriod.WEEK:
        first -= timedelta(days=first.weekday())
    elif period == ReportPeriod.MONTH:
        first = first.replace(day=1)
    starts = []
    current = first
    while current <= report_range.date_to:
        starts.append(current)
        if period == ReportPeriod.DAY:
            current += timedelta(days=1)
        elif period == ReportPeriod.WEEK:
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def _bucket_date(value: datetime | date, zone: ZoneInfo) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if value.tzinfo else value.date()
    return value


def report_sales_over_time(*, report_range: ReportRange, period: str) -> list[SalesRow]:
    """Orders and paid revenue per day, week (from Monday) or month.

    Empty periods are zero.
    """
    truncate = TRUNCATORS[ReportPeriod(period)]
    rows = (
        sold_orders_in(report_range)
        .annotate(bucket=truncate("created_at", tzinfo=report_range.zone))
        .values("bucket")
        .annotate(
            orders=Count("pk"),
            paid_orders=Count("pk", filter=PAID),
            revenue=Sum("total", filter=PAID),
        )
        .order_by("bucket")
    )
    found = {_bucket_date(row["bucket"], report_range.zone): row for row in rows}
    currency = shop_currency()
    return [
        SalesRow(
            period_start=start,
            orders=found[start]["orders"] if start in found else 0,
            paid_orders=found[start]["paid_orders"] if start in found else 0,
            revenue=_money(found[start]["revenue"] if start in found else None),
            currency=currency,
        )
        for start in period_starts(report_range=report_range, period=period)
    ]


def report_top_items(
    *, report_range: ReportRange, kind: str, limit: int = 10
) -> list[TopItemRow]:
    """Best-selling products or packages by units, then paid revenue."""
    field = f"{sellable_model(kind).kind}_id"
    rows = (
        OrderLine.objects.filter(
            order__created_at__gte=report_range.start,
            order__created_at__lt=report_range.end,
            order__currency=shop_currency(),
            **{f"{field}__isnull": False},
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values(field)
        .annotate(
            units=Sum("quantity"),
            revenue=Sum(
                "line_total", filter=Q(order__payment_status=PaymentStatus.PAID)
            ),
            name=Max("name"),
            sku=Max("sku"),
        )
        .order_by("-units", "-revenue", field)[:limit]
    )
    return [
        TopItemRow(
            kind=kind,
            item_id=row[field],
            name=row["name"],
            sku=row["sku"],
            units=row["units"],
            revenue=_money(row["revenue"]),
            currency=shop_currency(),
        )
        for row in rows
    ]


def report_low_stock(*, threshold: int, limit: int = 100) -> list[LowStockRow]:
    """Products at or below their own low-stock threshold, else ``threshold``; fewest first."""
    stocks = (
        ProductStock.objects.filter(
            quantity__lte=Coalesce(
                F("low_stock_threshold"), Value(threshold), output_field=IntegerField()
            )
        )
        .select_related("product")
        .order_by("quantity", "product__title", "pk")[:limit]
    )
    return [
        LowStockRow(
            product_id=stock.product_id,
            title=stock.product.title,
            sku=stock.product.sku,
            quantity=stock.quantity,
            units_sold=stock.units_sold,
            live=stock.product.live,
        )
        for stock in stocks
    ]


def report_orders_by_status(*, report_range: ReportRange) -> list[StatusRow]:
    """Every status, with the orders created in the range that are in it now."""
    rows = {
        row["status"]: row
        for row in _orders_in(report_range)
        .values("status")
        .annotate(orders=Count("pk"), total=Sum("total"))
        .order_by()
    }
    return [
        StatusRow(
            status=status.value,
            orders=rows[status]["orders"] if status in rows else 0,
            total=_money(rows[status]["total"] if status in rows else None),
            currency=shop_currency(),
        )
        for status in OrderStatus
    ]


def customer_accounts() -> QuerySet[User]:
    staff = [UserRole.ADMINISTRATOR.value, UserRole.MANAGER.value]
    return User.objects.filter(is_superuser=False).exclude(groups__name__in=staff)


def report_new_customers(
    *, report_range: ReportRange, period: str
) -> list[CustomersRow]:
    """Customer accounts created per period (staff accounts are not counted)."""
    truncate = TRUNCATORS[ReportPeriod(period)]
    rows = (
        customer_accounts()
        .filter(created_at__gte=report_range.start, created_at__lt=report_range.end)
        .annotate(bucket=truncate("created_at", tzinfo=report_range.zone))
        .values("bucket")
        .annotate(customers=Count("pk", distinct=True))
        .order_by("bucket")
    )
    found = {
        _bucket_date(row["bucket"], report_range.zone): row["customers"] for row in rows
    }
    return [
        CustomersRow(period_start=start, customers=found.get(start, 0))
        for start in period_starts(report_range=report_range, period=period)
    ]


def report_order_value(*, report_range: ReportRange) -> OrderValueSummary:
    """Orders (not cancelled), the paid ones, their revenue and its average."""
    totals = sold_orders_in(report_range).aggregate(
        orders=Count("pk"),
        paid_orders=Count("pk", filter=PAID),
        revenue=Sum("total", filter=PAID),
    )
    paid_orders = totals["paid_orders"] or 0
    revenue = _money(totals["revenue"])
    average = money_round(revenue / paid_orders) if paid_orders else ZERO
    return OrderValueSummary(
        orders=totals["orders"] or 0,
        paid_orders=paid_orders,
        revenue=revenue,
        average_order_value=average,
        currency=shop_currency(),
    )


class CustomerTotals(TypedDict):
    order_count: int
    total_spent: Decimal | None


# A string: WithAnnotations cannot be subscripted with a TypedDict at runtime.
CustomerWithTotals: TypeAlias = "WithAnnotations[User, CustomerTotals]"


def customer_queryset() -> QuerySet[CustomerWithTotals]:
    """Customers with their order count (not cancelled) and spend (paid orders).

    Orders placed in another currency than the shop's are left out.
    """
    sold = ~Q(orders__status=OrderStatus.CANCELLED) & Q(
        orders__currency=shop_currency()
    )
    paid = sold & Q(orders__payment_status=PaymentStatus.PAID)
    return (
        customer_accounts()
        .annotate(
            order_count=Count("orders", filter=sold, distinct=True),
            total_spent=Sum("orders__total", filter=paid),
        )
        .order_by("pk")
    )
