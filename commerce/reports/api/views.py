"""The admin API: reports, the audit log and exports (staff only).

Reports and exports answer JSON, or a file with ``?format=csv|xlsx`` (exports also
``json``). An unknown format is a 400 naming the ``format`` field.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.accounts.models import User
from commerce.enums import ExportFormat, ExportKind
from commerce.reports.api import serializers as s
from commerce.reports.exports_http import export_file_response
from commerce.reports.models import ExportJob
from commerce.reports.selectors import reports
from commerce.reports.selectors.logs import log_entry_list, log_hidden_content_type_ids
from commerce.reports.services.exports import (
    CONTENT_TYPES,
    export_job_file,
    export_start,
    report_export,
)
from config.pagination import PageNumberPagination, list_query_validate
from config.permissions import permissions_required

REPORT_FORMATS = ("json", "csv", "xlsx")
EXPORT_FORMATS = tuple(ExportFormat.values)


class _FileRenderer(BaseRenderer):
    """Lets content negotiation accept ``?format=``; views answer the file themselves."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(_FileRenderer):
    media_type = CONTENT_TYPES[ExportFormat.XLSX]
    format = "xlsx"


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is bad input (400), not a missing page."""

    def select_renderer(
        self, request: Any, renderers: Any, format_suffix: Any = None
    ) -> Any:
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        known = [renderer.format for renderer in renderers]
        if requested and requested not in known:
            raise serializers.ValidationError(
                {"format": [f"Choose one of: {', '.join(known)}."]}
            )
        return super().select_renderer(request, renderers, format_suffix)


def _format_parameter(formats: Sequence[str]) -> OpenApiParameter:
    return OpenApiParameter("format", OpenApiTypes.STR, enum=list(formats))


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
) -> Any:
    fields: dict[str, Any] = {"results": rows(many=True)}
    if ranged:
        fields.update(
            date_from=serializers.DateField(),
            date_to=serializers.DateField(),
            tz=serializers.CharField(),
        )
    return extend_schema(
        parameters=[*parameters, _format_parameter(REPORT_FORMATS)],
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


class ReportSalesApi(ReportApi):
    input_serializer_class = s.ReportPeriodInputSerializer
    output_serializer_class = s.SalesRowOutputSerializer
    row_class = reports.SalesRow
    name = "sales"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_sales_over_time(
            report_range=self._range(params), period=params["period"]
        )

    @_report_schema(
        summary="Sales over time: orders and revenue per day, week or month",
        rows=s.SalesRowOutputSerializer,
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("period", OpenApiTypes.STR, enum=["day", "week", "month"]),
        ],
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


class ReportTopItemsApi(ReportApi):
    input_serializer_class = s.ReportTopItemsInputSerializer
    output_serializer_class = s.TopItemRowOutputSerializer
    row_class = reports.TopItemRow
    name = "top-items"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_top_items(
            report_range=self._range(params), kind=params["kind"], limit=params["limit"]
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
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


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
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


class ReportOrdersByStatusApi(ReportApi):
    output_serializer_class = s.StatusRowOutputSerializer
    row_class = reports.StatusRow
    name = "orders-by-status"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return reports.report_orders_by_status(report_range=self._range(params))

    @_report_schema(
        summary="Orders created in the range, by their current status",
        rows=s.StatusRowOutputSerializer,
        parameters=RANGE_PARAMETERS,
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


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
        summary="New customer accounts per day, week or month",
        rows=s.CustomersRowOutputSerializer,
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("period", OpenApiTypes.STR, enum=["day", "week", "month"]),
        ],
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


class ReportOrderValueApi(ReportApi):
    output_serializer_class = s.OrderValueOutputSerializer
    row_class = reports.OrderValueSummary
    name = "order-value"

    def rows(self, params: dict[str, Any]) -> list[Any]:
        return [reports.report_order_value(report_range=self._range(params))]

    @_report_schema(
        summary="Orders, revenue and average order value (cancelled orders excluded)",
        rows=s.OrderValueOutputSerializer,
        parameters=RANGE_PARAMETERS,
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


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
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        content_types = ContentType.objects.in_bulk(
            {entry["content_type_id"] for entry in page}
        )
        users = User.objects.in_bulk(
            {entry["user_id"] for entry in page if entry["user_id"]}
        )
        rows = []
        for entry in page:
            content_type = content_types.get(entry["content_type_id"])
            user = users.get(entry["user_id"])
            rows.append(
                {
                    **entry,
                    "object_id": entry["object_id_text"],
                    "object_type": (
                        f"{content_type.app_label}.{content_type.model}"
                        if content_type
                        else ""
                    ),
                    "user": entry["user_id"],
                    "user_email": user.email if user else None,
                }
            )
        return paginator.get_paginated_response(
            s.LogEntryOutputSerializer(rows, many=True).data
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
            _format_parameter(EXPORT_FORMATS),
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


def _own_job(request: Request, job_id: Any) -> ExportJob:
    """The requester's job; anybody else's is not found."""
    return get_object_or_404(ExportJob, pk=job_id, requester=request.user)


class ExportJobDetailApi(APIView):
    permission_classes = [permissions_required("commerce.export_data")]

    @extend_schema(
        responses={200: s.ExportJobOutputSerializer},
        summary="An export job of the caller",
        tags=["admin"],
    )
    def get(self, request: Request, job_id: Any) -> Response:
        return Response(s.ExportJobOutputSerializer(_own_job(request, job_id)).data)


class ExportJobFileApi(APIView):
    permission_classes = [permissions_required("commerce.export_data")]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download the file of a finished export job (its requester only)",
        tags=["admin"],
    )
    def get(self, request: Request, job_id: Any) -> HttpResponseBase:
        job = _own_job(request, job_id)
        if not job.file:
            raise serializers.ValidationError({"job": ["The export is not ready yet."]})
        return export_file_response(export_job_file(job=job))
