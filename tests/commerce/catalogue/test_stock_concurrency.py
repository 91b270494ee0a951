"""Stock changes under row locks: concurrent decrements never oversell (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from commerce.catalogue.models import ProductStock
from commerce.catalogue.services.stock import stock_adjust
from commerce.exceptions import InsufficientStockError
from tests.commerce.catalogue_factories import category_make, product_make


@pytest.mark.usefixtures("committed_db")
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite locks the file)",
)
def test_concurrent_single_unit_decrements_stop_at_zero():
    # given
    product = product_make(category_make(), stock=25)
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(40)

    def buy() -> None:
        start.wait()
        try:
            stock_adjust(product_id=product.pk, delta=-1)
            result = "ok"
        except InsufficientStockError:
            result = "sold out"
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    # when
    threads = [threading.Thread(target=buy) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then
    assert sorted(outcomes) == ["ok"] * 25 + ["sold out"] * 15
    assert ProductStock.objects.get(product=product).quantity == 0


@pytest.mark.django_db
@pytest.mark.django_db
def test_a_single_decrement_below_zero_is_refused():
    product = product_make(category_make(), stock=2)

    with pytest.raises(InsufficientStockError):
        stock_adjust(product_id=product.pk, delta=-3)

    assert ProductStock.objects.get(product=product).quantity == 2
