"""Reports and exports in the admin: one dashboard page and the export downloads."""

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.viewsets.base import ViewSet

from commerce.admin_menu import PermissionMenuItem, ShopMenuMixin
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.selectors.stock import LOW_STOCK_THRESHOLD
from commerce.enums import ExportFormat, ExportKind, ReportPeriod
from commerce.money import shop_currency
from commerce.reports.admin.charts import bar_chart_svg
from commerce.reports.exports_http import export_file_response
from commerce.reports.models import ExportJob
from commerce.reports.selectors import reports
from commerce.reports.services.exports import (
    export_job_file,
    export_start,
    report_export,
)

REVENUE_NOTE = (
    "Revenue counts paid (captured) orders only: unpaid orders, orders authorized "
    "for payment on delivery and refunded orders add nothing to it. Order and unit "
    "counts include every order placed except cancelled ones, paid or not."
)


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(choices=ReportPeriod.choices, required=False)
    tz = forms.CharField(required=False, label="Time zone")
    threshold = forms.IntegerField(required=False, min_value=0, label="Low stock at")

    def clean_tz(self) -> ZoneInfo:
        value = self.cleaned_data.get("tz") or settings.TIME_ZONE
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise forms.ValidationError("Unknown time zone.") from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            report_range = reports.report_range_resolve(
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                zone=data.get("tz"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        else:
            data["report_range"] = report_range
            data["date_from"] = report_range.date_from
            data["date_to"] = report_range.date_to
            data["tz"] = report_range.zone
        data["period"] = data.get("period") or ReportPeriod.DAY
        data["threshold"] = (
            LOW_STOCK_THRESHOLD if data.get("threshold") is None else data["threshold"]
        )
        return data


def _report_tables(data: dict[str, Any]) -> dict[str, tuple[str, list[Any]]]:
    report_range = data["report_range"]
    period = data["period"]
    return {
        "sales": (
            "Sales over time (revenue from paid orders)",
            reports.report_sales_over_time(report_range=report_range, period=period),
        ),
        "top-products": (
            "Top products (revenue from paid orders)",
            reports.report_top_items(report_range=report_range, kind=ProductPage.kind),
        ),
        "top-packages": (
            "Top packages (revenue from paid orders)",
            reports.report_top_items(report_range=report_range, kind=PackagePage.kind),
        ),
        "orders-by-status": (
            "Orders by status (order totals, paid or not)",
            reports.report_orders_by_status(report_range=report_range),
        ),
        "new-customers": (
            "New customers",
            reports.report_new_customers(report_range=report_range, period=period),
        ),
        "order-value": (
            "Order value (revenue from paid orders)",
            [reports.report_order_value(report_range=report_range)],
        ),
        "low-stock": (
            "Low stock",
            reports.report_low_stock(threshold=data["threshold"]),
        ),
    }


def _table(rows: list[Any], row_class: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    headers = [field.name for field in dataclasses.fields(row_class)]
    return headers, [dataclasses.astuple(row) for row in rows]


ROW_CLASSES = {
    "sales": reports.SalesRow,
    "top-products": reports.TopItemRow,
    "top-packages": reports.TopItemRow,
    "orders-by-status": reports.StatusRow,
    "new-customers": reports.CustomersRow,
    "order-value": reports.OrderValueSummary,
    "low-stock": reports.LowStockRow,
}


def reports_index(request: HttpRequest) -> HttpResponseBase:
    if not request.user.has_perm("commerce.view_reports"):
        raise PermissionDenied
    form = ReportFilterForm(request.GET)
    tables: dict[str, Any] = {}
    chart = None
    if form.is_valid():
        computed = _report_tables(form.cleaned_data)
        export_format = request.GET.get("export")
        if export_format:
            return _report_export(request, computed, export_format)
        for key, (title, rows) in computed.items():
            headers, values = _table(rows, ROW_CLASSES[key])
            tables[key] = {"title": title, "headers": headers, "rows": values}
        sales = computed["sales"][1]
        chart = bar_chart_svg(
            labels=[row.period_start.isoformat() for row in sales],
            values=[row.revenue for row in sales],
            title=f"Revenue from paid orders per period ({shop_currency()})",
        )
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("report", None)
    return TemplateResponse(
        request,
        "commerce/admin/reports.html",
        {
            "form": form,
            "tables": tables,
            "chart": chart,
            "currency": shop_currency(),
            "query": query.urlencode(),
            "export_formats": ExportFormat.values,
            "revenue_note": REVENUE_NOTE,
            "page_title": "Reports",
            "header_icon": "pick",
        },
    )


def _report_export(
    request: HttpRequest, computed: dict[str, Any], export_format: str
) -> HttpResponseBase:
    key = request.GET.get("report", "sales")
    if key not in computed or export_format not in ExportFormat.values:
        raise Http404
    title, rows = computed[key]
    export = report_export(
        user=request.user,
        name=key,
        title=title,
        row_class=ROW_CLASSES[key],
        rows=rows,
        export_format=export_format,
    )
    return export_file_response(export)


class ShopReportsViewSet(ShopMenuMixin, ViewSet):
    name = "shop_reports"
    url_prefix = "shop/reports"
    icon = "pick"
    menu_label = "Reports"
    menu_order = 200

    def get_urlpatterns(self) -> list[Any]:
        return [path("", reports_index, name="index")]

    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="shop-reports",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=("commerce.view_reports",),
        )


# EXPORTS


def exports_index(request: HttpRequest) -> HttpResponseBase:
    if not request.user.has_perm("commerce.export_data"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "commerce/admin/exports.html",
        {
            "kinds": [
                (kind, label)
                for kind, label in ExportKind.choices
                if kind != ExportKind.ORDERS
            ],
            "formats": ExportFormat.values,
            "jobs": ExportJob.objects.filter(requester=request.user)[:50],
            "page_title": "Exports",
            "header_icon": "download",
        },
    )


def export_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    """Products, packages or customers as a file, or a background job when large."""
    if not request.user.has_perm("commerce.export_data"):
        raise PermissionDenied
    export_format = request.GET.get("format", ExportFormat.CSV)
    if kind not in ExportKind.values or export_format not in ExportFormat.values:
        raise Http404
    filters = {"search": request.GET["q"]} if request.GET.get("q") else {}
    export = export_start(
        user=request.user, kind=kind, export_format=export_format, filters=filters
    )
    if isinstance(export, ExportJob):
        messages.success(
            request,
            "The export is being prepared; you will get an email with a download link.",
        )
        return redirect(reverse("shop_exports:index"))
    return export_file_response(export)


def export_job_download(request: HttpRequest, job_id: Any) -> HttpResponseBase:
    """The file of a finished export job; only its requester gets it (others: 404)."""
    job = get_object_or_404(ExportJob, pk=job_id, requester=request.user)
    if not job.file:
        raise Http404
    return export_file_response(export_job_file(job=job))


class ShopExportsViewSet(ShopMenuMixin, ViewSet):
    name = "shop_exports"
    url_prefix = "shop/exports"
    icon = "download"
    menu_label = "Exports"
    menu_order = 210

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", exports_index, name="index"),
            path("<str:kind>/", export_download, name="export"),
            path("jobs/<uuid:job_id>/download/", export_job_download, name="download"),
        ]

    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="shop-exports",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=("commerce.export_data",),
        )
