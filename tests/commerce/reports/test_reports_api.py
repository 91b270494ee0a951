"""Report figures against a hand-computed history, time zones, formats and roles."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import timezone

from commerce.catalogue.models import ProductStock
from commerce.enums import OrderStatus, PaymentStatus
from commerce.reports.selectors.reports import ReportRange, report_order_value
from tests.commerce.factories import OrderFactory
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import shop_history

pytestmark = pytest.mark.django_db

BASE = "/api/admin/reports"


@pytest.fixture
def history():
    return shop_history()


@pytest.fixture
def staff(manager):
    return client_for(manager)


def _get(client, path, **params):
    response = client.get(f"{BASE}/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("tz", "expected", "_case"),
    [
        ("UTC", [("2026-03-01", 2, 1, "35.00"), ("2026-03-02", 0, 0, "0.00")], "utc"),
        (
            "Europe/Berlin",
            [("2026-03-01", 2, 1, "8.00"), ("2026-03-02", 1, 1, "35.00")],
            "berlin_shifts_late_and_early_orders",
        ),
    ],
)
def test_sales_per_day_follow_the_time_zone(history, staff, tz, expected, _case):
    # when
    body = _get(staff, "sales", date_from="2026-03-01", date_to="2026-03-02", tz=tz)

    # then
    assert body["tz"] == tz
    assert body["revenue_basis"] == "paid"
    assert [
        (r["period_start"], r["orders"], r["paid_orders"], r["revenue"])
        for r in body["results"]
    ] == expected


def test_date_to_is_inclusive_and_ends_at_midnight_of_the_zone(history, staff):
    body = _get(
        staff, "sales", date_from="2026-03-01", date_to="2026-03-01", tz="Europe/Berlin"
    )

    # o2 (23:30 UTC on 1 March) is 2 March in Berlin; o5 (23:59 UTC on 28 Feb) is 1 March.
    assert body["results"] == [
        {
            "period_start": "2026-03-01",
            "orders": 2,
            "paid_orders": 1,
            "revenue": "8.00",
            "currency": "EUR",
        }
    ]


def test_sales_per_week_start_on_monday_and_skip_cancelled(history, staff):
    body = _get(
        staff,
        "sales",
        date_from="2026-03-01",
        date_to="2026-03-10",
        tz="UTC",
        period="week",
    )

    assert [
        (r["period_start"], r["orders"], r["revenue"]) for r in body["results"]
    ] == [
        ("2026-02-23", 2, "35.00"),
        ("2026-03-02", 0, "0.00"),
        # o4 is placed but only authorized (cash on delivery): no revenue yet.
        ("2026-03-09", 1, "0.00"),
    ]


def test_sales_per_month(history, staff):
    body = _get(
        staff,
        "sales",
        date_from="2026-02-01",
        date_to="2026-03-31",
        tz="UTC",
        period="month",
    )

    assert [
        (r["period_start"], r["orders"], r["revenue"]) for r in body["results"]
    ] == [
        ("2026-02-01", 1, "8.00"),
        ("2026-03-01", 3, "35.00"),
    ]


def test_average_order_value(history, staff):
    body = _get(
        staff, "order-value", date_from="2026-03-01", date_to="2026-03-31", tz="UTC"
    )

    assert body["revenue_basis"] == "paid"
    assert body["results"] == [
        {
            "orders": 3,
            "paid_orders": 1,
            "revenue": "35.00",
            "average_order_value": "35.00",
            "currency": "EUR",
        }
    ]


def test_orders_by_status_lists_every_status(history, staff):
    body = _get(
        staff,
        "orders-by-status",
        date_from="2026-03-01",
        date_to="2026-03-31",
        tz="UTC",
    )

    assert [(r["status"], r["orders"], r["total"]) for r in body["results"]] == [
        ("pending", 1, "20.00"),
        ("under_review", 0, "0.00"),
        ("processing", 1, "12.00"),
        ("shipped", 0, "0.00"),
        ("delivered", 1, "35.00"),
        ("cancelled", 1, "50.00"),
        ("return_requested", 0, "0.00"),
        ("returned", 0, "0.00"),
        ("completed", 0, "0.00"),
    ]


def test_top_products_and_packages(history, staff):
    products = _get(
        staff, "top-items", date_from="2026-02-01", date_to="2026-03-31", tz="UTC"
    )
    packages = _get(
        staff,
        "top-items",
        date_from="2026-02-01",
        date_to="2026-03-31",
        tz="UTC",
        kind="package",
    )

    # Units of every order but cancelled ones; revenue of the paid ones only.
    assert products["revenue_basis"] == "paid"
    assert [(r["name"], r["units"], r["revenue"]) for r in products["results"]] == [
        ("Pen", 5, "8.00"),
        ("Mug", 3, "10.00"),
    ]
    assert [(r["name"], r["units"], r["revenue"]) for r in packages["results"]] == [
        ("Box", 1, "25.00")
    ]


def test_low_stock(history, staff):
    body = _get(staff, "low-stock", threshold=5)

    assert [(r["title"], r["quantity"]) for r in body["results"]] == [("Mug", 2)]


def test_low_stock_uses_a_products_own_threshold_first(history, staff):
    # the pen (40 units) is low by its own threshold; the mug (2) is not, by its own 1
    ProductStock.objects.filter(product=history["pen"]).update(low_stock_threshold=50)
    ProductStock.objects.filter(product=history["mug"]).update(low_stock_threshold=1)

    body = _get(staff, "low-stock", threshold=5)

    assert [(r["title"], r["quantity"]) for r in body["results"]] == [("Pen", 40)]


@pytest.mark.parametrize(
    ("tz", "expected", "_case"),
    [("UTC", [1, 0, 1], "utc"), ("Europe/Berlin", [0, 1, 1], "berlin")],
)
def test_new_customers_per_day(history, staff, tz, expected, _case):
    body = _get(
        staff, "new-customers", date_from="2026-03-01", date_to="2026-03-03", tz=tz
    )

    assert [r["customers"] for r in body["results"]] == expected


def test_report_as_xlsx_and_csv(history, staff):
    params = {"date_from": "2026-03-01", "date_to": "2026-03-02", "tz": "UTC"}

    xlsx = staff.get(f"{BASE}/sales", {**params, "format": "xlsx"})
    csv = staff.get(f"{BASE}/sales", {**params, "format": "csv"})

    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(xlsx.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["period_start", "orders", "paid_orders", "revenue", "currency"],
        ["2026-03-01", 2, 1, "35.00", "EUR"],
        ["2026-03-02", 0, 0, "0.00", "EUR"],
    ]
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "period_start,orders,paid_orders,revenue,currency",
        "2026-03-01,2,1,35.00,EUR",
        "2026-03-02,0,0,0.00,EUR",
    ]


@pytest.mark.parametrize(
    ("params", "field", "_case"),
    [
        ({"tz": "Mars/Olympus"}, "tz", "unknown_zone"),
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_from", "reversed"),
        ({"date_from": "2020-01-01", "date_to": "2026-03-01"}, "date_from", "too_long"),
        ({"date_from": "yesterday"}, "date_from", "not_a_date"),
        ({"period": "hour"}, "period", "bad_period"),
        ({"format": "pdf"}, "format", "bad_format"),
    ],
)
def test_bad_input_is_400_naming_the_field(staff, params, field, _case):
    response = staff.get(f"{BASE}/sales", params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("customer", 403), ("manager", 200), ("administrator", 200)],
)
@pytest.mark.parametrize(
    "path",
    [
        "sales",
        "top-items",
        "low-stock",
        "orders-by-status",
        "new-customers",
        "order-value",
    ],
)
def test_reports_are_for_staff(persona_client, persona, status, path):
    client, _ = persona_client(persona)

    assert client.get(f"{BASE}/{path}").status_code == status


def test_report_query_count_does_not_grow_with_orders(
    history, staff, django_assert_num_queries
):
    # Token, user, group permissions, then one query for the report.
    with django_assert_num_queries(4):
        _get(staff, "top-items", date_from="2026-02-01", date_to="2026-03-31", tz="UTC")
    with django_assert_num_queries(4):
        _get(staff, "low-stock", threshold=100)


def test_revenue_is_decimal_exact(history):
    summary = report_order_value(
        report_range=ReportRange(date(2026, 2, 1), date(2026, 3, 31), ZoneInfo("UTC"))
    )

    # o2 and o5 are paid; o1 (unpaid) and o4 (authorized) are orders, not revenue.
    assert (summary.orders, summary.paid_orders) == (4, 2)
    assert summary.revenue == Decimal("43.00")
    assert summary.average_order_value == Decimal("21.50")


def test_revenue_counts_paid_orders_only(staff):
    # given: one order per payment state, all placed today and none cancelled
    OrderFactory(status=OrderStatus.DELIVERED, paid=True, subtotal=Decimal("10.00"))
    OrderFactory(status=OrderStatus.SHIPPED, authorized=True, subtotal=Decimal("20"))
    OrderFactory(status=OrderStatus.PENDING, subtotal=Decimal("40.00"))
    OrderFactory(
        status=OrderStatus.DELIVERED,
        payment_status=PaymentStatus.REFUNDED,
        subtotal=Decimal("80.00"),
    )
    today = timezone.localdate().isoformat()

    # when
    body = _get(staff, "order-value", date_from=today, date_to=today)

    # then: four orders, one of them paid, and only its money is revenue
    assert body["revenue_basis"] == "paid"
    assert body["results"] == [
        {
            "orders": 4,
            "paid_orders": 1,
            "revenue": "10.00",
            "average_order_value": "10.00",
            "currency": "EUR",
        }
    ]
