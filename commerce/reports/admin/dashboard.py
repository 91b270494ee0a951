"""The shop dashboard on the admin home, for managers and administrators.

Four panels (Wagtail ``construct_homepage_panels``): today's and this week's orders
and paid revenue with the orders awaiting review, the owner's overview of the last 30
days (customers, live items, offers, vouchers, ratings, returns), low-stock
products, and the latest orders. Figures come from the report selectors, so they match Shop › Reports.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from commerce.accounts.roles import STAFF_ROLES
from commerce.accounts.selectors.users import user_role_get
from commerce.catalogue.selectors.stock import LOW_STOCK_THRESHOLD
from commerce.enums import OrderStatus, PaymentStatus
from commerce.money import shop_currency
from commerce.orders.admin.orders import NOT_CANCELLED
from commerce.orders.selectors import order_count_in_status, order_latest
from commerce.reports.selectors import overview, reports

ORDERS_URL_NAME = "commerce_order_modeladmin_index"
ORDER_INSPECT_URL_NAME = "commerce_order_modeladmin_inspect"
OVERVIEW_DAYS = 30
LOW_STOCK_ROWS = 8
LATEST_ORDERS = 8


def dashboard_shown(request: HttpRequest) -> bool:
    """Managers and administrators; anyone else in the admin sees no shop panels."""
    user = request.user
    return bool(
        user.is_authenticated
        and user_role_get(user=user) in STAFF_ROLES
        and user.has_perm("commerce.view_order")
    )


def _orders_url(**filters: str) -> str:
    url = reverse(ORDERS_URL_NAME)
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass(frozen=True)
class Figure:
    label: str
    orders: int
    revenue: Decimal
    orders_url: str
    revenue_url: str


class ShopSummaryPanel(Component):
    name = "shop_summary"
    template_name = "commerce/admin/dashboard/summary.html"
    order = 10

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        zone = ZoneInfo(settings.TIME_ZONE)
        today = timezone.now().astimezone(zone).date()
        ranges = {
            "today": ("Today", reports.ReportRange(today, today, zone)),
            "week": (
                "This week",
                reports.ReportRange(
                    today - timedelta(days=today.weekday()), today, zone
                ),
            ),
        }
        figures = []
        for key, (label, report_range) in ranges.items():
            summary = reports.report_order_value(report_range=report_range)
            figures.append(
                Figure(
                    label=label,
                    orders=summary.orders,
                    revenue=summary.revenue,
                    orders_url=_orders_url(created=key, status=NOT_CANCELLED),
                    revenue_url=_orders_url(
                        created=key,
                        status=NOT_CANCELLED,
                        payment_status=PaymentStatus.PAID,
                    ),
                )
            )
        return {
            "figures": figures,
            "awaiting_review": order_count_in_status(status=OrderStatus.UNDER_REVIEW),
            "awaiting_review_url": _orders_url(status=OrderStatus.UNDER_REVIEW),
            "reports_url": reverse("shop_reports:index"),
            "currency": shop_currency(),
        }


class OwnerOverviewPanel(Component):
    """The owner's figures of the last OVERVIEW_DAYS days (``report_overview``)."""

    name = "shop_overview"
    template_name = "commerce/admin/dashboard/overview.html"
    order = 15

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        zone = ZoneInfo(settings.TIME_ZONE)
        today = timezone.now().astimezone(zone).date()
        report_range = reports.ReportRange(
            today - timedelta(days=OVERVIEW_DAYS - 1), today, zone
        )
        return {
            "summary": overview.report_overview(report_range=report_range),
            "days": OVERVIEW_DAYS,
            "reports_url": reverse("shop_reports:index"),
        }


class LowStockPanel(Component):
    name = "shop_low_stock"
    template_name = "commerce/admin/dashboard/low_stock.html"
    order = 20

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        rows = reports.report_low_stock(
            threshold=LOW_STOCK_THRESHOLD, limit=LOW_STOCK_ROWS + 1
        )
        return {
            "rows": [
                (row, reverse("wagtailadmin_pages:edit", args=(row.product_id,)))
                for row in rows[:LOW_STOCK_ROWS]
            ],
            "more": len(rows) > LOW_STOCK_ROWS,
            "threshold": LOW_STOCK_THRESHOLD,
            "products_url": reverse("shop_products:index"),
            "reports_url": reverse("shop_reports:index"),
        }


class LatestOrdersPanel(Component):
    name = "shop_latest_orders"
    template_name = "commerce/admin/dashboard/latest_orders.html"
    order = 30

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {
            "orders": [
                (order, reverse(ORDER_INSPECT_URL_NAME, args=(order.pk,)))
                for order in order_latest(limit=LATEST_ORDERS)
            ],
            "orders_url": _orders_url(),
        }


def shop_dashboard_panels(request: HttpRequest, panels: list[Any]) -> None:
    if dashboard_shown(request):
        panels[:0] = [
            ShopSummaryPanel(),
            OwnerOverviewPanel(),
            LowStockPanel(),
            LatestOrdersPanel(),
        ]
