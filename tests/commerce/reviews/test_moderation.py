"""Moderation: managers and administrators hide and publish reviews, in the API and admin."""

import pytest
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from commerce.catalogue.models import PackageRating, ProductRating
from commerce.enums import ReviewStatus, UserRole
from commerce.reviews.models import Review
from commerce.reviews.services import review_status_set
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.review_factories import review_make

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "customer", "manager", "administrator")


@pytest.fixture
def reviews():
    """Demo-like data: product and package reviews, published and hidden."""
    category = category_make()
    rose = product_make(category, title="Red rose")
    bouquet = package_make(category, [(rose, 3)], title="Rose bouquet")
    ada = UserFactory(email="ada@example.com", name="Ada Byron")
    grace = UserFactory(email="grace@example.com", name="Grace Hopper")
    return {
        "rose": rose,
        "bouquet": bouquet,
        "published": review_make(ada, rose, 5, title="Lovely", text="Fresh."),
        "hidden": _hidden(review_make(grace, rose, 1, title="Spam", text="Buy now")),
        "package": review_make(ada, bouquet, 4, title="Nice bouquet"),
    }


def _hidden(review):
    review_status_set(
        review_id=review.pk,
        status=ReviewStatus.HIDDEN,
        actor=UserFactory(role=UserRole.MANAGER),
    )
    review.refresh_from_db()
    return review


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/admin/reviews", (401, 403, 200, 200)),
        ("post", "/api/admin/reviews/{published}/hide", (401, 403, 200, 200)),
        ("post", "/api/admin/reviews/{hidden}/publish", (401, 403, 200, 200)),
        ("get", "/api/products/{rose}/reviews", (200, 200, 200, 200)),
        ("get", "/api/packages/{bouquet}/reviews", (200, 200, 200, 200)),
        # Nobody here received the rose.
        ("post", "/api/products/{rose}/reviews", (401, 403, 403, 403)),
        ("post", "/api/packages/{bouquet}/reviews", (401, 403, 403, 403)),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_permission_matrix(
    persona_client, reviews, method, path, expected, persona_index
):
    # given
    client, _user = persona_client(PERSONAS[persona_index])
    path = path.format(**{name: value.pk for name, value in reviews.items()})
    before = sorted(Review.objects.values_list("pk", "status", "rating"))

    # when
    body = {"rating": 5} if method == "post" else None
    response = getattr(client, method)(path, body, format="json")

    # then
    assert response.status_code == expected[persona_index], response.content
    if response.status_code >= 400:
        assert sorted(Review.objects.values_list("pk", "status", "rating")) == before


def test_a_manager_hides_a_review_logged_and_uncounted(manager, reviews):
    # given
    review = reviews["published"]

    # when
    response = client_for(manager).post(f"/api/admin/reviews/{review.pk}/hide")

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "hidden"
    assert body["item"] == {
        "kind": "product",
        "id": reviews["rose"].pk,
        "name": "Red rose",
    }
    assert body["customer"] == {
        "id": review.customer.pk,
        "email": "ada@example.com",
        "name": "Ada Byron",
    }
    entry = ModelLogEntry.objects.get(action="commerce.review.hide", user=manager)
    assert entry.object_id == str(review.pk)
    assert entry.data == {"from_status": "published", "to_status": "hidden"}
    rating = ProductRating.objects.get(product=reviews["rose"])
    assert (rating.average, rating.count) == (None, 0)


def test_an_administrator_publishes_a_hidden_review_again(administrator, reviews):
    review = reviews["hidden"]

    response = client_for(administrator).post(f"/api/admin/reviews/{review.pk}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert (
        ModelLogEntry.objects.filter(
            action="commerce.review.publish", user=administrator
        ).count()
        == 1
    )
    rating = ProductRating.objects.get(product=reviews["rose"])
    assert (str(rating.average), rating.count) == ("3.00", 2)


def test_hiding_twice_changes_and_logs_nothing_more(manager, reviews):
    review = reviews["hidden"]
    logged = ModelLogEntry.objects.filter(action="commerce.review.hide").count()

    response = client_for(manager).post(f"/api/admin/reviews/{review.pk}/hide")

    assert response.status_code == 200
    assert ModelLogEntry.objects.filter(action="commerce.review.hide").count() == logged


def test_an_unknown_review_is_404(manager):
    assert client_for(manager).post("/api/admin/reviews/999999/hide").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["package", "hidden", "published"]),
        ({"status": "hidden"}, ["hidden"]),
        ({"status": "published"}, ["package", "published"]),
        ({"rating": 5}, ["published"]),
    ],
    ids=["all_case", "hidden_case", "published_case", "rating_case"],
)
def test_staff_list_filters_by_status_and_rating(manager, reviews, params, expected):
    response = client_for(manager).get("/api/admin/reviews", params)

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [
        reviews[name].pk for name in expected
    ]


def test_staff_list_filters_by_item(manager, reviews):
    client = client_for(manager)

    by_product = client.get("/api/admin/reviews", {"product": reviews["rose"].pk})
    by_package = client.get("/api/admin/reviews", {"package": reviews["bouquet"].pk})

    assert [r["id"] for r in by_product.json()["results"]] == [
        reviews["hidden"].pk,
        reviews["published"].pk,
    ]
    assert [r["id"] for r in by_package.json()["results"]] == [reviews["package"].pk]


@pytest.mark.parametrize(
    "params",
    [{"status": "deleted"}, {"rating": 6}, {"product": "rose"}, {"sort": "new"}],
    ids=["status_case", "rating_case", "product_case", "unknown_case"],
)
def test_staff_list_bad_filters_are_400(manager, reviews, params):
    response = client_for(manager).get("/api/admin/reviews", params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)


# ADMIN


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_the_admin_pages_answer_for_every_kind_of_review(client, reviews, role):
    # given
    client.force_login(UserFactory(role=role))

    # when
    index = client.get("/admin/shop/reviews/")
    filtered = client.get("/admin/shop/reviews/", {"status": "hidden", "rating": 1})
    pages = [
        client.get(f"/admin/shop/reviews/{action}/{reviews[name].pk}/")
        for name in ("published", "hidden", "package")
        for action in ("edit", "inspect")
    ]

    # then
    assert index.status_code == 200
    content = index.content.decode()
    for title in ("Lovely", "Spam", "Nice bouquet", "Rose bouquet (package)"):
        assert title in content
    assert filtered.status_code == 200
    assert "Spam" in filtered.content.decode()
    assert "Lovely" not in filtered.content.decode()
    assert [page.status_code for page in pages] == [200] * 6


def test_customers_do_not_get_the_admin_pages(client, reviews):
    client.force_login(UserFactory(role=UserRole.CUSTOMER))

    response = client.get("/admin/shop/reviews/")

    assert response.status_code == 302


def test_the_admin_edit_changes_only_the_status_through_the_service(client, reviews):
    # given
    manager = UserFactory(role=UserRole.MANAGER)
    client.force_login(manager)
    review = reviews["package"]

    # when: the read-only fields sent along are ignored
    response = client.post(
        f"/admin/shop/reviews/edit/{review.pk}/",
        {"status": "hidden", "rating": 1, "text": "Changed"},
    )

    # then
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.rating, review.text) == ("hidden", 4, "")
    assert ModelLogEntry.objects.filter(
        action="commerce.review.hide", user=manager, object_id=str(review.pk)
    ).exists()
    assert not ModelLogEntry.objects.filter(
        action="wagtail.edit", object_id=str(review.pk)
    ).exists()
    rating = PackageRating.objects.get(package=reviews["bouquet"])
    assert (rating.average, rating.count) == (None, 0)


def test_the_admin_cannot_add_or_delete_reviews(client, reviews):
    client.force_login(UserFactory(role=UserRole.ADMINISTRATOR))

    assert client.get("/admin/shop/reviews/new/").status_code == 302
    assert (
        client.get(f"/admin/shop/reviews/delete/{reviews['published'].pk}/").status_code
        == 302
    )
    assert APIClient().get("/api/admin/reviews").status_code == 401
