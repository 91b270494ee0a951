"""Rating figures: maintained on every review change, sorted by, shown in both APIs."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductPage, ProductRating
from commerce.catalogue.services.sellables import product_update
from commerce.enums import ReviewStatus
from commerce.reviews.services import review_status_set, review_submit
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.review_factories import review_make

pytestmark = pytest.mark.django_db


def _figures(product):
    body = APIClient().get(f"/api/products/{product.pk}").json()
    return body["rating_average"], body["rating_count"]


def test_average_and_count_follow_create_edit_hide_and_publish(manager):
    # given
    rose = product_make(category_make())
    ada, grace, alan = (UserFactory() for _ in range(3))

    # when / then: created
    review_make(ada, rose, 5)
    review_make(grace, rose, 4)
    hidden = review_make(alan, rose, 2)
    assert _figures(rose) == ("3.67", 3)

    # edited: 2 -> 5
    review_submit(customer=alan, kind="product", item_id=rose.pk, rating=5)
    assert _figures(rose) == ("4.67", 3)

    # hidden
    review_status_set(review_id=hidden.pk, status=ReviewStatus.HIDDEN, actor=manager)
    assert _figures(rose) == ("4.50", 2)

    # published again
    review_status_set(review_id=hidden.pk, status=ReviewStatus.PUBLISHED, actor=manager)
    assert _figures(rose) == ("4.67", 3)
    rating = ProductRating.objects.get(product=rose)
    assert (str(rating.average), rating.count, rating.rank) == (
        "4.67",
        3,
        467_000_000_003,
    )


def test_hiding_the_only_review_leaves_no_average(manager):
    rose = product_make(category_make())
    review = review_make(UserFactory(), rose, 4)

    review_status_set(review_id=review.pk, status=ReviewStatus.HIDDEN, actor=manager)

    assert _figures(rose) == (None, 0)


def test_publishing_an_older_revision_leaves_the_rating_unchanged():
    # given: a revision saved before any review
    rose = product_make(category_make(), price="10.00")
    old_revision = rose.latest_revision
    review_make(UserFactory(), rose, 5)
    product_update(product=rose, data={"price": "12.00"}, publish=True, user=None)

    # when
    old_revision.publish()

    # then
    assert _figures(ProductPage.objects.get(pk=rose.pk)) == ("5.00", 1)


def _rated_catalogue():
    category = category_make()
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC)):
        unrated = product_make(category, title="Unrated")
        one_five = product_make(category, title="One five")
        two_fours = product_make(category, title="Four and five")
        three_fives = product_make(category, title="Three fives")
        older_five = product_make(category, title="Older five")
    # older_five was created last: at equal average and count it comes first (newest)
    users = [UserFactory() for _ in range(3)]
    review_make(users[0], one_five, 5)
    review_make(users[0], two_fours, 4)
    review_make(users[1], two_fours, 5)
    for user in users:
        review_make(user, three_fives, 5)
    review_make(users[2], older_five, 5)
    return unrated


def test_sort_by_rating_highest_first_then_count_then_newest():
    # given
    _rated_catalogue()

    # when
    response = APIClient().get("/api/products", {"sort": "rating"})

    # then
    assert response.status_code == 200, response.content
    assert [
        (p["name"], p["rating_average"], p["rating_count"])
        for p in response.json()["results"]
    ] == [
        ("Three fives", "5.00", 3),
        ("Older five", "5.00", 1),
        ("One five", "5.00", 1),
        ("Four and five", "4.50", 2),
        ("Unrated", None, 0),
    ]


def test_sort_by_rating_with_cursor_pages_lists_the_same_order():
    # given
    _rated_catalogue()
    client = APIClient()

    # when
    names = []
    response = client.get(
        "/api/products", {"sort": "rating", "pagination": "cursor", "page_size": 2}
    )
    while True:
        assert response.status_code == 200, response.content
        names += [p["name"] for p in response.json()["results"]]
        if response.json()["next"] is None:
            break
        response = client.get(response.json()["next"])

    # then
    assert names == [
        "Three fives",
        "Older five",
        "One five",
        "Four and five",
        "Unrated",
    ]


def test_packages_sort_by_rating():
    category = category_make()
    rose = product_make(category)
    low = package_make(category, [(rose, 1)], title="Low")
    high = package_make(category, [(rose, 2)], title="High")
    package_make(category, [(rose, 3)], title="None")
    review_make(UserFactory(), low, 2)
    review_make(UserFactory(), high, 4)

    response = APIClient().get("/api/packages", {"sort": "rating"})

    assert [p["name"] for p in response.json()["results"]] == ["High", "Low", "None"]


def _query_count(path, params):
    client = APIClient()
    client.get(path, params)  # warm renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


def test_product_list_query_count_stays_constant_with_ratings(settings):
    # given
    settings.CATALOGUE_CACHE_TIMEOUT = 0
    category = category_make()
    reviewer = UserFactory()
    for index in range(12):
        product = product_make(category, images=1, tags=["a"])
        if index % 3:
            review_make(reviewer, product, 1 + index % 5)

    # when
    small, small_rows = _query_count(
        "/api/products", {"page_size": 3, "sort": "rating"}
    )
    large, large_rows = _query_count(
        "/api/products", {"page_size": 12, "sort": "rating"}
    )

    # then
    assert (small_rows, large_rows) == (3, 12)
    assert 0 < large == small


def test_the_wagtail_api_shows_the_rating_fields():
    # given
    rose = product_make(category_make())
    review_make(UserFactory(), rose, 4)
    review_make(UserFactory(), rose, 3)

    # when
    detail = APIClient().get(f"/api/v2/pages/{rose.pk}/").json()
    listed = (
        APIClient()
        .get(
            "/api/v2/pages/",
            {"type": "commerce.ProductPage", "fields": "rating_average,rating_count"},
        )
        .json()
    )

    # then
    assert (detail["rating_average"], detail["rating_count"]) == ("3.50", 2)
    assert [(p["rating_average"], p["rating_count"]) for p in listed["items"]] == [
        ("3.50", 2)
    ]


def test_a_review_change_refreshes_the_cached_product(settings):
    # given: the product's detail and the list are cached
    settings.CATALOGUE_CACHE_TIMEOUT = 300
    rose = product_make(category_make())
    client = APIClient()
    assert client.get(f"/api/products/{rose.pk}").json()["rating_count"] == 0
    assert client.get("/api/products").json()["results"][0]["rating_count"] == 0

    # when
    review_make(UserFactory(), rose, 5)

    # then
    assert client.get(f"/api/products/{rose.pk}").json()["rating_count"] == 1
    assert client.get("/api/products").json()["results"][0]["rating_count"] == 1
