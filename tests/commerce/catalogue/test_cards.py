"""The read model: stored cards read as the serializers render, and never stale.

The response cache is off here (``uncached``), so every read goes through the cards.
"""

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from commerce.catalogue.api.cards import cards_render_stale
from commerce.catalogue.api.views.common import PACKAGES, PRODUCTS, serializer_context
from commerce.catalogue.models import Brand, PackageSales, ProductStock, SellableCard
from commerce.catalogue.services import cards as cards_service
from commerce.catalogue.services.cards import cards_invalidate, cards_store
from commerce.catalogue.services.categories import category_update
from commerce.catalogue.services.offers import offer_create
from commerce.catalogue.services.ratings import sellable_rating_set
from commerce.catalogue.services.sellables import product_update
from commerce.catalogue.services.stock import stock_set
from commerce.enums import OfferKind
from customization.services import customization_update
from tests.commerce.catalogue_factories import (
    brand_make,
    category_make,
    material_make,
    package_make,
    product_make,
)
from tests.commerce.fixtures import client_for
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(uncached):
    """A product with everything a card shows, another, and a package of both."""
    category = category_make("Gifts")
    brand = brand_make("Acme")
    lamp = product_make(
        category,
        title="Lamp",
        images=2,
        tags=["light"],
        brand=brand.pk,
        materials=[material_make("Brass").pk],
    )
    mug = product_make(category, title="Mug", price="6.00", stock=3)
    engraving = customization_make("image", name="Engraving")
    attach(lamp, engraving)
    sellable_rating_set(kind="product", item_id=lamp.pk, total=9, count=2)
    offer_create(
        name="Spring", kind=OfferKind.PERCENTAGE, value=Decimal("10"), products=[mug]
    )
    box = package_make(category, [(lamp, 1), (mug, 2)], title="Box")
    return {
        "category": category,
        "brand": brand,
        "lamp": lamp,
        "mug": mug,
        "box": box,
        "engraving": engraving,
    }


def _serialized(kind, pk, host="testserver"):
    """What the serializers render for an anonymous caller, without the read model."""
    request = RequestFactory().get("/", HTTP_HOST=host)
    item = kind.get(lookup=str(pk))
    data = kind.output(item, context=serializer_context(request, [item])).data
    return json.loads(JSONRenderer().render(data))


def _detail(kind, pk, **headers):
    response = client_for(None).get(f"/api/{kind.plural}/{pk}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def _card(pk):
    return SellableCard.objects.get(pk=pk)


def test_a_stored_card_reads_as_the_serializers_render_it(shelf):
    items = [
        (PRODUCTS, shelf["lamp"]),
        (PRODUCTS, shelf["mug"]),
        (PACKAGES, shelf["box"]),
    ]
    for kind, item in items:
        expected = _serialized(kind, item.pk)
        assert expected["images"] or kind is not PRODUCTS or item != shelf["lamp"]

        rendered = _detail(kind, item.pk)  # renders and stores the card
        stored = _detail(kind, item.pk)  # reads it

        assert rendered == stored == expected
        card = _card(item.pk)
        assert card.built_generation == card.generation
    lamp = _detail(PRODUCTS, shelf["lamp"].pk)
    assert lamp["brand"]["name"] == "Acme"
    assert lamp["customizations"][0]["name"] == "Engraving"
    assert lamp["rating_count"] == 2
    assert _detail(PRODUCTS, shelf["mug"].pk)["offer"]["name"] == "Spring"


def test_a_list_is_its_items_cards_in_its_envelope(shelf):
    client = client_for(None)

    first = client.get("/api/products", {"page_size": 1, "sort": "name"}).json()
    again = client.get("/api/products", {"page_size": 1, "sort": "name"}).json()

    assert first == again
    assert first["count"] == 2
    assert first["total_pages"] == 2
    assert first["next"].startswith("http://testserver/api/products?")
    assert first["results"] == [_serialized(PRODUCTS, shelf["lamp"].pk)]
    cursor = client.get("/api/products", {"pagination": "cursor", "page_size": 1})
    assert cursor.json()["results"] == [_serialized(PRODUCTS, shelf["mug"].pk)]


def test_urls_in_a_card_carry_the_callers_origin(shelf):
    lamp = shelf["lamp"].pk

    here = _detail(PRODUCTS, lamp)
    there = _detail(PRODUCTS, lamp, HTTP_HOST="shop.example")

    assert here["images"][0]["thumbnail"]["url"].startswith("http://testserver/media/")
    assert there["images"][0]["thumbnail"]["url"].startswith(
        "http://shop.example/media/"
    )
    assert there == _serialized(PRODUCTS, lamp, host="shop.example")
    assert "catalogue-card.invalid" not in json.dumps(there)


def _price_change(shelf):
    product_update(
        product=shelf["lamp"], data={"price": Decimal("12.50")}, publish=True, user=None
    )


def _offer(shelf):
    offer_create(
        name="Lamp week",
        kind=OfferKind.FIXED,
        value=Decimal("1"),
        products=[shelf["lamp"]],
    )


def _customization_renamed(shelf):
    customization_update(
        customization=shelf["engraving"],
        data={"name": "Laser engraving"},
        publish=True,
        user=None,
    )


def _brand_renamed(shelf):
    brand = Brand.objects.get(pk=shelf["brand"].pk)
    brand.name = "Acme Lighting"
    brand.save()


def _category_renamed(shelf):
    category_update(
        category=shelf["category"], data={"title": "Presents"}, publish=True, user=None
    )


def _rated(shelf):
    sellable_rating_set(kind="product", item_id=shelf["lamp"].pk, total=5, count=1)


def _image_retitled(shelf):
    image = shelf["lamp"].gallery_images.first().image
    image.title = "Lamp at night"
    image.save()


@pytest.mark.parametrize(
    "change",
    [
        _price_change,
        _offer,
        _customization_renamed,
        _brand_renamed,
        _category_renamed,
        _rated,
        _image_retitled,
    ],
)
def test_every_change_a_card_shows_is_read_right_after_it(shelf, change):
    # given: the lamp's and the box's cards stored
    lamp, box = shelf["lamp"].pk, shelf["box"].pk
    before = (_detail(PRODUCTS, lamp), _detail(PACKAGES, box))

    # when
    change(shelf)

    # then: the detail, the list and the package holding it read as rendered now
    after = _detail(PRODUCTS, lamp)
    assert after == _serialized(PRODUCTS, lamp)
    assert after != before[0]
    assert _detail(PACKAGES, box) == _serialized(PACKAGES, box)
    listed = client_for(None).get("/api/products", {"sort": "name"}).json()
    assert listed["results"][0] == after


def test_unpublished_items_leave_the_lists_and_their_details(shelf):
    lamp = shelf["lamp"]
    _detail(PRODUCTS, lamp.pk)

    lamp.get_latest_revision_as_object().unpublish()

    assert client_for(None).get(f"/api/products/{lamp.pk}").status_code == 404
    listed = client_for(None).get("/api/products").json()
    assert [item["name"] for item in listed["results"]] == ["Mug"]


def test_a_stock_change_keeps_the_cards_and_shows_the_new_stock(shelf):
    lamp = shelf["lamp"].pk
    _detail(PRODUCTS, lamp)
    generation = _card(lamp).generation

    stock_set(product_id=lamp, quantity=0)

    assert _card(lamp).generation == generation
    assert _detail(PRODUCTS, lamp)["stock"] == {"quantity": 0, "in_stock": False}
    box = _detail(PACKAGES, shelf["box"].pk)
    assert box["stock"] == {"quantity": 0, "in_stock": False}
    assert [c["in_stock"] for c in box["components"]] == [False, True]


def test_a_card_rendered_before_a_change_is_never_stored_as_current(shelf):
    # given: a read saw generation g, then a change raised it while it rendered
    lamp = shelf["lamp"].pk
    _detail(PRODUCTS, lamp)
    seen = _card(lamp).generation
    cards_invalidate(page_ids=[lamp])

    # when: that read stores what it rendered
    cards_store({lamp: (seen, '{"stale":true}\x1d[[],[]]')})

    # then: not stored; the next read renders the change
    card = _card(lamp)
    assert card.generation == seen + 1
    assert card.built_generation == seen
    assert _detail(PRODUCTS, lamp) == _serialized(PRODUCTS, lamp)
    assert _card(lamp).built_generation == seen + 1


def test_a_products_sales_show_at_once_a_packages_within_the_max_age(
    shelf, settings, time_machine
):
    settings.CATALOGUE_CARD_MAX_AGE = 300
    lamp, box = shelf["lamp"].pk, shelf["box"].pk
    assert _detail(PRODUCTS, lamp)["units_sold"] == 0
    assert _detail(PACKAGES, box)["units_sold"] == 0
    ProductStock.objects.filter(product_id=lamp).update(units_sold=7)
    PackageSales.objects.update_or_create(package_id=box, defaults={"units_sold": 3})

    # a product's units sold fill a hole, as its stock does
    assert _detail(PRODUCTS, lamp)["units_sold"] == 7
    # a package's are part of its card
    assert _detail(PACKAGES, box)["units_sold"] == 0
    built_at = _card(lamp).built_at
    time_machine.move_to(timezone.now() + timedelta(seconds=301))
    assert _detail(PACKAGES, box)["units_sold"] == 3
    # a product's card is not rendered again for its age
    assert _detail(PRODUCTS, lamp)["units_sold"] == 7
    assert _card(lamp).built_at == built_at


def test_a_new_shop_currency_renders_the_cards_again(shelf, settings):
    lamp = shelf["lamp"].pk
    assert _detail(PRODUCTS, lamp)["currency"] == "EUR"

    settings.SHOP_CURRENCY = "GBP"

    assert _detail(PRODUCTS, lamp)["currency"] == "GBP"


def test_a_card_of_a_former_release_is_rendered_again(shelf):
    lamp = shelf["lamp"].pk
    _detail(PRODUCTS, lamp)
    SellableCard.objects.filter(pk=lamp).update(body='0:EUR\x1f{"old":1}\x1d[[],[]]')

    assert _detail(PRODUCTS, lamp) == _serialized(PRODUCTS, lamp)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent readers and writers need PostgreSQL's row locks",
)
def test_readers_racing_price_changes_end_on_the_last_price(committed_db, shelf):
    lamp = shelf["lamp"]
    stop = threading.Event()
    errors = []

    def read():
        from django.db import connections

        try:
            while not stop.is_set():
                response = client_for(None).get(f"/api/products/{lamp.pk}")
                if response.status_code != 200:
                    errors.append(response.status_code)
        finally:
            connections.close_all()

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for cents in range(1001, 1021):
            product_update(
                product=lamp,
                data={"price": Decimal(cents) / 100},
                publish=True,
                user=None,
            )
    finally:
        stop.set()
        for reader in readers:
            reader.join()

    assert errors == []
    assert _detail(PRODUCTS, lamp.pk)["price"] == "10.20"
    card = _card(lamp.pk)
    assert card.built_generation == card.generation


def test_many_items_are_marked_stale_in_batches(shelf, monkeypatch):
    monkeypatch.setattr(cards_service, "INVALIDATE_BATCH", 1)
    ids = [shelf["lamp"].pk, shelf["mug"].pk, shelf["box"].pk]
    for kind, pk in zip([PRODUCTS, PRODUCTS, PACKAGES], ids, strict=True):
        _detail(kind, pk)
    before = {pk: _card(pk).generation for pk in ids}

    cards_invalidate(page_ids=ids)

    assert {pk: _card(pk).generation for pk in ids} == {
        pk: generation + 1 for pk, generation in before.items()
    }


def test_the_queue_renders_the_cards_a_change_made_stale(
    shelf, django_capture_on_commit_callbacks
):
    # given: stored cards
    lamp, box = shelf["lamp"].pk, shelf["box"].pk
    _detail(PRODUCTS, lamp)
    _detail(PACKAGES, box)

    # when: a change commits (the queue runs its task at once in tests)
    with django_capture_on_commit_callbacks(execute=True):
        _price_change(shelf)

    # then: the lamp's card and its package's are current before any read
    for pk in (lamp, box):
        card = _card(pk)
        assert card.built_generation == card.generation
    assert '"price":"12.50"' in _card(lamp).body


def test_the_sweep_renders_every_stale_card(shelf):
    cards_invalidate(everything=True)

    rendered = cards_render_stale()

    assert rendered == 3
    assert cards_render_stale() == 0
    assert SellableCard.objects.exclude(built_generation=F("generation")).count() == 0
