"""Exports through the API: formats, filters, jobs for large files, who may download."""

import csv
import json
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from commerce.enums import ExportJobStatus
from commerce.orders.models import Order
from commerce.reports.models import ExportJob
from notify.models import OutboxMessage, OutboxStatus
from notify.outbox import outbox_message_process
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import shop_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    return shop_history()


def _rows(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    sheet = openpyxl.load_workbook(BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_orders_xlsx_has_one_row_per_line_with_the_order_columns(history, manager):
    # when
    response = client_for(manager).get(
        "/api/admin/exports/orders", {"format": "xlsx", "sort": "oldest"}
    )

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    rows = _rows(response)
    assert rows[0] == [
        "order_number", "created_at", "status", "payment_status", "customer_email",
        "contact_email", "currency", "order_subtotal", "order_total", "line_kind",
        "line_name", "line_sku", "quantity", "unit_price", "price_delta", "line_total",
        "customizations",
    ]  # fmt: skip
    body = [(r[0], r[2], r[4], r[9], r[10], r[12], r[15]) for r in rows[1:]]
    assert body == [
        (history["o5"].number, "shipped", "alice@example.com", "product", "Pen", 2, "8.00"),
        (history["o1"].number, "pending", "alice@example.com", "product", "Mug", 2, "20.00"),
        (history["o2"].number, "delivered", "alice@example.com", "package", "Box", 1, "25.00"),
        (history["o2"].number, "delivered", "alice@example.com", "product", "Mug", 1, "10.00"),
        (history["o3"].number, "cancelled", "bob@example.com", "product", "Mug", 5, "50.00"),
        (history["o4"].number, "processing", "bob@example.com", "product", "Pen", 3, "12.00"),
    ]  # fmt: skip


def test_orders_csv_streams_and_respects_the_filters(history, manager):
    response = client_for(manager).get(
        "/api/admin/exports/orders",
        {"format": "csv", "status": "delivered", "customer": history["alice"].pk},
    )

    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(StringIO(text)))
    assert [(r["order_number"], r["line_name"]) for r in rows] == [
        (history["o2"].number, "Box"),
        (history["o2"].number, "Mug"),
    ]


def test_a_guest_order_exports_with_an_empty_customer_email(manager):
    # given
    Order.objects.create(
        number="G-1",
        customer=None,
        contact_email="guest@example.com",
        subtotal=Decimal("8.00"),
        total=Decimal("8.00"),
    )

    # when
    response = client_for(manager).get("/api/admin/exports/orders", {"format": "csv"})

    # then
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    [row] = list(csv.DictReader(StringIO(text)))
    assert (row["order_number"], row["customer_email"], row["contact_email"]) == (
        "G-1",
        "",
        "guest@example.com",
    )


def test_products_and_packages_export_with_stock(history, manager):
    client = client_for(manager)

    products = _rows(client.get("/api/admin/exports/products", {"format": "xlsx"}))
    packages = client.get("/api/admin/exports/packages", {"format": "json"})

    assert products[0][3:5] == ["price", "currency"]
    assert [(r[1], r[3], r[4], r[8]) for r in products[1:]] == [
        ("Mug", "10.00", "EUR", 2),
        ("Pen", "4.00", "EUR", 40),
    ]
    assert packages["Content-Type"] == "application/json"
    [box] = json.loads(packages.content)
    # 2 mugs allow 2 boxes (1 mug each), 40 pens allow 20 (2 pens each).
    assert (
        box["title"],
        box["currency"],
        box["stock_quantity"],
        box["components"],
    ) == (
        "Box",
        "EUR",
        2,
        f"1 × {history['mug'].sku}; 2 × {history['pen'].sku}",
    )


def test_customers_export_counts_orders_and_spend_without_cancelled(history, manager):
    rows = _rows(
        client_for(manager).get("/api/admin/exports/customers", {"format": "xlsx"})
    )

    # Orders: every one but cancelled ones; spend: paid orders only (alice's o2 and
    # o5, not her unpaid o1; bob's o4 is only authorized, his o3 refunded).
    assert [(r[1], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("alice@example.com", 3, "43.00", "EUR"),
        ("bob@example.com", 1, "0.00", "EUR"),
    ]


def test_a_large_export_runs_as_a_job_only_its_requester_can_download(
    history, manager, settings, django_capture_on_commit_callbacks
):
    # given
    settings.EXPORT_SYNC_MAX_ROWS = 2
    other_manager = type(manager).objects.create_user("other@example.com", "x")
    other_manager.groups.set(manager.groups.all())

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).get(
            "/api/admin/exports/orders", {"format": "xlsx"}
        )

    # then
    assert response.status_code == 202
    job = ExportJob.objects.get()
    assert (job.status, job.row_count, job.requester) == (
        ExportJobStatus.DONE,
        6,
        manager,
    )
    [message] = mail.outbox
    assert message.to == ["manager@example.com"]
    assert f"/admin/shop/exports/jobs/{job.pk}/download/" in message.body
    file_url = f"/api/admin/exports/jobs/{job.pk}/file"
    mine = client_for(manager).get(file_url)
    assert mine.status_code == 200
    assert len(_rows(mine)) == 7
    assert client_for(other_manager).get(file_url).status_code == 404
    assert (
        client_for(other_manager).get(f"/api/admin/exports/jobs/{job.pk}").status_code
        == 404
    )


def test_the_export_ready_email_is_retried_when_the_mail_server_fails_once(
    history, manager, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given: the mail server refuses the first message it is given
    settings.EXPORT_SYNC_MAX_ROWS = 2
    send_messages = EmailBackend.send_messages
    calls = []

    def fails_once(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fails_once)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).get(
            "/api/admin/exports/orders", {"format": "xlsx"}
        )

    # then: the job is done, its email waits for a retry
    assert response.status_code == 202
    assert ExportJob.objects.get().status == ExportJobStatus.DONE
    assert mail.outbox == []
    message = OutboxMessage.objects.get(
        topic="notify.email", payload__to="manager@example.com"
    )
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in message.last_error

    # when: the retry is due
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        outbox_message_process(message_id=message.pk)

    # then
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.DELIVERED, 2)
    assert calls == [1, 1]
    [email] = mail.outbox
    assert email.to == ["manager@example.com"]
    assert email.subject == "Your orders with lines export is ready"
    assert f"/admin/shop/exports/jobs/{ExportJob.objects.get().pk}/download/" in (
        email.body
    )


@pytest.mark.parametrize(
    ("params", "field", "_case"),
    [
        ({"format": "pdf"}, "format", "bad_format"),
        ({"status": "lost"}, "status", "bad_status"),
        ({"created_from": "soon"}, "created_from", "bad_date"),
    ],
)
def test_bad_export_input_is_400(manager, params, field, _case):
    response = client_for(manager).get("/api/admin/exports/orders", params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_unknown_export_kind_is_400(manager):
    response = client_for(manager).get("/api/admin/exports/secrets")

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("customer", 403), ("manager", 200), ("administrator", 200)],
)
def test_exports_are_for_staff(persona_client, persona, status):
    client, _ = persona_client(persona)

    assert (
        client.get("/api/admin/exports/products", {"format": "xlsx"}).status_code
        == status
    )
