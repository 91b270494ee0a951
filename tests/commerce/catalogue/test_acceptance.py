"""Catalogue acceptance: filters, sorts, search, visibility, query counts, revisions,
bad input and preview."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageLogEntry

from commerce.catalogue.models import PackagePage, ProductPage, ProductStock
from commerce.catalogue.services.sellables import product_update
from commerce.catalogue.services.stock import stock_set
from tests.commerce.catalogue_factories import (
    category_make,
    package_make,
    product_make,
)
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def catalogue():
    flowers = category_make("Flowers")
    roses = category_make("Roses", parent=flowers)
    gifts = category_make("Gifts")
    rose = product_make(
        roses, title="Red rose", price="5.00", stock=3, tags=["red", "love"]
    )
    tulip = product_make(flowers, title="Tulip", price="2.50", stock=0, tags=["spring"])
    mug = product_make(
        gifts, title="Mug", price="12.00", stock=10, description="<p>ceramic</p>"
    )
    ProductStock.objects.filter(product=tulip).update(units_sold=50)
    ProductStock.objects.filter(product=mug).update(units_sold=20)
    return {
        "flowers": flowers,
        "roses": roses,
        "gifts": gifts,
        "rose": rose,
        "tulip": tulip,
        "mug": mug,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "flowers"}, {"Red rose", "Tulip"}),
        ({"category": "roses"}, {"Red rose"}),
        ({"category": 999999}, set()),
        ({"price_min": "5.00"}, {"Red rose", "Mug"}),
        ({"price_max": "5.00"}, {"Red rose", "Tulip"}),
        ({"price_min": "3", "price_max": "6"}, {"Red rose"}),
        ({"in_stock": "true"}, {"Red rose", "Mug"}),
        ({"in_stock": "false"}, {"Tulip"}),
        ({"tags": "red"}, {"Red rose"}),
        ({"tags": "spring,love"}, {"Red rose", "Tulip"}),
        ({"search": "rose"}, {"Red rose"}),
        ({"search": "ceramic"}, {"Mug"}),
    ],
    ids=[
        "category_with_subcategories_case",
        "subcategory_case",
        "unknown_category_case",
        "price_min_case",
        "price_max_case",
        "price_range_case",
        "in_stock_case",
        "out_of_stock_case",
        "tag_case",
        "any_tag_case",
        "search_name_case",
        "search_description_case",
    ],
)
def test_product_list_filters(catalogue, params, expected):
    params = {
        key: catalogue[value].pk if key == "category" and value in catalogue else value
        for key, value in params.items()
    }

    response = APIClient().get("/api/products", params)

    assert set(_names(response)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["Tulip", "Red rose", "Mug"]),
        ("-price", ["Mug", "Red rose", "Tulip"]),
        ("name", ["Mug", "Red rose", "Tulip"]),
        ("-name", ["Tulip", "Red rose", "Mug"]),
        ("newest", ["Mug", "Tulip", "Red rose"]),
        ("oldest", ["Red rose", "Tulip", "Mug"]),
        ("popularity", ["Tulip", "Mug", "Red rose"]),
    ],
    ids=lambda value: f"{value}_case" if isinstance(value, str) else None,
)
def test_product_list_sorts(catalogue, sort, expected):
    assert _names(APIClient().get("/api/products", {"sort": sort})) == expected


def test_product_list_paginates(catalogue):
    first = APIClient().get("/api/products", {"sort": "name", "page_size": 2}).json()
    second = (
        APIClient()
        .get("/api/products", {"sort": "name", "page_size": 2, "page": 2})
        .json()
    )
    beyond = APIClient().get("/api/products", {"page_size": 2, "page": 3})

    assert first["count"] == 3
    assert [item["name"] for item in first["results"]] == ["Mug", "Red rose"]
    assert [item["name"] for item in second["results"]] == ["Tulip"]
    assert second["next"] is None
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "bogus"},
        {"price_min": "abc"},
        {"in_stock": "maybe"},
        {"price_min": "9", "price_max": "1"},
    ],
    ids=["sort_case", "price_text_case", "bool_case", "inverted_range_case"],
)
def test_product_list_rejects_bad_parameters(params):
    response = APIClient().get("/api/products", params)

    assert response.status_code == 400
    assert response.json()["errors"]


def test_package_stock_is_the_minimum_over_components_and_filters_follow_it(catalogue):
    # given: rose has 3 (2 per package → 1 package), mug has 10 (1 per package → 10)
    package = package_make(
        catalogue["gifts"], [(catalogue["rose"], 2), (catalogue["mug"], 1)], title="Duo"
    )
    package_make(catalogue["gifts"], [(catalogue["tulip"], 1)], title="Empty")

    # when
    detail = APIClient().get(f"/api/packages/{package.pk}").json()
    in_stock = APIClient().get("/api/packages", {"in_stock": "true"})

    # then
    assert detail["stock"] == {"quantity": 1, "in_stock": True}
    assert [(c["product"]["name"], c["quantity"]) for c in detail["components"]] == [
        ("Red rose", 2),
        ("Mug", 1),
    ]
    assert _names(in_stock) == ["Duo"]


def test_detail_by_id_and_by_slug(catalogue):
    rose = catalogue["rose"]

    by_id = APIClient().get(f"/api/products/{rose.pk}").json()
    by_slug = APIClient().get(f"/api/products/{rose.slug}").json()

    assert by_id == by_slug
    assert by_id["category"] == {
        "id": catalogue["roses"].pk,
        "name": "Roses",
        "slug": "roses",
    }
    assert by_id["stock"] == {"quantity": 3, "in_stock": True}


@pytest.mark.parametrize("persona", ["anonymous", "customer"])
def test_unpublished_and_inactive_items_are_hidden_from_the_public(
    persona_client, catalogue, persona
):
    draft = product_make(catalogue["gifts"], title="Secret", publish=False)
    inactive = product_make(catalogue["gifts"], title="Retired", is_active=False)
    client, _ = persona_client(persona)

    names = _names(client.get("/api/products"))

    assert "Secret" not in names
    assert "Retired" not in names
    assert client.get(f"/api/products/{draft.pk}").status_code == 404
    assert client.get(f"/api/products/{inactive.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_unpublished_items_are_visible_to_staff(persona_client, catalogue, persona):
    draft = product_make(catalogue["gifts"], title="Secret", publish=False)
    client, _ = persona_client(persona)

    assert "Secret" in _names(client.get("/api/products"))
    assert client.get(f"/api/products/{draft.pk}").json()["live"] is False


def _query_count(path, params):
    APIClient().get(path, params)  # warm renditions
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(path, params)
    assert response.status_code == 200
    return len(queries.captured_queries), len(response.json()["results"])


def test_product_list_query_count_does_not_grow_with_page_size(uncached):
    category = category_make()
    for _ in range(50):
        product_make(category, images=2, tags=["a", "b"])

    small, small_rows = _query_count("/api/products", {"page_size": 5})
    large, large_rows = _query_count("/api/products", {"page_size": 50})

    assert (small_rows, large_rows) == (5, 50)
    assert 0 < large == small


def test_package_list_query_count_does_not_grow_with_page_size(uncached):
    category = category_make()
    products = [product_make(category) for _ in range(4)]
    for index in range(12):
        package_make(
            category, [(products[index % 4], 1), (products[(index + 1) % 4], 2)]
        )

    small, _ = _query_count("/api/packages", {"page_size": 2})
    large, large_rows = _query_count("/api/packages", {"page_size": 12})

    assert large_rows == 12
    assert 0 < large == small


def test_images_are_renditions_with_absolute_urls():
    product = product_make(category_make(), images=1)

    image = APIClient().get(f"/api/products/{product.pk}").json()["images"][0]

    assert image["thumbnail"]["url"].startswith("http://testserver/")
    # fill-400x300 keeps 4:3 without upscaling a 60x40 original
    assert (image["thumbnail"]["width"], image["thumbnail"]["height"]) == (54, 40)
    assert image["large"]["url"].startswith("http://testserver/")


def test_publishing_an_older_revision_leaves_stock_unchanged():
    # given
    product = product_make(category_make(), price="10.00", stock=10)
    first_revision = product.latest_revision
    product_update(
        product=product, data={"price": Decimal("12.00")}, publish=True, user=None
    )
    stock_set(product_id=product.pk, quantity=3)

    # when
    first_revision.publish()

    # then
    product.refresh_from_db()
    assert product.price == Decimal("10.00")
    assert ProductStock.objects.get(product=product).quantity == 3


def test_api_edits_are_revisions_in_the_admin_history():
    manager = UserFactory(role="manager")
    client = client_for(manager)
    category = category_make()
    created = client.post(
        "/api/products",
        {"category": category.pk, "name": "Vase", "price": "9.00", "sku": "V-1"},
        format="json",
    ).json()

    client.patch(
        f"/api/products/{created['id']}",
        {"price": "11.00", "publish": False},
        format="json",
    )

    page = ProductPage.objects.get(pk=created["id"])
    actions = list(
        PageLogEntry.objects.filter(page=page, user=manager).values_list(
            "action", flat=True
        )
    )
    assert page.revisions.count() == 2
    assert {"wagtail.create", "wagtail.publish", "wagtail.edit"} <= set(actions)
    assert page.price == Decimal("9.00")
    assert APIClient().get(f"/api/products/{page.pk}").json()["price"] == "9.00"
    assert (
        client.get(f"/api/products/{page.pk}").json()["has_unpublished_changes"] is True
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"price": "abc"}, "price"),
        ({"category": 999999}, "category"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"compare_at_price": "1.00"}, "compare_at_price"),
        ({"sku": "TAKEN"}, "sku"),
        ({"tags": "not-a-list"}, "tags"),
        ({"images": [999999]}, "images"),
        ({"name": "x" * 300}, "name"),
    ],
    ids=[
        "negative_price_case",
        "price_as_text_case",
        "unknown_category_case",
        "null_name_case",
        "missing_name_case",
        "compare_at_not_above_case",
        "duplicate_sku_case",
        "tags_wrong_type_case",
        "unknown_image_case",
        "oversized_name_case",
    ],
)
def test_invalid_product_input_is_400_and_creates_nothing(body, field):
    category = category_make()
    product_make(category, sku="TAKEN")
    client = client_for(UserFactory(role="manager"))
    payload = {
        "category": category.pk,
        "name": "Lamp",
        "price": "5.00",
        "sku": "L-1",
        **body,
    }
    payload = {key: value for key, value in payload.items() if value is not None}
    before = (
        ProductPage.objects.count(),
        ProductStock.objects.count(),
        PageLogEntry.objects.count(),
    )

    response = client.post("/api/products", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert (
        ProductPage.objects.count(),
        ProductStock.objects.count(),
        PageLogEntry.objects.count(),
    ) == before


def test_delete_rules_for_products_in_packages():
    category = category_make()
    product = product_make(category)
    package_make(category, [(product, 1)])
    lonely = product_make(category)

    refused = client_for(UserFactory(role="manager")).delete(
        f"/api/products/{product.pk}"
    )
    manager_force = client_for(UserFactory(role="manager")).delete(
        f"/api/products/{product.pk}?force=true"
    )
    admin_force = client_for(UserFactory(role="administrator")).delete(
        f"/api/products/{product.pk}?force=true"
    )
    deleted = client_for(UserFactory(role="manager")).delete(
        f"/api/products/{lonely.pk}"
    )

    assert refused.status_code == 409
    assert refused.json()["code"] == "in_use"
    assert manager_force.status_code == 403
    assert manager_force.json()["detail"] == "Only administrators can force a delete."
    assert admin_force.status_code == 200
    assert admin_force.json() == {"result": "unpublished"}
    product.refresh_from_db()
    assert (product.live, product.is_active) == (False, False)
    assert PackagePage.objects.get().components.count() == 1
    assert deleted.status_code == 204
    assert not ProductPage.objects.filter(pk=lonely.pk).exists()


def test_preview_link_shows_the_draft_and_the_public_endpoint_does_not():
    # given
    category = category_make()
    product = product_make(category, title="Lamp", price="10.00")
    product_update(
        product=product, data={"price": Decimal("15.00")}, publish=False, user=None
    )
    draft_only = product_make(category, title="Unreleased", publish=False)
    manager = client_for(UserFactory(role="manager"))

    # when
    link = manager.post(f"/api/products/{product.pk}/preview").json()
    draft_link = manager.post(f"/api/products/{draft_only.pk}/preview").json()
    preview = APIClient().get(link["url"])

    # then
    assert preview.status_code == 200
    assert preview.json()["item"]["price"] == "15.00"
    assert APIClient().get(f"/api/products/{product.pk}").json()["price"] == "10.00"
    assert APIClient().get(draft_link["url"]).json()["item"]["name"] == "Unreleased"
    assert APIClient().get(f"/api/products/{draft_only.pk}").status_code == 404


def test_preview_links_expire_and_cannot_be_forged():
    product = product_make(category_make())
    link = (
        client_for(UserFactory(role="manager"))
        .post(f"/api/products/{product.pk}/preview")
        .json()
    )

    forged = APIClient().get(f"/api/preview/{link['token']}x")
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        expired = APIClient().get(link["url"])

    assert forged.status_code == 404
    assert expired.status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 401), ("customer", 403)]
)
def test_only_staff_create_preview_links(persona_client, persona, expected):
    product = product_make(category_make())
    client, _ = persona_client(persona)

    assert client.post(f"/api/products/{product.pk}/preview").status_code == expected
