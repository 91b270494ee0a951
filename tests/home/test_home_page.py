"""The home page editors compose: sections resolved in API v2 and in the template."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.images import get_image_model
from wagtail.models import Site

from commerce.catalogue.models import Offer, PackageSales, ProductStock
from commerce.catalogue.services.offers import offer_prices_refresh
from home.models import HomePage
from tests.commerce.catalogue_factories import (
    category_make,
    image_create,
    package_make,
    product_make,
)
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site() -> None:
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "testserver", 80
    site.save()


def _compose(*sections: dict[str, Any]) -> HomePage:
    home = HomePage.objects.get()
    home.body = list(sections)
    home.save_revision().publish()
    return home


def _carousel(rule: str, limit: int = 8, **value: Any) -> dict[str, Any]:
    return {
        "type": "product_carousel",
        "value": {"title": rule, "rule": rule, "limit": limit, **value},
    }


def _body(home: HomePage) -> list[dict[str, Any]]:
    response = APIClient().get(f"/api/v2/pages/{home.pk}/")
    assert response.status_code == 200, response.content
    return [
        {"type": section["type"], "value": section["value"]}
        for section in response.json()["body"]
    ]


def _names(section: dict[str, Any]) -> list[str]:
    return [item["name"] for item in section["value"]["items"]]


def _stored(url: str) -> bool:
    """The file behind an absolute media URL exists in storage (so it loads)."""
    path = url.removeprefix("http://testserver").removeprefix(settings.MEDIA_URL)
    return default_storage.exists(path)


@pytest.fixture
def shop() -> dict[str, Any]:
    flowers = category_make("Flowers")
    roses = category_make("Roses", parent=flowers)
    gifts = category_make("Gifts")
    gifts.image = image_create("gifts")
    gifts.save_revision().publish()
    rose = product_make(
        roses, title="Rose", price="4.50", compare_at_price=Decimal("6.00"), images=1
    )
    tulip = product_make(flowers, title="Tulip", price="3.00", stock=0)
    mug = product_make(gifts, title="Mug", price="9.00", images=2)
    bundle = package_make(gifts, [(mug, 1), (rose, 2)], title="Bundle", price="15.00")
    ProductStock.objects.filter(product=rose).update(units_sold=40)
    ProductStock.objects.filter(product=tulip).update(units_sold=5)
    ProductStock.objects.filter(product=mug).update(units_sold=12)
    PackageSales.objects.update_or_create(package=bundle, defaults={"units_sold": 20})
    return {
        "flowers": flowers,
        "roses": roses,
        "gifts": gifts,
        "rose": rose,
        "tulip": tulip,
        "mug": mug,
        "bundle": bundle,
    }


# API V2


def test_the_v2_home_page_resolves_each_section(shop):
    # given
    hero_picture = image_create("hero")
    home = _compose(
        {
            "type": "hero",
            "value": {
                "image": hero_picture.pk,
                "heading": "Spring",
                "text": "Fresh flowers",
                "link_page": shop["flowers"].pk,
                "link_url": "",
                "button_label": "Shop flowers",
            },
        },
        _carousel("hand_picked", items=[shop["rose"].pk, shop["bundle"].pk]),
        {
            "type": "category_tiles",
            "value": {"title": "Shop by category", "categories": [shop["gifts"].pk]},
        },
        {
            "type": "rich_text",
            "value": f'<p>See <a linktype="page" id="{shop["roses"].pk}">roses</a></p>',
        },
    )

    # when
    hero, carousel, tiles, text = _body(home)

    # then
    image = hero["value"]["image"]
    assert hero["value"] | {"image": None} == {
        "heading": "Spring",
        "text": "Fresh flowers",
        "image": None,
        "link": "http://testserver/shop/flowers/",
        "button_label": "Shop flowers",
    }
    assert (image["id"], image["title"], image["alt"]) == (
        hero_picture.pk,
        "hero",
        "hero",
    )
    assert image["wide"]["url"].startswith("http://testserver/media/images/hero")
    assert _stored(image["wide"]["url"])
    assert _stored(image["narrow"]["url"])
    rose_card, bundle_card = carousel["value"]["items"]
    thumbnail = rose_card.pop("thumbnail")
    assert rose_card == {
        "id": shop["rose"].pk,
        "kind": "product",
        "name": "Rose",
        "slug": shop["rose"].slug,
        "price": "4.50",
        "compare_at_price": "6.00",
        "currency": "EUR",
        "is_on_sale": True,
        "offer": None,
        "in_stock": True,
        "url": f"http://testserver/shop/flowers/roses/{shop['rose'].slug}/",
        "api_url": f"http://testserver/api/products/{shop['rose'].pk}",
    }
    assert (thumbnail["width"], thumbnail["height"]) == (54, 40)  # 4:3 of 60x40
    assert _stored(thumbnail["url"])
    assert bundle_card | {"thumbnail": "-"} == {
        "id": shop["bundle"].pk,
        "kind": "package",
        "name": "Bundle",
        "slug": shop["bundle"].slug,
        "price": "15.00",
        "compare_at_price": None,
        "currency": "EUR",
        "is_on_sale": False,
        "offer": None,
        "in_stock": True,
        "thumbnail": "-",
        "url": f"http://testserver/shop/gifts/{shop['bundle'].slug}/",
        "api_url": f"http://testserver/api/packages/{shop['bundle'].pk}",
    }
    assert bundle_card["thumbnail"] is None
    assert (carousel["value"]["rule"], carousel["value"]["limit"]) == ("hand_picked", 8)
    (gifts,) = tiles["value"]["categories"]
    assert gifts | {"image": None} == {
        "id": shop["gifts"].pk,
        "name": "Gifts",
        "slug": "gifts",
        "image": None,
        "product_count": 1,
        "package_count": 1,
        "url": "http://testserver/shop/gifts/",
        "api_url": f"http://testserver/api/categories/{shop['gifts'].pk}",
    }
    assert _stored(gifts["image"]["thumbnail"]["url"])
    assert text == {
        "type": "rich_text",
        "value": '<p>See <a href="/shop/flowers/roses/">roses</a></p>',
    }


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("new_arrivals", ["Bundle", "Mug", "Tulip", "Rose"]),
        ("on_sale", ["Rose"]),
        ("best_sellers", ["Rose", "Bundle", "Mug", "Tulip"]),
    ],
    ids=["new_arrivals_case", "on_sale_case", "best_sellers_case"],
)
def test_a_carousel_rule_picks_live_products_and_packages_in_its_order(
    shop, rule, expected
):
    # given
    home = _compose(_carousel(rule))

    # when
    (carousel,) = _body(home)

    # then
    assert _names(carousel) == expected


def test_an_on_sale_carousel_shows_running_offers_at_their_price(shop):
    # given: 20 % off the bundle (15.00) until the end of the year
    ends = timezone.now() + timedelta(days=30)
    offer = Offer.objects.create(
        name="Winter", kind="percentage", value=Decimal("20"), ends_at=ends
    )
    offer.packages.add(shop["bundle"])
    offer_prices_refresh()
    home = _compose(_carousel("on_sale"))

    # when
    (carousel,) = _body(home)

    # then
    assert _names(carousel) == ["Bundle", "Rose"]
    bundle = carousel["value"]["items"][0]
    assert (bundle["price"], bundle["compare_at_price"], bundle["is_on_sale"]) == (
        "12.00",
        "15.00",
        True,
    )
    assert bundle["offer"] == {"name": "Winter", "ends_at": ends.isoformat()}


def test_the_category_rule_shows_the_category_and_its_subcategories(shop):
    # given
    home = _compose(_carousel("category", category=shop["flowers"].pk))

    # when
    (carousel,) = _body(home)

    # then
    assert _names(carousel) == ["Tulip", "Rose"]
    assert carousel["value"]["category"] == {
        "id": shop["flowers"].pk,
        "name": "Flowers",
        "slug": "flowers",
    }


def test_a_carousel_shows_at_most_its_limit(shop):
    # given
    home = _compose(_carousel("new_arrivals", limit=2), _carousel("best_sellers", 99))

    # when
    newest, best = _body(home)

    # then
    assert _names(newest) == ["Bundle", "Mug"]
    assert best["value"]["limit"] == 24
    assert len(best["value"]["items"]) == 4


def test_empty_tiles_show_the_top_categories_with_counts(shop):
    # given
    home = _compose(
        {"type": "category_tiles", "value": {"title": "", "categories": []}}
    )

    # when
    (tiles,) = _body(home)

    # then
    assert [
        (tile["name"], tile["product_count"], tile["package_count"])
        for tile in tiles["value"]["categories"]
    ] == [("Flowers", 2, 0), ("Gifts", 1, 1)]


def test_the_home_page_listing_serves_the_resolved_body(shop):
    # given
    _compose(_carousel("best_sellers", limit=1))

    # when
    response = APIClient().get(
        "/api/v2/pages/", {"type": "home.HomePage", "fields": "body"}
    )

    # then
    assert response.status_code == 200
    (home,) = response.json()["items"]
    assert [item["name"] for item in home["body"][0]["value"]["items"]] == ["Rose"]


# BAD DATA


def test_deleted_or_unpublished_references_never_fail_the_page(shop):
    # given: every kind of reference, then removed
    hero_picture = image_create("hero")
    lost_picture = image_create("lost file")
    lilies = category_make("Lilies", parent=shop["flowers"])
    lily = product_make(lilies, title="Lily")
    home = _compose(
        {
            "type": "hero",
            "value": {"image": hero_picture.pk, "heading": "Hi", "link_page": 999999},
        },
        {"type": "hero", "value": {"image": lost_picture.pk, "heading": "File lost"}},
        _carousel("category", category=lilies.pk),
        _carousel(
            "hand_picked", items=[shop["tulip"].pk, 999999, lily.pk, shop["rose"].pk]
        ),
        _carousel("category", category=shop["gifts"].pk),
        _carousel("category"),
        _carousel("no_such_rule", limit="many"),
        {
            "type": "category_tiles",
            "value": {"categories": [lilies.pk, 999999, shop["gifts"].pk]},
        },
    )
    hero_picture.delete()
    lost_picture.file.storage.delete(lost_picture.file.name)
    shop["tulip"].unpublish()
    shop["gifts"].unpublish()
    lilies.delete()
    get_image_model().objects.filter(pk=shop["gifts"].image_id).delete()

    # when
    body = _body(home)
    page = Client().get("/")

    # then
    hero, lost, deleted, picked, unpublished, no_category, unknown, tiles = body
    assert (hero["value"]["image"], hero["value"]["link"]) == (None, None)
    assert lost["value"]["image"] is None
    assert (deleted["value"]["items"], deleted["value"]["category"]) == ([], None)
    assert _names(picked) == ["Rose"]
    assert unpublished["value"]["items"] == []
    assert no_category["value"]["items"] == []
    assert (unknown["value"]["items"], unknown["value"]["limit"]) == ([], 8)
    assert tiles["value"]["categories"] == []
    assert page.status_code == 200


def test_an_empty_home_page_answers_an_empty_body():
    # given
    home = HomePage.objects.get()

    # when
    response = APIClient().get(f"/api/v2/pages/{home.pk}/")

    # then
    assert response.status_code == 200
    assert response.json()["body"] == []


# QUERIES


def _page_queries(home: HomePage, django_assert_num_queries, expected: int) -> None:
    APIClient().get(f"/api/v2/pages/{home.pk}/")  # renditions are made on first use
    with django_assert_num_queries(expected):
        response = APIClient().get(f"/api/v2/pages/{home.pk}/")
    assert response.status_code == 200


# Wagtail's page, site and view restrictions; the body's chosen pages; two id
# queries per carousel (and the category rule's lookup); then every carousel's
# products (stock, tags, gallery, images, renditions) and packages (the same and
# components) at once; the categories (images, renditions) and their two counts.
HOME_PAGE_QUERIES = 34


@pytest.mark.parametrize("per_carousel", [4, 12], ids=["4_items", "12_items"])
def test_the_home_page_queries_do_not_grow_with_the_items_shown(
    per_carousel, django_assert_num_queries
):
    # given
    category = category_make("Everything")
    category.image = image_create("everything")
    category.save_revision().publish()
    products = [
        product_make(category, images=2, compare_at_price=Decimal("99.00"))
        for _ in range(12)
    ]
    packages = [package_make(category, [(products[0], 1)]) for _ in range(2)]
    home = _compose(
        _carousel("new_arrivals", limit=per_carousel),
        _carousel("on_sale", limit=per_carousel),
        _carousel("best_sellers", limit=per_carousel),
        _carousel("category", limit=per_carousel, category=category.pk),
        _carousel(
            "hand_picked",
            items=[item.pk for item in [*packages, *products][:per_carousel]],
        ),
        {"type": "category_tiles", "value": {"categories": []}},
    )

    # then
    _page_queries(home, django_assert_num_queries, HOME_PAGE_QUERIES)


# SITE TEMPLATE AND ADMIN


def test_the_home_page_template_renders_the_sections_with_images_that_load(shop):
    # given
    _compose(
        {
            "type": "hero",
            "value": {
                "image": image_create("hero").pk,
                "heading": "Spring",
                "link_url": "https://example.com/spring",
                "button_label": "See more",
            },
        },
        _carousel("best_sellers"),
        {"type": "category_tiles", "value": {"title": "Browse", "categories": []}},
        {"type": "rich_text", "value": "<p>Handmade with care.</p>"},
    )

    # when
    response = Client().get("/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="buy" href="https://example.com/spring">See more</a>' in html
    assert f'<a href="/shop/flowers/roses/{shop["rose"].slug}/">' in html
    assert "<p>Handmade with care.</p>" in html
    assert "2 products" in html
    sources = [part.split('"', 1)[0] for part in html.split('<img src="')[1:]]
    assert len(sources) == 1 + 2 + 1  # the hero, rose and mug, the gifts tile
    assert all(source.startswith("/media/") and _stored(source) for source in sources)


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_staff_edit_the_composed_home_page_in_the_admin(shop, role, request):
    # given
    user = request.getfixturevalue(role)
    home = _compose(
        {"type": "hero", "value": {"image": image_create("h").pk, "heading": "Hi"}},
        _carousel("hand_picked", items=[shop["rose"].pk]),
        _carousel("category", category=shop["flowers"].pk),
        {"type": "category_tiles", "value": {"categories": [shop["gifts"].pk]}},
        {"type": "rich_text", "value": "<p>Hello</p>"},
    )
    client = Client()
    client.force_login(user)

    # when
    response = client.get(f"/admin/pages/{home.pk}/edit/")

    # then
    assert response.status_code == 200
    assert b"Product carousel" in response.content


# DEMO DATA


def test_the_catalogue_seed_composes_the_demo_home_page_once():
    # when
    for _ in range(2):
        call_command(
            "seed_catalogue",
            "--products",
            "10",
            "--packages",
            "2",
            "--orders",
            "0",
            "--quiet",
            stdout=StringIO(),
        )

    # then
    home = HomePage.objects.get()
    body = _body(home)
    assert [
        (
            section["type"],
            section["value"]["rule"] if "carousel" in section["type"] else None,
        )
        for section in body
    ] == [
        ("hero", None),
        ("product_carousel", "new_arrivals"),
        ("product_carousel", "best_sellers"),
        ("product_carousel", "on_sale"),
        ("category_tiles", None),
        ("product_carousel", "category"),
        ("rich_text", None),
    ]
    assert home.revisions.count() == 1
    assert _stored(body[0]["value"]["image"]["wide"]["url"])
    assert body[0]["value"]["link"] == "http://testserver/shop/flowers/"
    assert all(len(section["value"]["items"]) for section in body[1:4])
    assert [tile["name"] for tile in body[4]["value"]["categories"]] == [
        "Flowers",
        "Gifts",
        "Cakes",
        "Jewellery",
        "Home decor",
        "Cards",
    ]
    assert all(tile["image"] for tile in body[4]["value"]["categories"])
    assert Client().get("/").status_code == 200


# CATEGORIES


def test_a_category_is_served_by_slug_with_its_image_and_product_count(shop):
    # when
    response = client_for(None).get("/api/categories/flowers")

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["product_count"], body["package_count"]) == (
        shop["flowers"].pk,
        2,
        0,
    )
    assert body["image"] is None
    gifts = client_for(None).get("/api/categories/gifts").json()
    assert _stored(gifts["image"]["thumbnail"]["url"])


def test_v2_categories_carry_their_item_counts(shop):
    # when
    detail = APIClient().get(f"/api/v2/pages/{shop['flowers'].pk}/").json()
    listing = APIClient().get(
        "/api/v2/pages/",
        {"type": "commerce.CategoryPage", "fields": "product_count,package_count"},
    )

    # then
    assert (detail["product_count"], detail["package_count"]) == (2, 0)
    assert [
        (item["title"], item["product_count"], item["package_count"])
        for item in listing.json()["items"]
    ] == [("Flowers", 2, 0), ("Roses", 1, 0), ("Gifts", 1, 1)]
