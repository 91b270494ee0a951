"""Serializers of the admin API: reports, the audit log and exports."""

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from commerce.enums import ExportFormat, OrderStatus, PaymentStatus, ReportPeriod
from commerce.orders.selectors import ORDER_SORTS
from commerce.reports.models import ExportJob
from commerce.reports.selectors.reports import report_range_resolve
from config.fields import DATABASE_INTEGER_MAX, IdField, pattern_field


class ReportRangeInputSerializer(serializers.Serializer[Any]):
    """A date range (whole days, inclusive) in a time zone; the last 30 days by default."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    tz = serializers.CharField(
        required=False, max_length=64, help_text="IANA time zone, e.g. Europe/Berlin"
    )

    def validate_tz(self, value: str) -> ZoneInfo:
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise serializers.ValidationError("Unknown time zone.") from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            report_range = report_range_resolve(
                date_from=attrs.get("date_from"),
                date_to=attrs.get("date_to"),
                zone=attrs.get("tz"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return {
            **attrs,
            "date_from": report_range.date_from,
            "date_to": report_range.date_to,
            "tz": report_range.zone,
        }


class ReportPeriodInputSerializer(ReportRangeInputSerializer):
    period = serializers.ChoiceField(
        choices=ReportPeriod.choices, default=ReportPeriod.DAY
    )


class ReportTopItemsInputSerializer(ReportRangeInputSerializer):
    kind = serializers.ChoiceField(
        choices=[("product", "Products"), ("package", "Packages")], default="product"
    )
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class ReportLowStockInputSerializer(serializers.Serializer[Any]):
    threshold = serializers.IntegerField(
        min_value=0, max_value=DATABASE_INTEGER_MAX, default=5
    )
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


CURRENCY_HELP = "ISO 4217 code of the amounts in the row (the shop's currency)."
PLACED_HELP = "Orders placed (cancelled ones excepted), paid or not."
PAID_ORDERS_HELP = "Of those, the paid (captured) ones."
REVENUE_HELP = "The totals of paid (captured) orders only."


class SalesRowOutputSerializer(serializers.Serializer[Any]):
    period_start = serializers.DateField()
    orders = serializers.IntegerField(help_text=PLACED_HELP)
    paid_orders = serializers.IntegerField(help_text=PAID_ORDERS_HELP)
    revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=REVENUE_HELP
    )
    currency = serializers.CharField(help_text=CURRENCY_HELP)


class TopItemRowOutputSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    item_id = serializers.IntegerField()
    name = serializers.CharField()
    sku = serializers.CharField()
    units = serializers.IntegerField(
        help_text="Units in orders placed (cancelled ones excepted), paid or not."
    )
    revenue = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="The line totals of paid (captured) orders only.",
    )
    currency = serializers.CharField(help_text=CURRENCY_HELP)


class LowStockRowOutputSerializer(serializers.Serializer[Any]):
    product_id = serializers.IntegerField()
    title = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    units_sold = serializers.IntegerField()
    live = serializers.BooleanField()


class StatusRowOutputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    orders = serializers.IntegerField()
    total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="The totals of these orders, paid or not (not revenue).",
    )
    currency = serializers.CharField(help_text=CURRENCY_HELP)


class CustomersRowOutputSerializer(serializers.Serializer[Any]):
    period_start = serializers.DateField()
    customers = serializers.IntegerField()


class OrderValueOutputSerializer(serializers.Serializer[Any]):
    orders = serializers.IntegerField(help_text=PLACED_HELP)
    paid_orders = serializers.IntegerField(help_text=PAID_ORDERS_HELP)
    revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=REVENUE_HELP
    )
    average_order_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Revenue per paid order."
    )
    currency = serializers.CharField(help_text=CURRENCY_HELP)


class OverviewOutputSerializer(serializers.Serializer[Any]):
    customers_total = serializers.IntegerField(
        help_text="Customer accounts now (staff not counted)."
    )
    customers_active = serializers.IntegerField(
        help_text="Customers who placed an order (not cancelled) in the range."
    )
    customers_new = serializers.IntegerField(
        help_text="Customer accounts created in the range."
    )
    products_live = serializers.IntegerField(
        help_text="Published, active products now."
    )
    packages_live = serializers.IntegerField(
        help_text="Published, active packages now."
    )
    offers_active = serializers.IntegerField(help_text="Offers running now.")
    orders = serializers.IntegerField(help_text=PLACED_HELP)
    paid_orders = serializers.IntegerField(help_text=PAID_ORDERS_HELP)
    revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=REVENUE_HELP
    )
    average_order_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Revenue per paid order."
    )
    vouchers_used = serializers.IntegerField(
        help_text="Orders placed in the range (not cancelled) that used a voucher."
    )
    rating_average = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        help_text="Average rating of all published reviews now; null without any.",
    )
    reviews_published = serializers.IntegerField(help_text="Published reviews now.")
    returns_requested = serializers.IntegerField(
        help_text="Return requests made in the range, whatever became of them."
    )
    returns_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text="Percent of the range's orders (not cancelled) with a return that "
        "was not rejected.",
    )
    currency = serializers.CharField(help_text=CURRENCY_HELP)


class ReportOutputSerializer(serializers.Serializer[Any]):
    """A report: the range it covers and its rows."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    tz = serializers.CharField(required=False)


class LogListFilterSerializer(serializers.Serializer[Any]):
    user = IdField(required=False)
    object_type = pattern_field(
        r"^[a-z_0-9]+\.[a-z_0-9]+$",
        expected="app_label.model in lower case",
        example="commerce.order",
        required=False,
    )
    action = serializers.CharField(required=False, max_length=255)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class LogEntryOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text='"page" or "model" (the Wagtail log table)')
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    label = serializers.CharField()
    action = serializers.CharField()
    timestamp = serializers.DateTimeField()
    user = serializers.IntegerField(allow_null=True)
    user_email = serializers.EmailField(allow_null=True)
    data = serializers.JSONField()


class ExportInputSerializer(serializers.Serializer[Any]):
    """The order list filters (for orders) and, for customers, a search."""

    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    payment_status = serializers.ChoiceField(
        choices=PaymentStatus.choices, required=False
    )
    customer = IdField(required=False)
    product = IdField(required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)
    search = serializers.CharField(required=False, max_length=100)
    sort = serializers.ChoiceField(choices=list(ORDER_SORTS), required=False)


class ExportJobOutputSerializer(serializers.ModelSerializer[ExportJob]):
    download_url = serializers.SerializerMethodField()
    export_format = serializers.ChoiceField(choices=ExportFormat.choices)
    # Declared: the model field's range differs between SQLite and PostgreSQL.
    row_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "export_format",
            "filters",
            "status",
            "row_count",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_download_url(self, job: ExportJob) -> str | None:
        if not job.file:
            return None
        return f"/api/admin/exports/jobs/{job.pk}/file"
