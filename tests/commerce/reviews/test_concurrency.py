"""Concurrent review changes: the rating counts every one, one review per customer
(PostgreSQL)."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from commerce.catalogue.models import ProductRating
from commerce.reviews.models import Review
from commerce.reviews.services import review_submit
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.review_factories import received_line_make

pytestmark = [
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite locks the file)",
    ),
]


def _together(calls: list[Callable[[], object]]) -> list[str]:
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
            result = "ok"
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_reviews_of_one_item_are_all_counted():
    # given
    rose = product_make(category_make())
    customers = [UserFactory() for _ in range(8)]
    for customer in customers:
        received_line_make(customer, rose)

    # when
    outcomes = _together(
        [
            lambda customer=customer, rating=1 + index % 5: review_submit(
                customer=customer, kind="product", item_id=rose.pk, rating=rating
            )
            for index, customer in enumerate(customers)
        ]
    )

    # then: ratings 1, 2, 3, 4, 5, 1, 2, 3 (sum 21)
    assert outcomes == ["ok"] * 8
    rating = ProductRating.objects.get(product=rose)
    assert (rating.count, rating.average) == (8, Decimal("2.63"))


def test_concurrent_posts_of_one_customer_keep_one_review():
    # given
    rose = product_make(category_make())
    customer = UserFactory()
    received_line_make(customer, rose)

    # when
    outcomes = _together(
        [
            lambda rating=rating: review_submit(
                customer=customer, kind="product", item_id=rose.pk, rating=rating
            )
            for rating in (2, 3, 4, 5)
        ]
    )

    # then
    assert outcomes == ["ok"] * 4
    review = Review.objects.get()
    rating = ProductRating.objects.get(product=rose)
    assert (rating.count, rating.average) == (1, review.rating)
