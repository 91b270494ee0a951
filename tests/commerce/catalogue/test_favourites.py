"""Favourites: /api/users/favourites and is_favourite on the shared catalogue reads."""

import pytest
from rest_framework.test import APIClient

from commerce.catalogue.models import Favourite
from commerce.catalogue.services.cards import cards_invalidate
from commerce.catalogue.services.favourites import favourite_add
from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import (
    brand_make,
    category_make,
    package_make,
    product_make,
)
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    category = category_make("Gifts")
    mug, cup = product_make(category, title="Mug"), product_make(category, title="Cup")
    box = package_make(category, [(mug, 1), (cup, 1)], title="Gift box")
    return {"mug": mug, "cup": cup, "box": box}


def _favourite_flags(body):
    return {item["name"]: item["is_favourite"] for item in body["results"]}


def test_a_customer_adds_a_product_and_a_package_idempotently(customer, items):
    client = client_for(customer)

    first = client.post(
        "/api/users/favourites", {"product": items["mug"].pk}, format="json"
    )
    again = client.post(
        "/api/users/favourites", {"product": items["mug"].pk}, format="json"
    )
    package = client.post(
        "/api/users/favourites", {"package": items["box"].pk}, format="json"
    )

    assert (first.status_code, again.status_code, package.status_code) == (
        201,
        200,
        201,
    )
    assert first.json()["kind"] == "product"
    assert first.json()["item"]["name"] == "Mug"
    assert first.json()["item"]["is_favourite"] is True
    assert package.json()["item"]["components"][0]["product"]["name"] == "Mug"
    assert Favourite.objects.filter(user=customer).count() == 2


def test_the_list_shows_the_callers_items_as_cards_newest_first(
    customer, other_customer, items
):
    favourite_add(user=customer, kind="product", item_id=items["mug"].pk)
    favourite_add(user=customer, kind="package", item_id=items["box"].pk)
    favourite_add(user=other_customer, kind="product", item_id=items["cup"].pk)

    body = client_for(customer).get("/api/users/favourites").json()

    assert body["count"] == 2
    assert [(f["kind"], f["item"]["name"]) for f in body["results"]] == [
        ("package", "Gift box"),
        ("product", "Mug"),
    ]
    assert all(f["item"]["is_favourite"] for f in body["results"])


def test_an_unpublished_favourite_is_kept_but_not_listed(customer, items):
    favourite_add(user=customer, kind="product", item_id=items["mug"].pk)
    favourite_add(user=customer, kind="product", item_id=items["cup"].pk)
    items["cup"].unpublish()

    body = client_for(customer).get("/api/users/favourites").json()

    assert [f["item"]["name"] for f in body["results"]] == ["Mug"]
    assert Favourite.objects.filter(user=customer).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "product"),
        ({"product": 1, "package": 1}, "product"),
        ({"product": "x"}, "product"),
        ({"product": 0}, "product"),
        ({"product": 10**30}, "product"),
        ({"product": 999999}, "product"),
        ({"package": 999999}, "package"),
    ],
    ids=[
        "neither_case",
        "both_case",
        "not_a_number_case",
        "zero_case",
        "huge_case",
        "unknown_product_case",
        "unknown_package_case",
    ],
)
def test_bad_input_is_a_400_naming_the_field(customer, items, body, field):
    response = client_for(customer).post("/api/users/favourites", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Favourite.objects.exists() is False


def test_an_unpublished_or_inactive_item_cannot_be_added(customer, items):
    items["mug"].unpublish()
    product_update(
        product=items["cup"], data={"is_active": False}, publish=True, user=None
    )
    client = client_for(customer)

    unpublished = client.post(
        "/api/users/favourites", {"product": items["mug"].pk}, format="json"
    )
    inactive = client.post(
        "/api/users/favourites", {"product": items["cup"].pk}, format="json"
    )

    assert (unpublished.status_code, inactive.status_code) == (400, 400)
    assert unpublished.json()["errors"]["product"] == [
        f"There is no product {items['mug'].pk} on sale."
    ]


def test_removing_is_idempotent_and_only_touches_the_callers_own(
    customer, other_customer, items
):
    favourite_add(user=customer, kind="product", item_id=items["mug"].pk)
    favourite_add(user=other_customer, kind="product", item_id=items["mug"].pk)
    client = client_for(customer)
    path = f"/api/users/favourites/product/{items['mug'].pk}"

    statuses = [client.delete(path).status_code, client.delete(path).status_code]

    assert statuses == [204, 204]
    assert client.delete("/api/users/favourites/product/" + "9" * 30).status_code == 204
    assert client.delete("/api/users/favourites/shoe/1").status_code == 404
    assert list(Favourite.objects.values_list("user_id", flat=True)) == [
        other_customer.pk
    ]


def test_anonymous_callers_get_401():
    client = APIClient()

    assert client.get("/api/users/favourites").status_code == 401
    assert client.post("/api/users/favourites", {"product": 1}).status_code == 401
    assert client.delete("/api/users/favourites/product/1").status_code == 401


def test_is_favourite_is_overlaid_per_caller_on_the_shared_cached_list(
    customer, other_customer, items
):
    favourite_add(user=customer, kind="product", item_id=items["mug"].pk)
    favourite_add(user=customer, kind="package", item_id=items["box"].pk)

    anonymous = APIClient().get("/api/products")
    mine = client_for(customer).get("/api/products")
    theirs = client_for(other_customer).get("/api/products")
    packages = client_for(customer).get("/api/packages").json()
    detail = client_for(customer).get(f"/api/products/{items['mug'].slug}").json()

    assert _favourite_flags(anonymous.json()) == {"Cup": False, "Mug": False}
    assert _favourite_flags(mine.json()) == {"Cup": False, "Mug": True}
    assert _favourite_flags(theirs.json()) == {"Cup": False, "Mug": False}
    assert _favourite_flags(packages) == {"Gift box": True}
    assert detail["is_favourite"] is True
    assert "public" in anonymous["Cache-Control"]
    assert "private" in mine["Cache-Control"]
    assert "Last-Modified" not in mine
    assert mine["ETag"] != anonymous["ETag"]
    assert theirs["ETag"] == anonymous["ETag"]


def test_the_etag_changes_when_the_callers_favourites_change(customer, items):
    client = client_for(customer)
    before = client.get("/api/products")
    assert (
        client.get("/api/products", HTTP_IF_NONE_MATCH=before["ETag"]).status_code
        == 304
    )

    client.post("/api/users/favourites", {"product": items["cup"].pk}, format="json")
    after = client.get("/api/products", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert _favourite_flags(after.json()) == {"Cup": True, "Mug": False}
    assert (
        client.get("/api/products", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    )


def test_staff_reads_bypass_the_cache_and_show_their_favourites(manager, items):
    favourite_add(user=manager, kind="product", item_id=items["cup"].pk)

    response = client_for(manager).get("/api/products")

    assert _favourite_flags(response.json()) == {"Cup": True, "Mug": False}
    assert "private" in response["Cache-Control"]


# The anonymous list's queries rendering its cards (see test_list_queries.py), those
# authenticating the caller's token, and one for the caller's favourites among the page.
SIGNED_IN_PRODUCT_LIST_QUERIES = 19


@pytest.mark.parametrize("page_size", [5, 50], ids=["page_size_5", "page_size_50"])
def test_a_signed_in_list_costs_the_same_queries_for_5_and_50_items(
    uncached, customer, page_size, django_assert_num_queries
):
    # given
    category = category_make()
    brand = brand_make()
    products = [product_make(category, images=1, brand=brand.pk) for _ in range(50)]
    for product in products[::2]:
        favourite_add(user=customer, kind="product", item_id=product.pk)
    client = client_for(customer)
    client.get("/api/products", {"page_size": page_size})  # renditions
    cards_invalidate(everything=True)  # the cards are rendered (the read model)

    # when
    with django_assert_num_queries(SIGNED_IN_PRODUCT_LIST_QUERIES):
        response = client.get("/api/products", {"page_size": page_size})

    # then
    flags = [item["is_favourite"] for item in response.json()["results"]]
    assert (len(flags), sum(flags)) == (page_size, page_size // 2)
