"""The owner's overview: the figures a shop owner reads first, for one date range.

What exists now (customers, live items, running offers, the average rating) is
counted at the time of the request; what happened (active and new customers,
orders, voucher uses, returns) falls in the range, counted by the order's or the
event's creation time, by the same rules as the other reports (see ``reports``):
orders are those not cancelled, revenue is from paid orders only.

The returns rate is the share of the range's orders (not cancelled) that have a
return request that was not rejected, in percent with two decimals.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from commerce.catalogue.models import Offer, PackagePage, ProductPage
from commerce.enums import ReturnStatus, ReviewStatus
from commerce.money import shop_currency
from commerce.reports.selectors import reports
from commerce.reports.selectors.reports import ReportRange
from commerce.returns.models import ReturnRequest
from commerce.reviews.models import Review
from commerce.vouchers.models import VoucherUsage

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class OverviewSummary:
    customers_total: int
    """Customer accounts (staff not counted) that exist now."""
    customers_active: int
    """Customers who placed at least one order (not cancelled) in the range."""
    customers_new: int
    """Customer accounts created in the range."""
    products_live: int
    """Published, active products now."""
    packages_live: int
    """Published, active packages now."""
    offers_active: int
    """Offers running now (active, started, not ended)."""
    orders: int
    """Orders placed in the range (not cancelled), paid or not."""
    paid_orders: int
    revenue: Decimal
    """The totals of the range's paid orders."""
    average_order_value: Decimal
    vouchers_used: int
    """Orders of the range that used a voucher (a cancelled order gives its use back)."""
    rating_average: Decimal | None
    """The average of every published review's rating now; null without reviews."""
    reviews_published: int
    returns_requested: int
    """Return requests made in the range, whatever became of them."""
    returns_rate: Decimal
    """Percent of the range's orders (not cancelled) with a return not rejected."""
    currency: str


def _live_count(model: type[ProductPage] | type[PackagePage]) -> int:
    count: int = model.objects.live().filter(is_active=True).count()
    return count


def _offers_running() -> int:
    now = timezone.now()
    return (
        Offer.objects.filter(is_active=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .count()
    )


def report_overview(*, report_range: ReportRange) -> OverviewSummary:
    """The owner's figures for ``report_range`` (see the module docstring)."""
    in_range = Q(created_at__gte=report_range.start, created_at__lt=report_range.end)
    sold = reports.sold_orders_in(report_range)
    customers = reports.customer_accounts().aggregate(
        total=Count("pk"),
        new=Count("pk", filter=in_range),
        active=Count("pk", filter=Exists(sold.filter(customer=OuterRef("pk")))),
    )
    orders_with_return = sold.filter(
        Exists(
            ReturnRequest.objects.filter(order=OuterRef("pk")).exclude(
                status=ReturnStatus.REJECTED
            )
        )
    ).count()
    value = reports.report_order_value(report_range=report_range)
    ratings = Review.objects.filter(status=ReviewStatus.PUBLISHED).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    average = ratings["average"]
    return OverviewSummary(
        customers_total=customers["total"],
        customers_active=customers["active"],
        customers_new=customers["new"],
        products_live=_live_count(ProductPage),
        packages_live=_live_count(PackagePage),
        offers_active=_offers_running(),
        orders=value.orders,
        paid_orders=value.paid_orders,
        revenue=value.revenue,
        average_order_value=value.average_order_value,
        vouchers_used=VoucherUsage.objects.filter(order__in=sold.values("pk")).count(),
        rating_average=(
            Decimal(average).quantize(Decimal("0.01")) if average is not None else None
        ),
        reviews_published=ratings["count"],
        returns_requested=ReturnRequest.objects.filter(in_range).count(),
        returns_rate=(
            (HUNDRED * orders_with_return / value.orders).quantize(Decimal("0.01"))
            if value.orders
            else Decimal("0.00")
        ),
        currency=shop_currency(),
    )
