"""The admin API: reports, the audit log and exports (staff only).

Reports and exports answer JSON, or a file with ``?format=csv|xlsx`` (exports also
``json``). An unknown format is a 400 naming the ``format`` field.
"""

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.enums import ExportFormat, ExportKind
from commerce.reports.api import serializers as s
from commerce.reports.api.formats import (
    CsvRenderer,
    FormatNegotiation,
    XlsxRenderer,
    format_parameter,
)
from commerce.reports.exports_http import export_file_response
from commerce.reports.models import ExportJob
from commerce.reports.selectors import overview, reports
from commerce.reports.selectors.exports import export_job_get
from commerce.reports.selectors.logs import (
    log_entry_list,
    log_entry_rows,
    log_hidden_content_type_ids,
)
from commerce.reports.services.exports import (
    CONTENT_TYPES,
    export_job_file,
    export_start,
    report_export,
)
from config.pagination import list_query_validate, page_response
from config.permissions import permissions_required

REPORT_FORMATS = ("json", "csv", "xlsx")
EXPORT_FORMATS = tuple(ExportFormat.values)


RANGE_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("tz", OpenApiTypes.STR, description="IANA time zone"),
]


class ReportApi(APIView):
    """One report: validate the range, run the selector, answer JSON or a file."""

    permission_classes = [permissions_required("commerce.view_reports")]
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]
    content_negotiation_class = FormatNegotiation
    input_serializer_class: type[serializers.Serializer[Any]] = (
        s.ReportRangeInputSerializer
    )
    name = "report"
    # Reports with revenue say what it counts (``revenue_basis`` in the body).
    has_revenue = False

    def rows(self, params: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    def get(self, request: Request) -> HttpResponse:
        serializer = self.input_serializer_class(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        rows = self.rows(params)
        export_format = request.query_params.get("format", "json")
        if export_format in (ExportFormat.CSV, ExportFormat.XLSX):
            export = report_export(
                user=request.user,
                name=self.name,
                title=self.name,
                row_class=self.row_class,
                rows=rows,
                export_format=export_format,
            )
            return export_file_response(export)
        body: dict[str, Any] = {}
        if "tz" in params:
            body = {
                "date_from": params["date_from"],
                "date_to": params["date_to"],
                "tz": str(params["tz"]),
            }
        if self.has_revenue:
            body["revenue_basis"] = reports.REVENUE_BASIS
        body["results"] = self.output_serializer_class(rows, many=True).data
        return Response(body)

    def _range(self, params: dict[str, Any]) -> reports.ReportRange:
        return reports.ReportRange(params["date_from"], params["date_to"], params["tz"])


def _report_schema(
    *,
    summary: str,
    rows: type[serializers.Serializer[Any]],
    parameters: list[Any],
    ranged: bool = True,
    revenue: bool = False,
) -> Any:
    fields: dict[str, Any] = {"results": rows(many=True)}
    if ranged:
        fields.update(
            date_from=serializers.DateField(),
            date_to=serializers.DateField(),
            tz=serializers.CharField(),
        )
    if revenue:
        fields["revenue_basis"] = serializers.ChoiceField(
            choices=[(reports.REVENUE_BASIS, "Paid (captured) orders only")],
            help_text="What revenue counts: the totals of paid (captured) orders "
            "only; unpaid, authorized (cash on delivery) and refunded orders add "
            "nothing.",
        )
    return extend_schema_view(
        get=extend_schema(
            parameters=[*parameters, format_parameter(REPORT_FORMATS)],
            responses={
                (200, "application/json"): inline_serializer(
                    name=f"{rows.__name__.removesuffix('RowOutputSerializer')}Report",
                    fields=fields,
                ),
                (200, "text/csv"): OpenApiTypes.BINARY,
                (200, CONTENT_TYPES[ExportFormat.XLSX]): OpenApiTypes.BINARY,
            },
            summary=summary,
            tags=["admin"],
        )
    )


PERIOD_PARAMETERS = [
    *RANGE_PARAMETERS,
    OpenApiParameter("period", OpenApiTypes.STR, enum=["day", "week", "month"]),
]


@_report_schema(
    summary="Sales over time: orders and paid revenue per day, week or month",
    rows=s.SalesRowOutputSerializer,
    parameters=PERIOD_PARAMETERS,
    revenue=True,
)
class ReportSalesApi(ReportApi):
    has_revenue = True
    input_serializer_class = s.ReportPeriodInputSerializer
    output_serializer_class = s.SalesRowOutputSerializer
    row_class = reports.SalesRow
    name = "sales"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_sales_over_time(
            report_range=self._range(params), period=params["period"]
        )


@_report_schema(
    summary="Best-selling products or packages",
    rows=s.TopItemRowOutputSerializer,
    parameters=[
        *RANGE_PARAMETERS,
        OpenApiParameter(
            "kind", OpenApiTypes.STR, description="product (default) or package"
        ),
        OpenApiParameter("limit", OpenApiTypes.INT),
    ],
    revenue=True,
)
class ReportTopItemsApi(ReportApi):
    has_revenue = True
    input_serializer_class = s.ReportTopItemsInputSerializer
    output_serializer_class = s.TopItemRowOutputSerializer
    row_class = reports.TopItemRow
    name = "top-items"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_top_items(
            report_range=self._range(params), kind=params["kind"], limit=params["limit"]
        )


@_report_schema(
    summary="Products with little stock left",
    rows=s.LowStockRowOutputSerializer,
    parameters=[
        OpenApiParameter(
            "threshold",
            OpenApiTypes.INT,
            description="Units at or below which a product is low (default 5); "
            "a product's own low-stock threshold, set in the admin, wins.",
        ),
        OpenApiParameter("limit", OpenApiTypes.INT),
    ],
    ranged=False,
)
class ReportLowStockApi(ReportApi):
    input_serializer_class = s.ReportLowStockInputSerializer
    output_serializer_class = s.LowStockRowOutputSerializer
    row_class = reports.LowStockRow
    name = "low-stock"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_low_stock(
            threshold=params["threshold"], limit=params["limit"]
        )


@_report_schema(
    summary="Orders created in the range, by their current status",
    rows=s.StatusRowOutputSerializer,
    parameters=RANGE_PARAMETERS,
)
class ReportOrdersByStatusApi(ReportApi):
    output_serializer_class = s.StatusRowOutputSerializer
    row_class = reports.StatusRow
    name = "orders-by-status"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_orders_by_status(report_range=self._range(params))


@_report_schema(
    summary="New customer accounts per day, week or month",
    rows=s.CustomersRowOutputSerializer,
    parameters=PERIOD_PARAMETERS,
)
class ReportNewCustomersApi(ReportApi):
    input_serializer_class = s.ReportPeriodInputSerializer
    output_serializer_class = s.CustomersRowOutputSerializer
    row_class = reports.CustomersRow
    name = "new-customers"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_new_customers(
            report_range=self._range(params), period=params["period"]
        )


@_report_schema(
    summary=(
        "Orders (cancelled ones excluded), revenue from paid orders and the average "
        "paid order"
    ),
    rows=s.OrderValueOutputSerializer,
    parameters=RANGE_PARAMETERS,
    revenue=True,
)
class ReportOrderValueApi(ReportApi):
    has_revenue = True
    output_serializer_class = s.OrderValueOutputSerializer
    row_class = reports.OrderValueSummary
    name = "order-value"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return [reports.report_order_value(report_range=self._range(params))]


@_report_schema(
    summary=(
        "The owner's overview: customers (total, active, new), live products and "
        "packages, running offers, orders and paid revenue, vouchers used, the "
        "average rating, returns and the returns rate"
    ),
    rows=s.OverviewOutputSerializer,
    parameters=RANGE_PARAMETERS,
    revenue=True,
)
class ReportOverviewApi(ReportApi):
    has_revenue = True
    output_serializer_class = s.OverviewOutputSerializer
    row_class = overview.OverviewSummary
    name = "overview"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return [overview.report_overview(report_range=self._range(params))]


class LogListApi(APIView):
    permission_classes = [permissions_required("commerce.view_audit_log")]

    @extend_schema(
        parameters=[
            OpenApiParameter("user", OpenApiTypes.INT),
            OpenApiParameter(
                "object_type", OpenApiTypes.STR, description="app_label.model"
            ),
            OpenApiParameter(
                "action", OpenApiTypes.STR, description="e.g. commerce.order.transition"
            ),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.LogEntryOutputSerializer(many=True)},
        summary="The audit log: who changed what and when, newest first",
        description=(
            "Entries about users, roles and OAuth applications are shown only to "
            "those who may view them (administrators)."
        ),
        tags=["admin"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.LogListFilterSerializer)
        queryset = log_entry_list(
            filters=filters,
            hidden_content_type_ids=log_hidden_content_type_ids(viewer=request.user),
        )
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: (
                s.LogEntryOutputSerializer(log_entry_rows(page), many=True).data
            ),
        )


class ExportApi(APIView):
    permission_classes = [permissions_required("commerce.export_data")]
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]
    content_negotiation_class = FormatNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="orders, products, packages or customers",
            ),
            format_parameter(EXPORT_FORMATS),
            s.ExportInputSerializer,
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES[ExportFormat.XLSX]): OpenApiTypes.BINARY,
            (200, "application/json"): OpenApiTypes.BINARY,
            (202, "application/json"): s.ExportJobOutputSerializer,
        },
        summary="Export orders (with lines), products, packages or customers",
        description=(
            "CSV always streams. XLSX and JSON above EXPORT_SYNC_MAX_ROWS rows answer "
            "202 with a job; the requester gets an email with the download link, and "
            "only they can download the file. Order filters are those of /api/orders."
        ),
        tags=["admin"],
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        if kind not in ExportKind.values:
            raise serializers.ValidationError(
                {"kind": [f"Choose one of: {', '.join(ExportKind.values)}."]}
            )
        serializer = s.ExportInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        filters = {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in serializer.validated_data.items()
        }
        export = export_start(
            user=request.user,
            kind=kind,
            export_format=request.query_params.get("format", ExportFormat.CSV),
            filters=filters,
        )
        if isinstance(export, ExportJob):
            return Response(
                s.ExportJobOutputSerializer(export).data,
                status=status.HTTP_202_ACCEPTED,
            )
        return export_file_response(export)


class ExportJobDetailApi(APIView):
    permission_classes = [permissions_required("commerce.export_data")]

    @extend_schema(
        responses={200: s.ExportJobOutputSerializer},
        summary="An export job of the caller",
        tags=["admin"],
    )
    def get(self, request: Request, job_id: Any) -> Response:
        return Response(
            s.ExportJobOutputSerializer(
                export_job_get(job_id=job_id, requester=request.user)
            ).data
        )


class ExportJobFileApi(APIView):
    permission_classes = [permissions_required("commerce.export_data")]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download the file of a finished export job (its requester only)",
        tags=["admin"],
    )
    def get(self, request: Request, job_id: Any) -> HttpResponseBase:
        job = export_job_get(job_id=job_id, requester=request.user)
        if not job.file:
            raise serializers.ValidationError({"job": ["The export is not ready yet."]})
        return export_file_response(export_job_file(job=job))
