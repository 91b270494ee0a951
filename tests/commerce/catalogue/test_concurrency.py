"""Concurrent catalogue edits through the API never deadlock or break the tree (PostgreSQL)."""

import random
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from wagtail.models import Page

from commerce.catalogue.models import CategoryPage, ProductPage
from commerce.enums import UserRole
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

WORKERS = 12
EDITS_PER_WORKER = 10


@pytest.mark.usefixtures("committed_db")
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and deadlocks need PostgreSQL (SQLite locks the file)",
)
def test_concurrent_mixed_edits_of_one_category_never_fail():
    # given: a category with products, and two places it can move to
    target = category_make("Target")
    homes = [category_make("Left"), category_make("Right")]
    products = [
        product_make(target, title=f"Item {n}", price="5.00", stock=3) for n in range(4)
    ]
    managers = [
        UserFactory(email=f"editor-{n}@example.com", role=UserRole.MANAGER)
        for n in range(WORKERS)
    ]
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def edit(worker: int, client) -> None:
        chooser = random.Random(worker)
        start.wait()
        try:
            for step in range(EDITS_PER_WORKER):
                kind = (worker + step) % 4
                if kind == 0:
                    response = client.patch(
                        f"/api/categories/{target.pk}",
                        {"name": f"Target {worker}-{step}"},
                        format="json",
                    )
                elif kind == 1:
                    home = chooser.choice([*homes, None])
                    response = client.patch(
                        f"/api/categories/{target.pk}",
                        {"parent": home.pk if home else None},
                        format="json",
                    )
                elif kind == 2:
                    response = client.post(
                        "/api/categories",
                        {"name": f"Child {worker}-{step}", "parent": target.pk},
                        format="json",
                    )
                else:
                    product = chooser.choice(products)
                    response = client.patch(
                        f"/api/products/{product.pk}",
                        {"price": f"{5 + step}.00", "stock_quantity": worker + step},
                        format="json",
                    )
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code >= 300:
                        failures.append(f"{response.status_code} {response.content!r}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            with lock:
                failures.append(repr(error))
        finally:
            connections.close_all()

    clients = [client_for(manager) for manager in managers]

    # when
    threads = [
        threading.Thread(target=edit, args=(n, clients[n])) for n in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    # then
    assert failures == []
    assert sum(statuses.values()) == WORKERS * EDITS_PER_WORKER
    assert set(statuses) <= {200, 201}
    target.refresh_from_db()
    assert CategoryPage.objects.child_of(target).count() == statuses[201]
    assert Page.find_problems() == ([], [], [], [], [])
    assert ProductPage.objects.child_of(target).count() == len(products)
