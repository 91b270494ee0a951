"""Benchmark: stream a CSV export of 10,000 orders (one line each) and report time and memory.

Run from the project root: ``.venv/bin/python benchmarks/export_orders.py [ORDERS]``.
It builds a throwaway SQLite database (or uses DATABASE_URL's server with a test
database), creates the orders in bulk, then consumes the same generator the API
streams (``GET /api/admin/exports/orders?format=csv``).
"""

import os
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main(count: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(count: int) -> None:
    from commerce.accounts.models import User
    from commerce.enums import ExportKind
    from commerce.orders.models import Order, OrderLine
    from commerce.reports.services.exports import csv_stream, export_source

    customer = User.objects.create_user("bench@example.com", None)
    Order.objects.bulk_create(
        Order(
            number=f"B-{n:08d}",
            customer=customer,
            contact_email=customer.email,
            subtotal=Decimal("12.50"),
            total=Decimal("12.50"),
        )
        for n in range(count)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order_id=pk,
            name="Mug",
            sku="MUG-1",
            unit_price=Decimal("12.50"),
            price_delta=Decimal("0.00"),
            quantity=1,
            line_total=Decimal("12.50"),
        )
        for pk in Order.objects.values_list("pk", flat=True)
    )

    source = export_source(kind=ExportKind.ORDERS, filters={})
    tracemalloc.start()
    started = time.perf_counter()
    size = lines = 0
    for chunk in csv_stream(headers=source.headers, rows=source.rows(source.queryset)):
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"orders: {count}, CSV lines: {lines}, bytes: {size}")  # noqa: T201
    print(f"time: {elapsed:.2f} s, peak memory: {peak / 1024 / 1024:.1f} MiB")  # noqa: T201


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
