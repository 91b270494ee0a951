"""Catalogue navigation: breadcrumbs, categories with images and counts, slugs, pages."""

import pytest
from rest_framework.test import APIClient

from commerce.catalogue.services.categories import category_update
from tests.commerce.catalogue_factories import (
    category_make,
    image_create,
    package_make,
    product_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home = category_make("Home")
    kitchen = category_make("Kitchen", parent=home)
    garden = category_make("Garden")
    return {"home": home, "kitchen": kitchen, "garden": garden}


def _get(path, params=None):
    response = APIClient().get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def test_product_and_package_details_carry_breadcrumbs_from_the_top_category(tree):
    # given
    pan = product_make(tree["kitchen"], title="Pan")
    box = package_make(tree["kitchen"], [(pan, 1)], title="Pan box")

    # when
    product = _get(f"/api/products/{pan.pk}")
    package = _get(f"/api/packages/{box.slug}")

    # then
    expected = [
        {"id": tree["home"].pk, "name": "Home", "slug": "home"},
        {"id": tree["kitchen"].pk, "name": "Kitchen", "slug": "kitchen"},
    ]
    assert product["breadcrumbs"] == expected
    assert package["breadcrumbs"] == expected
    assert product["category"] == expected[-1]


def test_categories_carry_an_image_a_description_and_live_counts(tree):
    # given
    tree["home"].refresh_from_db()
    category_update(
        category=tree["home"],
        data={"description": "<p>For the home</p>", "image": image_create("home").pk},
        publish=True,
        user=None,
    )
    pan = product_make(tree["kitchen"])
    product_make(tree["home"])
    product_make(tree["kitchen"], publish=False)
    product_make(tree["kitchen"], is_active=False)
    package_make(tree["kitchen"], [(pan, 1)])

    # when
    listed = {item["slug"]: item for item in _get("/api/categories")["results"]}

    # then
    home, kitchen, garden = listed["home"], listed["kitchen"], listed["garden"]
    assert (home["product_count"], home["package_count"]) == (2, 1)
    assert (kitchen["product_count"], kitchen["package_count"]) == (1, 1)
    assert (garden["product_count"], garden["package_count"]) == (0, 0)
    assert home["description"] == "<p>For the home</p>"
    assert home["image"]["thumbnail"]["url"].startswith("http://testserver/media/")
    assert home["image"]["large"]["width"] == 60
    assert garden["image"] is None


def test_the_category_list_makes_the_same_queries_whatever_the_number_of_categories(
    django_assert_num_queries, settings
):
    settings.CATALOGUE_CACHE_TIMEOUT = 0
    top = category_make("Top")
    for _ in range(2):
        category_make(parent=top)
    APIClient().get("/api/categories")
    with django_assert_num_queries(5) as few:
        APIClient().get("/api/categories")
    for _ in range(6):
        product_make(category_make(parent=top))
    with django_assert_num_queries(len(few.captured_queries)):
        response = APIClient().get("/api/categories")
    assert response.json()["count"] == 9


@pytest.mark.parametrize("lookup", ["slug", "pk"], ids=["by_slug", "by_id"])
def test_a_category_is_fetched_by_slug_or_id(tree, lookup):
    product_make(tree["kitchen"])

    body = _get(f"/api/categories/{getattr(tree['kitchen'], lookup)}")

    assert (body["id"], body["slug"], body["product_count"]) == (
        tree["kitchen"].pk,
        "kitchen",
        1,
    )


def test_an_unknown_category_slug_answers_404_in_the_error_shape(tree):
    response = APIClient().get("/api/categories/no-such-category")

    assert response.status_code == 404
    body = response.json()
    assert (body["status"], body["code"]) == (404, "not_found")


@pytest.mark.parametrize("lookup", ["slug", "pk"], ids=["by_slug", "by_id"])
def test_the_category_filter_takes_a_slug_or_an_id(tree, lookup):
    # given
    pan = product_make(tree["kitchen"], title="Pan")
    product_make(tree["garden"], title="Hose")
    package_make(tree["kitchen"], [(pan, 1)], title="Pan box")

    # when
    value = getattr(tree["home"], lookup)
    products = _get("/api/products", {"category": value})
    packages = _get("/api/packages", {"category": value})

    # then
    assert [item["name"] for item in products["results"]] == ["Pan"]
    assert [item["name"] for item in packages["results"]] == ["Pan box"]


def test_an_unknown_category_slug_filters_to_nothing(tree):
    product_make(tree["kitchen"])

    assert _get("/api/products", {"category": "nowhere"})["results"] == []


def test_a_malformed_category_filter_says_what_to_give(tree):
    response = APIClient().get("/api/products", {"category": "a b"})

    assert response.status_code == 400
    assert response.json()["errors"]["category"] == [
        "Give a category id or slug, for example 12 or summer-dresses."
    ]


@pytest.mark.parametrize(
    ("params", "total_pages", "page_size"),
    [({"page_size": 2}, 3, 2), ({}, 1, 20), ({"page_size": 500}, 1, 100)],
    ids=["two_per_page", "default_size", "capped_size"],
)
def test_pages_carry_total_pages_and_the_page_size_in_use(
    tree, params, total_pages, page_size
):
    for _ in range(5):
        product_make(tree["garden"])

    body = _get("/api/products", params)

    assert (body["count"], body["total_pages"], body["page_size"]) == (
        5,
        total_pages,
        page_size,
    )
    assert list(body) == [
        "count",
        "next",
        "previous",
        "results",
        "total_pages",
        "page_size",
    ]
