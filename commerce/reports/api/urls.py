"""The /api/admin/ routes of reports, exports and the audit log.

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path

from commerce.reports.api import views as admin

urlpatterns: list[URLPattern] = [
    path(
        "admin/reports/overview",
        admin.ReportOverviewApi.as_view(),
        name="report-overview",
    ),
    path("admin/reports/sales", admin.ReportSalesApi.as_view(), name="report-sales"),
    path(
        "admin/reports/top-items",
        admin.ReportTopItemsApi.as_view(),
        name="report-top-items",
    ),
    path(
        "admin/reports/low-stock",
        admin.ReportLowStockApi.as_view(),
        name="report-low-stock",
    ),
    path(
        "admin/reports/orders-by-status",
        admin.ReportOrdersByStatusApi.as_view(),
        name="report-orders-by-status",
    ),
    path(
        "admin/reports/new-customers",
        admin.ReportNewCustomersApi.as_view(),
        name="report-new-customers",
    ),
    path(
        "admin/reports/order-value",
        admin.ReportOrderValueApi.as_view(),
        name="report-order-value",
    ),
    path("admin/logs", admin.LogListApi.as_view(), name="log-list"),
    path(
        "admin/exports/jobs/<uuid:job_id>",
        admin.ExportJobDetailApi.as_view(),
        name="export-job-detail",
    ),
    path(
        "admin/exports/jobs/<uuid:job_id>/file",
        admin.ExportJobFileApi.as_view(),
        name="export-job-file",
    ),
    path("admin/exports/<str:kind>", admin.ExportApi.as_view(), name="export"),
]
