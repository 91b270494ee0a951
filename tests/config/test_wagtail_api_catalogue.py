"""Wagtail API v2 for the catalogue: products and packages that render on their own."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient
from wagtail.models import Site

from tests.commerce.catalogue_factories import (
    brand_make,
    category_make,
    image_create,
    material_make,
    package_make,
    product_make,
)
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db

SAME_AS_DRF = [
    "name",
    "price",
    "compare_at_price",
    "currency",
    "is_on_sale",
    "stock",
    "category",
    "breadcrumbs",
    "tags",
    "images",
    "customizations",
    "rating_average",
    "rating_count",
]


def site_configure(hostname: str, port: int) -> Site:
    site = Site.objects.get(is_default_site=True)
    site.hostname = hostname
    site.port = port
    site.save()
    return site


@pytest.fixture
def rose():
    top = category_make("Flowers")
    sub = category_make("Roses", parent=top)
    product = product_make(
        sub,
        title="Rose",
        price="4.50",
        compare_at_price=Decimal("6.00"),
        images=2,
        tags=["red"],
    )
    attach(product, customization_make("button", name="Size"))
    attach(product, customization_make("image", name="Pattern"), label="Print")
    return product


def _v2(path, params=None, **extra):
    response = APIClient().get(path, params or {}, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_v2_product_carries_what_the_drf_endpoint_carries_under_the_same_names(
    rose,
):
    # given: the site answers on the host the DRF test client uses
    site_configure("testserver", 80)

    # when
    v2 = _v2(f"/api/v2/pages/{rose.pk}/")
    drf = _v2(f"/api/products/{rose.pk}")

    # then
    for name in SAME_AS_DRF:
        assert v2[name] == drf[name], name
    assert v2["currency"] == "EUR"
    assert v2["compare_at_price"] == "6.00"
    assert v2["stock"] == {"quantity": 5, "in_stock": True}
    assert [crumb["slug"] for crumb in v2["breadcrumbs"]] == ["flowers", "roses"]
    size, pattern = v2["customizations"]
    assert (size["kind"], [o["price_delta"] for o in size["options"]]) == (
        "button",
        ["0.00", "4.50"],
    )
    assert pattern["label"] == "Print"
    assert pattern["options"][0]["image"]["url"].startswith("http://testserver/media/")
    thumbnail = v2["gallery_images"][0]["thumbnail"]
    assert (thumbnail["width"], thumbnail["height"]) == (54, 40)
    assert thumbnail["full_url"] == "http://testserver" + thumbnail["url"]


def test_v2_links_use_the_configured_site_root_url(rose):
    # given
    site_configure("shop.example.com", 443)

    # when
    listed = _v2("/api/v2/pages/", {"type": "commerce.ProductPage", "fields": "*"})

    # then
    item = listed["items"][0]
    assert (
        item["meta"]["html_url"] == "https://shop.example.com/shop/flowers/roses/rose/"
    )
    assert item["meta"]["detail_url"] == (
        f"https://shop.example.com/api/v2/pages/{rose.pk}/"
    )
    assert item["gallery_images"][0]["large"]["full_url"].startswith(
        "https://shop.example.com/media/images/"
    )
    assert item["images"][0]["large"]["url"].startswith(
        "https://shop.example.com/media/images/"
    )


def test_wagtailapi_base_url_moves_api_links_but_not_the_page_link(rose, settings):
    # given
    settings.WAGTAILAPI_BASE_URL = "https://api.example.com/ignored/path"
    site_configure("shop.example.com", 443)

    # when
    item = _v2(f"/api/v2/pages/{rose.pk}/")

    # then
    assert (
        item["meta"]["detail_url"] == f"https://api.example.com/api/v2/pages/{rose.pk}/"
    )
    assert (
        item["meta"]["html_url"] == "https://shop.example.com/shop/flowers/roses/rose/"
    )
    assert item["images"][0]["thumbnail"]["url"].startswith("https://api.example.com/")


def test_v2_links_use_the_request_host_in_development(rose, settings):
    # given
    settings.DEBUG = True
    site_configure("shop.example.com", 443)

    # when
    item = _v2(f"/api/v2/pages/{rose.pk}/", HTTP_HOST="localhost:8000")

    # then
    assert item["meta"]["html_url"] == "http://localhost:8000/shop/flowers/roses/rose/"
    assert (
        item["meta"]["detail_url"] == f"http://localhost:8000/api/v2/pages/{rose.pk}/"
    )


def test_a_v2_package_carries_its_availability_and_components():
    # given
    category = category_make("Gifts")
    first = product_make(category, stock=4)
    second = product_make(category, stock=9)
    package = package_make(category, [(first, 2), (second, 1)], price="12.00")

    # when
    item = _v2(f"/api/v2/pages/{package.pk}/")

    # then
    assert item["stock"] == {"quantity": 2, "in_stock": True}
    assert item["price"] == "12.00"
    assert item["currency"] == "EUR"
    assert [c["quantity"] for c in item["components"]] == [2, 1]


def test_a_v2_category_carries_its_image_renditions():
    # given
    site_configure("testserver", 80)
    category = category_make("Vases")
    category.image = image_create("vases")
    category.save_revision().publish()

    # when
    item = _v2(f"/api/v2/pages/{category.pk}/")

    # then
    assert item["image"]["id"] == category.image.pk
    assert item["image_thumbnail"]["url"].endswith(".fill-400x300.png")
    assert item["image_large"]["full_url"].startswith("http://testserver/media/")


def _listing_queries(page_size, django_assert_num_queries, expected):
    params = {"type": "commerce.ProductPage", "fields": "*", "limit": page_size}
    APIClient().get("/api/v2/pages/", params)  # renditions are made on first use
    with django_assert_num_queries(expected):
        response = APIClient().get("/api/v2/pages/", params)
    assert len(response.json()["items"]) == page_size


# Wagtail's view restrictions (for the listing, its serializer and its context) and
# site; then count, products (with brands), tags, gallery images, images, renditions,
# brand logos, their renditions, materials, the category map and the customizations.
V2_PRODUCT_LISTING_QUERIES = 15


@pytest.mark.parametrize("page_size", [2, 12], ids=["page_size_2", "page_size_12"])
def test_the_v2_product_listing_makes_the_same_queries_whatever_the_page_size(
    page_size, django_assert_num_queries
):
    # given
    category = category_make("Shirts")
    button = customization_make("button")
    color = customization_make("color")
    brands = [brand_make(), brand_make()]
    materials = [material_make(), material_make()]
    for index in range(12):
        product = product_make(
            category,
            images=2,
            tags=["a", "b"],
            brand=brands[index % 2].pk,
            materials=[material.pk for material in materials],
        )
        attach(product, button)
        attach(product, color)

    # then
    _listing_queries(page_size, django_assert_num_queries, V2_PRODUCT_LISTING_QUERIES)
