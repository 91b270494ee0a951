"""Offers: best single offer per item, schedule, filters and sorts, cart and order
snapshots, admin and validation."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from commerce.cart.models import CartLine
from commerce.catalogue.models import Offer, ProductOfferPrice
from commerce.catalogue.services.cards import cards_invalidate
from commerce.catalogue.services.offers import (
    offer_create,
    offer_delete,
    offer_prices_refresh,
)
from commerce.catalogue.services.sellables import product_update
from commerce.enums import OfferKind
from commerce.orders.models import OrderLine
from commerce.tasks import offer_prices_refresh_task
from tests.commerce.catalogue_factories import (
    category_make,
    package_make,
    product_make,
)
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = pytest.mark.django_db
# The product list with offers: constant whatever the page size.
# Rendering the page's cards (see test_list_queries.py).
PRODUCT_LIST_QUERIES = 13


@pytest.fixture
def shop():
    flowers = category_make("Flowers")
    roses = category_make("Roses", parent=flowers)
    gifts = category_make("Gifts")
    rose = product_make(roses, title="Rose", price="10.00", stock=20)
    tulip = product_make(flowers, title="Tulip", price="4.00", stock=20)
    mug = product_make(gifts, title="Mug", price="12.00", stock=20)
    bouquet = package_make(
        flowers, [(rose, 2), (tulip, 1)], price="20.00", title="Bouquet"
    )
    return {
        "flowers": flowers,
        "roses": roses,
        "gifts": gifts,
        "rose": rose,
        "tulip": tulip,
        "mug": mug,
        "bouquet": bouquet,
    }


def _get(path, params=None):
    response = APIClient().get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def _prices(body):
    return [
        (item["name"], item["price"], item["compare_at_price"], item["is_on_sale"])
        for item in body["results"]
    ]


def test_overlapping_offers_the_lowest_single_price_wins_and_never_stacks(shop):
    # given: 20 % on the Flowers category and 3.00 off the rose
    ends = timezone.now() + timedelta(days=3)
    offer_create(
        name="Spring 20",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("20"),
        categories=[shop["flowers"]],
    )
    offer_create(
        name="Rose deal",
        kind=OfferKind.FIXED,
        value=Decimal("3.00"),
        ends_at=ends,
        products=[shop["rose"]],
    )

    # when
    rose = _get(f"/api/products/{shop['rose'].pk}")
    tulip = _get(f"/api/products/{shop['tulip'].pk}")
    mug = _get(f"/api/products/{shop['mug'].pk}")
    bouquet = _get(f"/api/packages/{shop['bouquet'].pk}")

    # then: rose 10 → 8.00 (20 %) or 7.00 (−3): the fixed offer wins alone
    assert (rose["price"], rose["compare_at_price"], rose["is_on_sale"]) == (
        "7.00",
        "10.00",
        True,
    )
    assert rose["offer"] == {
        "name": "Rose deal",
        "ends_at": ends.isoformat().replace("+00:00", "Z"),
    }
    # the category offer reaches subcategories' products and packages
    assert (tulip["price"], tulip["compare_at_price"], tulip["offer"]) == (
        "3.20",
        "4.00",
        {"name": "Spring 20", "ends_at": None},
    )
    assert (bouquet["price"], bouquet["compare_at_price"]) == ("16.00", "20.00")
    assert (mug["price"], mug["compare_at_price"], mug["is_on_sale"]) == (
        "12.00",
        None,
        False,
    )
    assert mug["offer"] is None


def test_a_fixed_amount_above_the_price_sells_for_zero_and_ties_go_to_the_first_ending(
    shop,
):
    soon = timezone.now() + timedelta(days=1)
    offer_create(
        name="Later", kind=OfferKind.FIXED, value=Decimal("50"), products=[shop["mug"]]
    )
    offer_create(
        name="Sooner",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("100"),
        ends_at=soon,
        products=[shop["mug"]],
    )

    mug = _get(f"/api/products/{shop['mug'].pk}")

    assert (mug["price"], mug["offer"]["name"]) == ("0.00", "Sooner")


def test_a_scheduled_offer_starts_and_ends_with_the_minute_task_and_the_cache_follows(
    shop,
):
    # given: an offer tomorrow for one day, and the list already cached
    start = timezone.now() + timedelta(days=1)
    offer_create(
        name="Tomorrow",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("50"),
        starts_at=start,
        ends_at=start + timedelta(days=1),
        products=[shop["mug"]],
    )
    params = {"category": "gifts"}
    assert _prices(_get("/api/products", params)) == [("Mug", "12.00", None, False)]
    assert not ProductOfferPrice.objects.exists()

    # when: it starts
    with time_machine.travel(start + timedelta(seconds=30)):
        changed = offer_prices_refresh_task.call_local()
        running = _get("/api/products", params)
        detail = _get(f"/api/products/{shop['mug'].pk}")

    # then
    assert changed == 1
    assert _prices(running) == [("Mug", "6.00", "12.00", True)]
    assert detail["offer"]["name"] == "Tomorrow"

    # when: it ends
    with time_machine.travel(start + timedelta(days=1, seconds=30)):
        changed = offer_prices_refresh_task.call_local()
        ended = _get("/api/products", params)
        unchanged = offer_prices_refresh_task.call_local()

    assert (changed, unchanged) == (1, 0)
    assert _prices(ended) == [("Mug", "12.00", None, False)]
    assert not ProductOfferPrice.objects.exists()


def test_inactive_offers_and_deleted_offers_do_not_apply(shop):
    offer = offer_create(
        name="Off", kind=OfferKind.FIXED, value=Decimal("1"), products=[shop["mug"]]
    )
    assert _get(f"/api/products/{shop['mug'].pk}")["price"] == "11.00"

    Offer.objects.filter(pk=offer.pk).update(is_active=False)
    offer_prices_refresh()
    assert _get(f"/api/products/{shop['mug'].pk}")["price"] == "12.00"

    Offer.objects.filter(pk=offer.pk).update(is_active=True)
    offer_prices_refresh()
    offer_delete(offer=offer)
    assert _get(f"/api/products/{shop['mug'].pk}")["price"] == "12.00"
    assert not ProductOfferPrice.objects.exists()


def test_a_new_price_published_is_discounted_again(shop):
    offer_create(
        name="Half",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("50"),
        products=[shop["mug"]],
    )

    product_update(
        product=shop["mug"], data={"price": Decimal("20.00")}, publish=True, user=None
    )

    mug = _get(f"/api/products/{shop['mug'].pk}")
    assert (mug["price"], mug["compare_at_price"]) == ("10.00", "20.00")


def test_on_sale_filters_and_price_filters_and_sorts_use_the_offer_price(shop):
    # given: the mug (12.00) drops to 2.00; the tulip has the editor's compare-at
    offer_create(
        name="Mug", kind=OfferKind.FIXED, value=Decimal("10"), products=[shop["mug"]]
    )
    product_update(
        product=shop["tulip"],
        data={"compare_at_price": Decimal("5.00")},
        publish=True,
        user=None,
    )

    on_sale = _get("/api/products", {"on_sale": "true", "sort": "price"})
    not_on_sale = _get("/api/products", {"on_sale": "false"})
    cheap = _get("/api/products", {"price_max": "3.00"})
    by_price = _get("/api/products", {"sort": "-price"})
    packages_on_sale = _get("/api/packages", {"on_sale": "true"})

    assert _prices(on_sale) == [
        ("Mug", "2.00", "12.00", True),
        ("Tulip", "4.00", "5.00", True),
    ]
    assert [item["name"] for item in not_on_sale["results"]] == ["Rose"]
    assert [item["name"] for item in cheap["results"]] == ["Mug"]
    assert [item["name"] for item in by_price["results"]] == ["Rose", "Tulip", "Mug"]
    assert packages_on_sale["results"] == []


def test_cursor_pages_sorted_by_price_follow_the_offer_price(shop):
    offer_create(
        name="Mug", kind=OfferKind.FIXED, value=Decimal("10"), products=[shop["mug"]]
    )
    client = APIClient()

    first = client.get(
        "/api/products", {"sort": "price", "pagination": "cursor", "page_size": 2}
    ).json()
    second = client.get(first["next"]).json()

    assert [item["name"] for item in first["results"]] == ["Mug", "Tulip"]
    assert [item["name"] for item in second["results"]] == ["Rose"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"on_sale": "maybe"}, "on_sale", id="on_sale_case"),
        pytest.param({"sort": "cheapest"}, "sort", id="sort_case"),
    ],
)
def test_bad_list_parameters_are_400_with_the_field(shop, params, field):
    response = APIClient().get("/api/products", params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_cart_and_the_order_take_the_offer_price_and_the_order_keeps_the_offer(
    shop,
):
    # given
    offer_create(
        name="Rose deal",
        kind=OfferKind.FIXED,
        value=Decimal("3.00"),
        products=[shop["rose"]],
    )
    client = client_for(UserFactory())
    client.post(
        "/api/cart/items", {"product": shop["rose"].pk, "quantity": 2}, format="json"
    )
    client.post(
        "/api/cart/items", {"product": shop["mug"].pk, "quantity": 1}, format="json"
    )

    # when
    cart = client.get("/api/cart").json()
    placed = client.post("/api/orders", {"shipping_address": ADDRESS}, format="json")

    # then
    assert [
        (
            line["item"]["name"],
            line["item"]["price"],
            line["item"]["compare_at_price"],
            line["item"]["offer"],
            line["unit_price"],
            line["line_total"],
        )
        for line in cart["lines"]
    ] == [
        (
            "Rose",
            "7.00",
            "10.00",
            {"name": "Rose deal", "ends_at": None},
            "7.00",
            "14.00",
        ),
        ("Mug", "12.00", None, None, "12.00", "12.00"),
    ]
    assert cart["subtotal"] == "26.00"
    assert placed.status_code == 201, placed.content
    body = placed.json()
    assert body["subtotal"] == "26.00"
    assert [
        (
            line["name"],
            line["unit_price"],
            line["original_unit_price"],
            line["offer_name"],
        )
        for line in body["lines"]
    ] == [("Rose", "7.00", "10.00", "Rose deal"), ("Mug", "12.00", None, "")]
    # the snapshot outlives the offer
    Offer.objects.all().delete()
    offer_prices_refresh()
    line = OrderLine.objects.get(product=shop["rose"])
    assert (line.unit_price, line.original_unit_price, line.offer_name) == (
        Decimal("7.00"),
        Decimal("10.00"),
        "Rose deal",
    )


def test_the_admin_order_page_shows_the_offer_of_a_line(client, shop):
    offer_create(
        name="Rose deal",
        kind=OfferKind.FIXED,
        value=Decimal("3"),
        products=[shop["rose"]],
    )
    buyer = client_for(UserFactory())
    placed = buyer.post(
        "/api/orders",
        {"lines": [{"product": shop["rose"].pk}], "shipping_address": ADDRESS},
        format="json",
    )
    client.force_login(UserFactory(role="manager"))

    response = client.get(f"/admin/commerce/order/inspect/{placed.json()['id']}/")

    assert response.status_code == 200
    assert "<s>10.00</s> Rose deal" in response.content.decode()


def test_explicit_order_lines_get_the_offer_price(shop):
    offer_create(
        name="Bouquets",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("25"),
        packages=[shop["bouquet"]],
    )
    client = client_for(UserFactory())

    response = client.post(
        "/api/orders",
        {
            "lines": [{"package": shop["bouquet"].pk, "quantity": 1}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert (line["unit_price"], line["original_unit_price"], line["offer_name"]) == (
        "15.00",
        "20.00",
        "Bouquets",
    )


def test_an_offer_starting_after_the_cart_was_shown_answers_409_then_places(shop):
    # given: the rose went into the cart at 10.00; an offer starts afterwards
    client = client_for(UserFactory())
    client.post("/api/cart/items", {"product": shop["rose"].pk}, format="json")
    # (soon: the customer's access token lives a few minutes)
    start = timezone.now() + timedelta(seconds=30)
    offer_create(
        name="Flash",
        kind=OfferKind.FIXED,
        value=Decimal("1.00"),
        starts_at=start,
        products=[shop["rose"]],
    )

    with time_machine.travel(start + timedelta(seconds=10)):
        offer_prices_refresh_task.call_local()
        # when
        refused = client.post(
            "/api/orders", {"shipping_address": ADDRESS}, format="json"
        )
        shown = client.get("/api/cart").json()
        placed = client.post(
            "/api/orders", {"shipping_address": ADDRESS}, format="json"
        )

    # then
    assert refused.status_code == 409
    assert [(c["shown"], c["now"]) for c in refused.json()["changes"]] == [
        ("10.00", "9.00")
    ]
    assert shown["lines"][0]["price_changed_from"] == "10.00"
    assert placed.status_code == 201, placed.content
    assert placed.json()["subtotal"] == "9.00"
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        pytest.param(
            {"kind": OfferKind.PERCENTAGE, "value": Decimal("150")},
            {"value": ["A percentage must be above 0 and at most 100."]},
            id="percentage_above_100_case",
        ),
        pytest.param(
            {"kind": OfferKind.PERCENTAGE, "value": Decimal("0")},
            {
                "value": [
                    "Ensure this value is greater than or equal to 0.01.",
                    "Must be above 0.",
                ]
            },
            id="percentage_zero_case",
        ),
        pytest.param(
            {"kind": OfferKind.FIXED, "value": Decimal("-1")},
            {
                "value": [
                    "Ensure this value is greater than or equal to 0.01.",
                    "Must be above 0.",
                ]
            },
            id="fixed_negative_case",
        ),
        pytest.param(
            {"ends_at_offset": timedelta(hours=-1)},
            {"ends_at": ["Must be after the start."]},
            id="end_before_start_case",
        ),
        pytest.param(
            {"no_targets": True},
            {"products": ["Choose at least one product, package or category."]},
            id="no_target_case",
        ),
    ],
)
def test_bad_offers_are_refused_with_field_messages(shop, fields, errors):
    start = timezone.now()
    offset = fields.pop("ends_at_offset", None)
    no_targets = fields.pop("no_targets", False)
    values = {"kind": OfferKind.FIXED, "value": Decimal("1"), **fields}

    with pytest.raises(ValidationError) as raised:
        offer_create(
            name="Bad",
            starts_at=start,
            ends_at=start + offset if offset else None,
            products=[] if no_targets else [shop["mug"]],
            **values,
        )

    assert raised.value.message_dict == errors
    assert not Offer.objects.exists()


def test_offers_are_logged(shop):
    user = UserFactory(role="manager")

    offer = offer_create(
        name="Logged",
        kind=OfferKind.FIXED,
        value=Decimal("1"),
        products=[shop["mug"]],
        user=user,
    )

    entry = ModelLogEntry.objects.get(object_id=str(offer.pk))
    assert (entry.action, entry.user_id) == ("wagtail.create", user.pk)


ADMIN_OFFERS = "/admin/snippets/commerce/offer/"


def _admin_form(shop, **overrides):
    data = {
        "name": "Admin offer",
        "kind": "percentage",
        "value": "10",
        "starts_at": "2020-01-01 00:00",
        "ends_at": "",
        "is_active": "on",
        "products": [str(shop["mug"].pk)],
        "packages": [],
        "categories": [],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != []}


def test_a_manager_creates_an_offer_in_the_admin_and_the_price_changes(client, shop):
    client.force_login(UserFactory(role="manager"))

    page = client.get(f"{ADMIN_OFFERS}add/")
    response = client.post(f"{ADMIN_OFFERS}add/", _admin_form(shop))

    assert page.status_code == 200
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert list(offer.products.all()) == [shop["mug"]]
    assert ModelLogEntry.objects.get(object_id=str(offer.pk)).action == "wagtail.create"
    assert _get(f"/api/products/{shop['mug'].pk}")["price"] == "10.80"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"value": "150"},
            "A percentage must be above 0 and at most 100.",
            id="percentage_case",
        ),
        pytest.param(
            {"kind": "fixed", "value": "0"},
            "Ensure this value is greater than or equal to 0.01.",
            id="fixed_zero_case",
        ),
        pytest.param(
            {"ends_at": "2019-12-31 00:00"},
            "Must be after the start.",
            id="end_before_start_case",
        ),
        pytest.param(
            {"products": []},
            "Choose at least one product, package or category.",
            id="no_target_case",
        ),
    ],
)
def test_the_admin_refuses_bad_offers_with_field_messages(
    client, shop, overrides, message
):
    client.force_login(UserFactory(role="manager"))

    response = client.post(f"{ADMIN_OFFERS}add/", _admin_form(shop, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_the_offer_admin_lists_every_kind_of_offer_for_staff_only(client, shop):
    now = timezone.now()
    offer_create(
        name="Running", kind=OfferKind.FIXED, value=Decimal("1"), products=[shop["mug"]]
    )
    offer_create(
        name="Scheduled",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("12.5"),
        starts_at=now + timedelta(days=2),
        packages=[shop["bouquet"]],
    )
    ended = offer_create(
        name="Ended",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("5"),
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
        categories=[shop["flowers"]],
    )
    offer_create(
        name="Inactive",
        kind=OfferKind.FIXED,
        value=Decimal("2"),
        is_active=False,
        products=[shop["rose"]],
    )
    client.force_login(UserFactory(role="manager"))

    index = client.get(ADMIN_OFFERS)
    edit = client.get(f"{ADMIN_OFFERS}edit/{ended.pk}/")
    client.force_login(UserFactory(role="customer"))
    refused = client.get(ADMIN_OFFERS)

    assert (index.status_code, edit.status_code) == (200, 200)
    content = index.content.decode()
    for state in ("Running", "Scheduled", "Ended", "Inactive", "12.5 %"):
        assert state in content
    assert refused.status_code == 302


def test_deleting_an_offer_in_the_admin_restores_the_price(client, shop):
    offer = offer_create(
        name="Gone", kind=OfferKind.FIXED, value=Decimal("2"), products=[shop["mug"]]
    )
    client.force_login(UserFactory(role="administrator"))

    response = client.post(f"{ADMIN_OFFERS}delete/{offer.pk}/")

    assert response.status_code == 302
    assert not Offer.objects.exists()
    assert _get(f"/api/products/{shop['mug'].pk}")["price"] == "12.00"


def test_the_product_list_with_offers_costs_the_same_queries_at_any_page_size(
    settings, django_assert_num_queries
):
    settings.CATALOGUE_CACHE_TIMEOUT = 0
    category = category_make()
    products = [product_make(category, images=1, tags=["a"]) for _ in range(20)]
    offer_create(
        name="Half the list",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("10"),
        products=products[::2],
    )
    offer_create(
        name="Whole category",
        kind=OfferKind.FIXED,
        value=Decimal("0.50"),
        categories=[category],
    )
    client = APIClient()
    client.get("/api/products", {"page_size": 20})  # warm renditions

    cards_invalidate(everything=True)  # the cards are rendered (the read model)
    with django_assert_num_queries(PRODUCT_LIST_QUERIES):
        small = client.get("/api/products", {"page_size": 3, "on_sale": "true"})
    cards_invalidate(everything=True)
    with django_assert_num_queries(PRODUCT_LIST_QUERIES):
        large = client.get("/api/products", {"page_size": 20, "on_sale": "true"})

    assert (len(small.json()["results"]), len(large.json()["results"])) == (3, 20)
    names = sorted(item["offer"]["name"] for item in large.json()["results"])
    assert names == ["Half the list"] * 10 + ["Whole category"] * 10


def test_the_wagtail_api_shows_the_offer_price(shop):
    offer_create(
        name="Mug", kind=OfferKind.FIXED, value=Decimal("2"), products=[shop["mug"]]
    )

    body = _get(
        "/api/v2/pages/",
        {"type": "commerce.ProductPage", "fields": "price,compare_at_price,offer"},
    )

    mug = next(item for item in body["items"] if item["id"] == shop["mug"].pk)
    assert (mug["price"], mug["compare_at_price"], mug["offer"]) == (
        "10.00",
        "12.00",
        {"name": "Mug", "ends_at": None},
    )


def test_the_demo_catalogue_has_running_and_scheduled_offers():
    call_command(
        "seed_catalogue",
        "--products",
        "8",
        "--packages",
        "2",
        "--orders",
        "0",
        "--quiet",
    )
    call_command(
        "seed_catalogue",
        "--products",
        "8",
        "--packages",
        "2",
        "--orders",
        "0",
        "--quiet",
    )

    products = _get("/api/products", {"on_sale": "true", "page_size": 50})
    packages = _get("/api/packages", {"on_sale": "true"})

    assert sorted(Offer.objects.values_list("name", flat=True)) == [
        "Gift set deal: 20 % off",
        "Spring flowers: 15 % off",
        "Weekend gifts: 25 % off",
        "€5 off this week's favourite",
    ]
    offers = {item["offer"]["name"] for item in products["results"] if item["offer"]}
    assert offers == {"Spring flowers: 15 % off", "€5 off this week's favourite"}
    assert "Gift set deal: 20 % off" in {
        item["offer"]["name"] for item in packages["results"] if item["offer"]
    }
