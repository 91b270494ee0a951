"""A guest's order (no customer) in every staff view: admin, API, exports, reports."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.utils import timezone

from commerce.enums import OrderStatus
from tests.commerce.factories import OrderFactory, OrderLineFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

ORDERS_URL = "/admin/commerce/order/"


@pytest.fixture
def guest_order():
    order = OrderFactory(
        guest=True,
        contact_email="guest@example.com",
        status=OrderStatus.SHIPPED,
        paid=True,
        subtotal=Decimal("24.00"),
        tracking_number="1Z999",
    )
    OrderLineFactory(
        order=order, name="Poster", unit_price=Decimal("12.00"), quantity=2
    )
    return order


@pytest.fixture
def staff_client(client, manager):
    client.force_login(manager)
    return client


def test_the_admin_lists_and_shows_a_guest_order(staff_client, guest_order):
    listing = staff_client.get(ORDERS_URL)
    filtered = staff_client.get(ORDERS_URL, {"q": "guest@example.com"})
    inspect = staff_client.get(f"{ORDERS_URL}inspect/{guest_order.pk}/")

    assert listing.status_code == filtered.status_code == inspect.status_code == 200
    assert guest_order.number in listing.content.decode()
    assert guest_order.number in filtered.content.decode()
    page = inspect.content.decode()
    assert "<dt>Customer</dt><dd>Guest</dd>" in page
    assert "guest@example.com" in page
    assert 'data-transition="delivered"' in page


def test_the_dashboard_names_a_guest_by_the_contact_address(staff_client, guest_order):
    page = staff_client.get("/admin/").content.decode()

    table = page.split("data-latest-orders")[1].split("</table>")[0]
    assert guest_order.number in table
    assert "<td>guest@example.com (guest)</td>" in table


def test_staff_read_a_guest_order_through_the_api(manager, guest_order):
    response = client_for(manager).get(f"/api/orders/{guest_order.pk}")

    assert response.status_code == 200
    assert (response.json()["customer"], response.json()["contact_email"]) == (
        None,
        "guest@example.com",
    )


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_a_guest_order_exports(manager, guest_order, export_format):
    response = client_for(manager).get(
        "/api/admin/exports/orders", {"format": export_format}
    )

    assert response.status_code == 200
    if export_format == "csv":
        text = b"".join(response.streaming_content).decode()
        (row,) = list(csv.DictReader(StringIO(text)))
        assert (row["order_number"], row["customer_email"], row["contact_email"]) == (
            guest_order.number,
            "",
            "guest@example.com",
        )


def test_the_admin_list_exports_a_guest_order(staff_client, guest_order):
    response = staff_client.get(ORDERS_URL, {"export": "csv"})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert guest_order.number in text


def test_a_paid_guest_order_counts_in_the_reports(manager, guest_order):
    today = timezone.localdate().isoformat()

    sales = client_for(manager).get(
        "/api/admin/reports/sales", {"date_from": today, "date_to": today}
    )
    customers = client_for(manager).get(
        "/api/admin/exports/customers", {"format": "csv"}
    )

    assert sales.status_code == 200
    (row,) = sales.json()["results"]
    assert (row["orders"], row["paid_orders"], row["revenue"]) == (1, 1, "24.00")
    assert customers.status_code == 200
