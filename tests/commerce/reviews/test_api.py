"""Reviews API: only what was received, 1–5, one per customer per item, paginated lists."""

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductRating
from commerce.enums import OrderStatus, ReviewStatus
from commerce.reviews.models import Review
from commerce.reviews.services import review_status_set
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.review_factories import received_line_make, review_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def rose():
    return product_make(category_make("Flowers"), title="Red rose", slug="red-rose")


def test_a_customer_who_received_a_product_reviews_it(customer, rose):
    # given
    customer.name = "Ada Byron King"
    customer.save()
    line = received_line_make(customer, rose)

    # when
    with time_machine.travel(datetime(2026, 5, 4, 10, 12, tzinfo=UTC), tick=False):
        response = client_for(customer).post(
            f"/api/products/{rose.pk}/reviews",
            {"rating": 4, "title": "Lovely", "text": "Lasted two weeks."},
            format="json",
        )

    # then
    assert response.status_code == 201, response.content
    review = Review.objects.get()
    assert response.json() == {
        "id": review.pk,
        "rating": 4,
        "title": "Lovely",
        "text": "Lasted two weeks.",
        "author": "Ada K.",
        "status": "published",
        "created_at": "2026-05-04T10:12:00Z",
        "updated_at": "2026-05-04T10:12:00Z",
    }
    assert (review.customer, review.product, review.package) == (customer, rose, None)
    assert review.order_line == line
    detail = APIClient().get(f"/api/products/{rose.pk}").json()
    assert (detail["rating_average"], detail["rating_count"]) == ("4.00", 1)


@pytest.mark.parametrize(
    ("order_status", "whose"),
    [
        (None, "own"),
        (OrderStatus.PENDING, "own"),
        (OrderStatus.PROCESSING, "own"),
        (OrderStatus.SHIPPED, "own"),
        (OrderStatus.CANCELLED, "own"),
        (OrderStatus.DELIVERED, "another customer's"),
    ],
    ids=[
        "no_order_case",
        "pending_case",
        "processing_case",
        "shipped_case",
        "cancelled_case",
        "other_customer_case",
    ],
)
def test_an_item_not_received_cannot_be_reviewed(
    customer, other_customer, rose, order_status, whose
):
    # given
    if order_status is not None:
        owner = customer if whose == "own" else other_customer
        received_line_make(owner, rose, status=order_status)

    # when
    response = client_for(customer).post(
        f"/api/products/{rose.pk}/reviews", {"rating": 5}, format="json"
    )

    # then
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "item_not_received"
    assert body["errors"] == {
        "item": [
            "Only customers who received this item (an order of it was delivered) "
            "can review it."
        ]
    }
    assert not Review.objects.exists()
    assert not ProductRating.objects.exists()


def test_a_delivered_package_is_not_a_received_component(customer, rose):
    # given: the rose came inside a package, not on its own
    bouquet = package_make(category_make(), [(rose, 3)])
    received_line_make(customer, bouquet)

    # when
    response = client_for(customer).post(
        f"/api/products/{rose.pk}/reviews", {"rating": 5}, format="json"
    )

    # then
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"rating": 0},
            {"rating": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"rating": 6}, {"rating": ["Ensure this value is less than or equal to 5."]}),
        (
            {"rating": -3},
            {"rating": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"rating": 2.5}, {"rating": ["A valid integer is required."]}),
        ({"rating": "five"}, {"rating": ["A valid integer is required."]}),
        ({"rating": None}, {"rating": ["This field may not be null."]}),
        ({}, {"rating": ["This field is required."]}),
        (
            {"rating": 3, "title": "x" * 121},
            {"title": ["Ensure this field has no more than 120 characters."]},
        ),
    ],
    ids=[
        "zero_case",
        "six_case",
        "negative_case",
        "fraction_case",
        "text_case",
        "null_case",
        "missing_case",
        "long_title_case",
    ],
)
def test_bad_input_is_400_with_field_errors(customer, rose, body, errors):
    # given
    received_line_make(customer, rose)

    # when
    response = client_for(customer).post(
        f"/api/products/{rose.pk}/reviews", body, format="json"
    )

    # then
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == errors
    assert not Review.objects.exists()


def test_a_second_post_edits_the_one_review(customer, rose):
    # given
    first = review_make(customer, rose, 2, title="Wilted", text="Too early.")
    received_line_make(customer, rose)  # a second delivered order changes nothing

    # when
    response = client_for(customer).post(
        f"/api/products/{rose.pk}/reviews",
        {"rating": 5, "title": "Better", "text": "The second lasted."},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    review = Review.objects.get()
    assert review.pk == first.pk == response.json()["id"]
    assert (review.rating, review.title, review.text) == (
        5,
        "Better",
        "The second lasted.",
    )
    rating = ProductRating.objects.get(product=rose)
    assert (str(rating.average), rating.count) == ("5.00", 1)


def test_editing_a_hidden_review_keeps_it_hidden(customer, manager, rose):
    # given
    review = review_make(customer, rose, 1, text="Rude words")
    review_status_set(review_id=review.pk, status=ReviewStatus.HIDDEN, actor=manager)

    # when
    response = client_for(customer).post(
        f"/api/products/{rose.pk}/reviews", {"rating": 2}, format="json"
    )

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "hidden"
    assert ProductRating.objects.get(product=rose).count == 0


def test_anonymous_callers_cannot_review(rose):
    response = APIClient().post(
        f"/api/products/{rose.pk}/reviews", {"rating": 5}, format="json"
    )

    assert response.status_code == 401
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/api/products/999999/reviews", "/api/products/no-such-slug/reviews"],
    ids=["id_case", "slug_case"],
)
def test_an_unknown_item_is_404(customer, path):
    assert (
        client_for(customer).post(path, {"rating": 5}, format="json").status_code == 404
    )
    assert APIClient().get(path).status_code == 404


def test_the_list_is_paginated_published_only_and_newest_first(manager, rose):
    # given
    authors = [UserFactory(name=name) for name in ("Ada B", "Grace H", "Alan T")]
    reviews = []
    for day, author in enumerate(authors, start=1):
        with time_machine.travel(datetime(2026, 3, day, tzinfo=UTC), tick=False):
            reviews.append(review_make(author, rose, day + 2, title=f"Day {day}"))
    review_status_set(
        review_id=reviews[1].pk, status=ReviewStatus.HIDDEN, actor=manager
    )
    client = APIClient()

    # when
    first = client.get(f"/api/products/{rose.pk}/reviews", {"page_size": 1})
    second = client.get(first.json()["next"])
    by_slug = client.get("/api/products/red-rose/reviews")

    # then
    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["total_pages"], body["page_size"]) == (2, 2, 1)
    assert [r["title"] for r in body["results"]] == ["Day 3"]
    assert body["results"][0]["author"] == "Alan T."
    assert [r["title"] for r in second.json()["results"]] == ["Day 1"]
    assert second.json()["next"] is None
    assert [r["title"] for r in by_slug.json()["results"]] == ["Day 3", "Day 1"]


def test_the_list_refuses_unknown_parameters(rose):
    response = APIClient().get(f"/api/products/{rose.pk}/reviews", {"sort": "best"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sort"]


def test_an_unpublished_product_shows_no_reviews_to_the_public(customer, rose):
    # given
    review_make(customer, rose, 5)
    rose.unpublish()

    # then
    assert APIClient().get(f"/api/products/{rose.pk}/reviews").status_code == 404


def test_a_package_is_reviewed_and_listed_like_a_product(customer, rose):
    # given
    bouquet = package_make(category_make(), [(rose, 3)], title="Rose bouquet")
    received_line_make(customer, bouquet)
    client = client_for(customer)

    # when
    created = client.post(
        f"/api/packages/{bouquet.pk}/reviews", {"rating": 3}, format="json"
    )
    listed = APIClient().get(f"/api/packages/{bouquet.pk}/reviews")
    detail = APIClient().get(f"/api/packages/{bouquet.pk}").json()

    # then
    assert created.status_code == 201, created.content
    review = Review.objects.get()
    assert (review.package, review.product) == (bouquet, None)
    assert [r["id"] for r in listed.json()["results"]] == [review.pk]
    assert (detail["rating_average"], detail["rating_count"]) == ("3.00", 1)
    product = APIClient().get(f"/api/products/{rose.pk}").json()
    assert (product["rating_average"], product["rating_count"]) == (None, 0)
    assert APIClient().get(f"/api/products/{rose.pk}/reviews").json()["count"] == 0


@pytest.mark.parametrize("lookup", ["³", "١٢", "0x1", "9" * 30])
@pytest.mark.parametrize("kind", ["products", "packages"])
def test_a_lookup_that_is_no_id_nor_slug_is_not_found(customer, kind, lookup):
    # Unicode digits ("³" is a digit to str.isdigit, not to int) and huge numbers.
    listed = APIClient().get(f"/api/{kind}/{lookup}/reviews")
    posted = client_for(customer).post(
        f"/api/{kind}/{lookup}/reviews", {"rating": 5, "text": "x"}, format="json"
    )
    detail = APIClient().get(f"/api/{kind}/{lookup}")

    assert (listed.status_code, posted.status_code, detail.status_code) == (
        404,
        404,
        404,
    )
