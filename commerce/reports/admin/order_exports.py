"""The admin order list's exports: ``?export=csv|xlsx|json`` exports what it shows.

Small exports download at once; large ones become a background job whose link
arrives by email. The composition root (``commerce/wagtail_hooks.py``) registers the
order admin with this list view, so orders know nothing of reports.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import redirect

from commerce.enums import ExportFormat, ExportKind
from commerce.orders.admin.orders import OrderIndexView, admin_order_filters
from commerce.orders.models import Order
from commerce.reports.exports_http import export_file_response
from commerce.reports.models import ExportJob
from commerce.reports.services.exports import export_start


class OrderExportIndexView(OrderIndexView):
    """The order list with CSV, XLSX and JSON exports of the filtered orders."""

    FORMATS = tuple(ExportFormat.values)

    def as_spreadsheet(
        self, queryset: QuerySet[Order], spreadsheet_format: str
    ) -> HttpResponseBase:
        user = self.request.user
        if not user.has_perm("commerce.export_data"):
            raise PermissionDenied
        export = export_start(
            user=user,
            kind=ExportKind.ORDERS,
            export_format=spreadsheet_format,
            filters=admin_order_filters(self.request),
        )
        if isinstance(export, ExportJob):
            messages.success(
                self.request,
                "The export is being prepared; you will get an email with a "
                "download link, and find it under Shop › Exports.",
            )
            return redirect(self.request.path)
        return export_file_response(export)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("p", None)
        context["export_links"] = []
        if self.request.user.has_perm("commerce.export_data"):
            for export_format in ExportFormat.values:
                query["export"] = export_format
                context["export_links"].append(
                    (export_format.upper(), query.urlencode())
                )
        return context
