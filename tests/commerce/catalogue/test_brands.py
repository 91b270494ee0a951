"""Brands and materials: on products, in filters, lists, API v2, the page and the admin."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.accounts.models import User
from commerce.catalogue.models import Brand, Material, ProductPage
from commerce.catalogue.services.cards import cards_invalidate
from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import (
    brand_make,
    category_make,
    material_make,
    package_make,
    product_make,
)
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Two brands (one without a logo), three materials, four products, a package."""
    category = category_make("Home")
    acme = brand_make("Acme")
    plain = brand_make("Plain", logo=False)
    linen, oak, glass = (
        material_make("Linen"),
        material_make("Oak"),
        material_make("Glass"),
    )
    products = {
        "cushion": product_make(
            category, title="Cushion", brand=acme.pk, materials=[linen.pk]
        ),
        "table": product_make(
            category, title="Table", brand=plain.pk, materials=[oak.pk, linen.pk]
        ),
        "vase": product_make(category, title="Vase", materials=[glass.pk]),
        "lamp": product_make(category, title="Lamp"),
    }
    package = package_make(category, [(products["table"], 1)], title="Dining set")
    return {"acme": acme, "plain": plain, "products": products, "package": package}


def _names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["results"])


def test_a_product_shows_its_brand_with_logo_and_its_materials(shelf):
    cushion = shelf["products"]["cushion"]

    body = APIClient().get(f"/api/products/{cushion.pk}").json()

    logo = body["brand"].pop("logo")
    assert body["brand"] == {"id": shelf["acme"].pk, "name": "Acme", "slug": "acme"}
    assert logo["url"].startswith("http://testserver/media/")
    assert logo["url"].endswith(".max-200x100.png")
    assert (logo["width"], logo["height"]) == (60, 40)
    assert [m["slug"] for m in body["materials"]] == ["linen"]
    assert body["is_favourite"] is False


def test_a_product_without_brand_or_logo_shows_null(shelf):
    table, lamp = shelf["products"]["table"], shelf["products"]["lamp"]

    table_body = APIClient().get(f"/api/products/{table.pk}").json()
    lamp_body = APIClient().get(f"/api/products/{lamp.pk}").json()

    assert table_body["brand"]["logo"] is None
    assert [m["name"] for m in table_body["materials"]] == ["Linen", "Oak"]
    assert (lamp_body["brand"], lamp_body["materials"]) == (None, [])


def test_a_logo_whose_file_is_missing_shows_null_not_an_error(shelf):
    shelf["acme"].logo.file.storage.delete(shelf["acme"].logo.file.name)
    cushion = shelf["products"]["cushion"]

    response = APIClient().get(f"/api/products/{cushion.pk}")

    assert response.status_code == 200
    assert response.json()["brand"]["logo"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"brand": "acme"}, ["Cushion"]),
        ({"brand": "acme,plain"}, ["Cushion", "Table"]),
        ({"material": "linen"}, ["Cushion", "Table"]),
        ({"material": "glass,oak"}, ["Table", "Vase"]),
        ({"brand": "plain", "material": "linen"}, ["Table"]),
        ({"brand": "acme", "material": "oak"}, []),
        ({"brand": "unknown"}, []),
        ({"brand": "acme,unknown"}, ["Cushion"]),
    ],
    ids=[
        "one_brand_case",
        "any_of_two_brands_case",
        "one_material_case",
        "any_of_two_materials_case",
        "brand_and_material_case",
        "no_match_case",
        "unknown_slug_matches_nothing_case",
        "unknown_slug_among_known_case",
    ],
)
def test_products_filter_by_brand_and_material_slugs(shelf, params, expected):
    assert _names(APIClient().get("/api/products", params)) == expected


def test_packages_filter_through_their_products(shelf):
    client = APIClient()

    assert _names(client.get("/api/packages", {"brand": "plain"})) == ["Dining set"]
    assert _names(client.get("/api/packages", {"material": "oak"})) == ["Dining set"]
    assert _names(client.get("/api/packages", {"brand": "acme"})) == []


@pytest.mark.parametrize(
    "value", ["a b", "acme,", ",acme", "acme;plain", "x" * 501], ids=str.__len__
)
@pytest.mark.parametrize("name", ["brand", "material"])
def test_a_malformed_slug_list_is_a_400_with_the_field(name, value):
    response = APIClient().get("/api/products", {name: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_brands_and_materials_are_listed_for_filter_menus(shelf):
    client = APIClient()

    brands = client.get("/api/brands").json()
    materials = client.get("/api/materials", {"page_size": 2}).json()

    assert [(b["name"], b["slug"], b["logo"] is None) for b in brands["results"]] == [
        ("Acme", "acme", False),
        ("Plain", "plain", True),
    ]
    assert (materials["count"], materials["total_pages"]) == (3, 2)
    assert [m["name"] for m in materials["results"]] == ["Glass", "Linen"]
    assert client.get("/api/brands", {"sort": "name"}).status_code == 400


def test_renaming_a_brand_reaches_cached_products_and_lists(shelf):
    client = APIClient()
    cushion = shelf["products"]["cushion"]
    assert client.get(f"/api/products/{cushion.pk}").json()["brand"]["name"] == "Acme"
    assert client.get("/api/brands").json()["results"][0]["name"] == "Acme"

    brand = Brand.objects.get(pk=shelf["acme"].pk)
    brand.name = "Acme Home"
    brand.save()

    assert (
        client.get(f"/api/products/{cushion.pk}").json()["brand"]["name"] == "Acme Home"
    )
    assert client.get("/api/brands").json()["results"][0]["name"] == "Acme Home"


def test_deleting_a_brand_leaves_its_products_and_drafts_readable(shelf):
    cushion = shelf["products"]["cushion"]
    product_update(product=cushion, data={"price": "12.00"}, publish=False, user=None)
    manager = client_for(_manager())

    shelf["acme"].delete()

    live = APIClient().get(f"/api/products/{cushion.pk}")
    draft = manager.get(f"/api/products/{cushion.pk}", {"version": "draft"})
    assert (live.status_code, live.json()["brand"]) == (200, None)
    assert (draft.status_code, draft.json()["brand"]) == (200, None)


def test_staff_set_brand_and_materials_through_the_api(shelf):
    manager = client_for(_manager())
    lamp = shelf["products"]["lamp"]
    oak = shelf["products"]["table"].materials.get(slug="oak")

    response = manager.patch(
        f"/api/products/{lamp.pk}",
        {"brand": shelf["acme"].pk, "materials": [oak.pk]},
        format="json",
    )
    unknown = manager.patch(
        f"/api/products/{lamp.pk}", {"brand": 999999, "materials": [999]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["brand"]["slug"] == "acme"
    assert [m["slug"] for m in response.json()["materials"]] == ["oak"]
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["brand"]
    body = APIClient().get("/api/products", {"brand": "acme"}).json()
    assert sorted(item["name"] for item in body["results"]) == ["Cushion", "Lamp"]


def _manager():
    from tests.commerce.factories import UserFactory

    return UserFactory(role="manager")


def _list_queries(page_size):
    APIClient().get("/api/products", {"page_size": page_size})  # renditions
    cards_invalidate(everything=True)  # the cards are rendered (the read model)
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get("/api/products", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    return len(queries.captured_queries)


def test_the_product_list_with_brands_costs_the_same_queries_for_5_and_50(uncached):
    category = category_make()
    brands = [brand_make(), brand_make(), brand_make(logo=False)]
    materials = [material_make(), material_make()]
    for index in range(50):
        product_make(
            category,
            images=1,
            brand=brands[index % 3].pk,
            materials=[material.pk for material in materials[: index % 3]],
        )

    assert _list_queries(5) == _list_queries(50) == 15


def test_the_product_page_shows_brand_logo_and_materials(client, shelf):
    cushion, lamp = shelf["products"]["cushion"], shelf["products"]["lamp"]

    html = client.get(cushion.url).content.decode()
    plain = client.get(lamp.url).content.decode()

    assert '<p class="product-brand" data-brand="acme"><img src="/media/' in html
    assert 'alt="Acme"' in html
    assert '<span data-material="linen">Linen</span>' in html
    assert 'class="product-brand"' not in plain
    assert 'class="product-materials"' not in plain


def test_api_v2_shows_brand_and_materials_on_products_only(shelf):
    cushion, package = shelf["products"]["cushion"], shelf["package"]

    product = APIClient().get(f"/api/v2/pages/{cushion.pk}/").json()
    bundle = APIClient().get(f"/api/v2/pages/{package.pk}/").json()

    assert product["brand"]["slug"] == "acme"
    assert product["brand"]["logo"]["url"].startswith("http://")
    assert [m["slug"] for m in product["materials"]] == ["linen"]
    assert "brand" not in bundle
    assert "materials" not in bundle


@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_staff_open_every_brand_and_material_admin_page(
    client, request, persona, shelf
):
    client.force_login(request.getfixturevalue(persona))
    urls = []
    for model, pks in (
        ("brand", [shelf["acme"].pk, shelf["plain"].pk]),
        (
            "material",
            list(shelf["products"]["table"].materials.values_list("pk", flat=True)),
        ),
    ):
        base = f"/admin/snippets/commerce/{model}/"
        urls += [base, f"{base}add/"]
        urls += [
            f"{base}{page}/{pk}/"
            for pk in pks
            for page in ("edit", "delete", "history")
        ]
    urls.append(f"/admin/pages/{shelf['products']['cushion'].pk}/edit/")

    statuses = {url: client.get(url).status_code for url in urls}

    assert statuses == dict.fromkeys(urls, 200)


def test_customers_cannot_open_the_brand_admin(client, customer):
    client.force_login(customer)

    assert client.get("/admin/snippets/commerce/brand/").status_code == 302


def test_the_demo_shop_has_brands_materials_and_favourites(client, manager):
    # given
    call_command("demo_setup", stdout=StringIO())

    # when
    call_command(
        "seed_catalogue",
        "--products",
        "6",
        "--packages",
        "1",
        "--orders",
        "0",
        "--quiet",
        stdout=StringIO(),
    )
    call_command(
        "seed_catalogue",
        "--products",
        "6",
        "--packages",
        "1",
        "--orders",
        "0",
        "--quiet",
        stdout=StringIO(),
    )

    # then
    assert Brand.objects.count() == 4
    assert Brand.objects.filter(logo__isnull=True).exists() is False
    assert Material.objects.count() == 7
    branded = ProductPage.objects.filter(brand__isnull=False).count()
    assert (
        branded,
        ProductPage.objects.filter(materials__isnull=False).distinct().count(),
    ) == (5, 6)
    customer = client_for(User.objects.get(email="customer@fantasize.local"))
    favourites = customer.get("/api/users/favourites").json()
    assert [f["kind"] for f in favourites["results"]].count("product") == 3
    assert favourites["count"] == 4
    client.force_login(manager)
    urls = ["/admin/snippets/commerce/brand/", "/admin/snippets/commerce/material/"]
    urls += [
        f"/admin/snippets/commerce/brand/edit/{pk}/"
        for pk in Brand.objects.values_list("pk", flat=True)
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(
        urls, 200
    )
