"""Public catalogue reads: shared cache, invalidation, ETag/304, Redis outages and
keyset pagination."""

import pickle
import socket
import sys
import threading
import time
import types
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductPage
from commerce.catalogue.services.cache import (
    LISTS_SCOPE,
    RECORD_SPLIT,
    STOCK_SCOPE,
    catalogue_cache_forget,
    catalogue_cache_invalidate,
    catalogue_version_get,
)
from commerce.catalogue.services.sellables import product_update
from commerce.catalogue.services.stock import stock_adjust, stock_set
from tests.commerce.catalogue_factories import (
    category_make,
    package_make,
    product_make,
)
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalogue_cache")]


@pytest.fixture
def shop():
    category = category_make("Lamps")
    lamp = product_make(category, title="Lamp", price="10.00", stock=5)
    vase = product_make(category, title="Vase", price="20.00", stock=2)
    duo = package_make(category, [(lamp, 1), (vase, 1)], title="Duo", price="25.00")
    return {"category": category, "lamp": lamp, "vase": vase, "duo": duo}


def _get(path, client=None, **headers):
    return (client or APIClient()).get(path, **headers)


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def _queries(path, client=None, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = _get(path, client, **headers)
    return response, len(queries.captured_queries)


# SERVED FROM THE CACHE


@pytest.mark.parametrize(
    "path_case",
    ["/api/products", "/api/packages", "/api/categories", "product", "package"],
)
def test_a_second_public_read_is_served_from_the_cache_without_queries(shop, path_case):
    path = {
        "product": f"/api/products/{shop['lamp'].pk}",
        "package": f"/api/packages/{shop['duo'].pk}",
    }.get(path_case, path_case)

    first, first_queries = _queries(path)
    second, second_queries = _queries(path)

    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"


def test_anonymous_and_customer_reads_share_one_entry_and_differ_only_by_auth(shop):
    # given: an anonymous read filled the cache
    anonymous = _get("/api/products")
    customer_client = client_for(UserFactory(role="customer"))

    # when
    customer, queries = _queries("/api/products", customer_client)

    # then: the same body and ETag; only token and permission lookups hit the database
    assert customer.content == anonymous.content
    assert customer["ETag"] == anonymous["ETag"]
    assert customer["Cache-Control"] == "public, no-cache"
    assert "Authorization" in customer["Vary"]
    assert queries <= 4


def test_staff_reads_bypass_the_cache_and_never_fill_it(shop):
    # given
    draft = product_make(shop["category"], title="Secret", publish=False)
    manager = client_for(UserFactory(role="manager"))

    # when: staff read first, then the public
    staff = _get("/api/products", manager)
    staff_detail = _get(f"/api/products/{draft.pk}", manager)
    public = _get("/api/products")
    public_detail = _get(f"/api/products/{draft.pk}")

    # then
    assert "Secret" in _names(staff)
    assert "private" in staff["Cache-Control"]
    assert "ETag" not in staff
    assert staff_detail.status_code == 200
    assert "Secret" not in _names(public)
    assert public_detail.status_code == 404


def test_responses_differ_by_host_because_image_urls_are_absolute():
    product = product_make(category_make(), images=1)

    one = _get(f"/api/products/{product.pk}", HTTP_HOST="one.example.com")
    two = _get(f"/api/products/{product.pk}", HTTP_HOST="two.example.com")

    assert one.json()["images"][0]["large"]["url"].startswith("http://one.example")
    assert two.json()["images"][0]["large"]["url"].startswith("http://two.example")


# INVALIDATION


def _publish_price(shop):
    product_update(
        product=shop["lamp"], data={"price": Decimal("12.00")}, publish=True, user=None
    )


def _unpublish(shop):
    shop["lamp"].unpublish()


def _stock_set(shop):
    stock_set(product_id=shop["lamp"].pk, quantity=0)


def _stock_adjust(shop):
    stock_adjust(product_id=shop["lamp"].pk, delta=-5)


def _order_placed(shop):
    customer = client_for(UserFactory(role="customer"))
    body = {
        "lines": [{"product": shop["lamp"].pk, "quantity": 5}],
        "shipping_address": ADDRESS,
    }
    response = customer.post("/api/orders", body, format="json")
    assert response.status_code == 201, response.content


def _api_stock_change(shop):
    manager = client_for(UserFactory(role="manager"))
    response = manager.patch(
        f"/api/products/{shop['lamp'].pk}", {"stock_quantity": 0}, format="json"
    )
    assert response.status_code == 200, response.content


CHANGES = {
    "publish_case": (_publish_price, {"price": "12.00", "stock": 5}),
    "unpublish_case": (_unpublish, None),
    "stock_set_case": (_stock_set, {"price": "10.00", "stock": 0}),
    "stock_adjust_case": (_stock_adjust, {"price": "10.00", "stock": 0}),
    "order_placed_case": (_order_placed, {"price": "10.00", "stock": 0}),
    "api_stock_change_case": (_api_stock_change, {"price": "10.00", "stock": 0}),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_publishing_unpublishing_and_stock_changes_invalidate_list_and_detail(
    shop, change
):
    # given: list, detail by id and by slug, and the package holding it, all cached
    lamp = shop["lamp"]
    paths = {
        "list": "/api/products?sort=name",
        "detail": f"/api/products/{lamp.pk}",
        "slug": f"/api/products/{lamp.slug}",
        "package": f"/api/packages/{shop['duo'].pk}",
    }
    before = {name: _get(path) for name, path in paths.items()}
    assert all(_queries(path)[1] == 0 for path in paths.values())
    act, expected = CHANGES[change]

    # when
    act(shop)

    # then
    after = {name: _get(path) for name, path in paths.items()}
    for name in paths:
        assert after[name].get("ETag") != before[name]["ETag"], name
    listed = {item["name"]: item for item in after["list"].json()["results"]}
    duo_lamp = after["package"].json()["components"][0]
    if expected is None:
        assert list(listed) == ["Vase"]
        assert after["detail"].status_code == after["slug"].status_code == 404
        assert duo_lamp["product"]["live"] is False
        return
    for body in (listed["Lamp"], after["detail"].json(), after["slug"].json()):
        assert body["price"] == expected["price"]
        assert body["stock"]["quantity"] == expected["stock"]
    assert duo_lamp["product"]["price"] == expected["price"]
    assert duo_lamp["in_stock"] is (expected["stock"] > 0)


def test_other_products_keep_their_cached_detail_when_one_changes(shop):
    vase_path = f"/api/products/{shop['vase'].pk}"
    _get(vase_path)

    stock_set(product_id=shop["lamp"].pk, quantity=1)

    assert _queries(vase_path)[1] == 0


def test_the_versions_are_replaced_again_when_the_transaction_commits(
    shop, django_capture_on_commit_callbacks
):
    # A reader that cached pre-commit data under the first new token is superseded.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        catalogue_cache_invalidate(product_ids=[shop["lamp"].pk])
        inside = catalogue_version_get(scopes=[LISTS_SCOPE])

    for callback in callbacks:
        callback()

    # the tokens again, and the cards' generations again (the read model)
    assert [callback.__qualname__.split(".")[0] for callback in callbacks] == [
        "catalogue_cache_invalidate",
        "cards_invalidate",
    ]
    assert catalogue_version_get(scopes=[LISTS_SCOPE]).token != inside.token


def test_a_stock_change_replaces_its_records_and_the_stock_scope_at_commit(
    shop, django_capture_on_commit_callbacks
):
    # given: the lamp's stock record written by a read
    lamp = shop["lamp"]
    _get(f"/api/products/{lamp.pk}")
    lists = catalogue_version_get(scopes=[LISTS_SCOPE])
    assert cache.get(f"catalogue:stock:{lamp.pk}") % RECORD_SPLIT == 5

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stock_set(product_id=lamp.pk, quantity=1)
        inside = catalogue_version_get(scopes=[STOCK_SCOPE])
        dropped = cache.get(f"catalogue:stock:{lamp.pk}")
    for callback in callbacks:
        callback()

    # then: dropped in the transaction, written after it; the lists keep their token
    assert dropped is None
    assert sorted(callback.__qualname__.split(".")[0] for callback in callbacks) == [
        "_stock_changed",
        "outbox_event_record",
    ]
    assert cache.get(f"catalogue:stock:{lamp.pk}") % RECORD_SPLIT == 1
    assert catalogue_version_get(scopes=[STOCK_SCOPE]).token != inside.token
    assert catalogue_version_get(scopes=[LISTS_SCOPE]).token == lists.token


def test_a_draft_edit_keeps_the_public_cache(shop):
    path = f"/api/products/{shop['lamp'].pk}"
    first = _get(path)

    product_update(
        product=shop["lamp"], data={"price": Decimal("99.00")}, publish=False, user=None
    )

    second, queries = _queries(path)
    assert queries == 0
    assert second["ETag"] == first["ETag"]
    assert second.json()["price"] == "10.00"


def test_renaming_a_category_invalidates_the_details_below_it(shop):
    path = f"/api/products/{shop['lamp'].pk}"
    _get(path)
    manager = client_for(UserFactory(role="manager"))

    manager.patch(
        f"/api/categories/{shop['category'].pk}", {"name": "Lights"}, format="json"
    )

    assert _get(path).json()["category"]["name"] == "Lights"


# CONDITIONAL REQUESTS


@pytest.mark.parametrize(
    "path_case", ["/api/products", "product", "/api/categories", "/api/packages"]
)
def test_a_second_request_with_the_etag_gets_304(shop, path_case):
    path = f"/api/products/{shop['lamp'].pk}" if path_case == "product" else path_case
    first = _get(path)

    revalidated = _get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = _get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    other = _get(path, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert other.status_code == 200


def test_after_a_change_the_old_etag_gets_the_new_body(shop):
    path = f"/api/products/{shop['lamp'].pk}"
    old = _get(path)

    stock_set(product_id=shop["lamp"].pk, quantity=3)
    response = _get(path, HTTP_IF_NONE_MATCH=old["ETag"])

    assert response.status_code == 200
    assert response.json()["stock"]["quantity"] == 3


def test_304_also_works_for_customers(shop):
    client = client_for(UserFactory(role="customer"))
    first = _get("/api/products", client)

    assert (
        _get("/api/products", client, HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )


# REDIS OUTAGES


def _redis_cache(url):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


@pytest.fixture
def silent_redis():
    """A TCP port that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize("outage", ["refused_case", "unresponsive_case"])
def test_with_redis_unreachable_catalogue_reads_still_succeed(shop, outage, request):
    url = (
        "redis://127.0.0.1:1/0"
        if outage == "refused_case"
        else request.getfixturevalue("silent_redis")
    )
    with override_settings(CACHES=_redis_cache(url), REDIS_URL=url):
        started = time.monotonic()
        listing = _get("/api/products")
        detail = _get(f"/api/products/{shop['lamp'].pk}")
        again = _get("/api/products", HTTP_IF_NONE_MATCH=listing["ETag"])
        stock_set(product_id=shop["lamp"].pk, quantity=1)
        changed = _get(f"/api/products/{shop['lamp'].pk}")
        elapsed = time.monotonic() - started
        ready = _get("/readyz")

    assert listing.status_code == 200
    assert _names(listing) == ["Vase", "Lamp"]
    assert detail.status_code == 200
    assert again.status_code == 304
    assert changed.json()["stock"]["quantity"] == 1
    # One timeout, then the process skips the cache for a while.
    assert elapsed < 3
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("error")


# UNCACHED QUERY COUNT


@override_settings(CATALOGUE_CACHE_TIMEOUT=0)
def test_with_the_cache_off_the_list_query_count_does_not_grow_with_page_size():
    category = category_make()
    for _ in range(30):
        product_make(category, images=1, tags=["a", "b"])
    _get("/api/products?page_size=30")  # renditions

    small, small_queries = _queries("/api/products?page_size=5")
    large, large_queries = _queries("/api/products?page_size=30")
    cached_again = _queries("/api/products?page_size=30")[1]

    assert (len(small.json()["results"]), len(large.json()["results"])) == (5, 30)
    assert small_queries == large_queries == cached_again > 0


# KEYSET (CURSOR) PAGINATION


@pytest.fixture
def many():
    category = category_make()
    prices = ["5.00", "3.00", "5.00", "9.00", "1.00", "5.00", "7.00", "3.00"]
    return [
        product_make(category, title=f"Item {index}", price=price)
        for index, price in enumerate(prices)
    ]


def _walk(path):
    names, pages, url = [], 0, path
    while url:
        response = APIClient().get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        assert body["previous"] is None
        names += [item["name"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    return names, pages


@pytest.mark.parametrize(
    "sort", ["price", "-price", "name", "-name", "newest", "oldest", "popularity"]
)
def test_cursor_pages_list_the_same_items_in_the_same_order_as_numbered_pages(
    many, sort
):
    numbered = _names(APIClient().get("/api/products", {"sort": sort}))

    walked, pages = _walk(f"/api/products?sort={sort}&pagination=cursor&page_size=3")

    assert walked == numbered
    assert len(walked) == 8
    assert pages == 3


def test_cursor_pages_keep_the_filters_and_run_no_count(many):
    with CaptureQueriesContext(connection) as queries:
        body = _get("/api/products?pagination=cursor&page_size=2&price_min=4").json()
    walked, _ = _walk(body["next"])

    assert [item["name"] for item in body["results"]] + walked == [
        "Item 6",
        "Item 5",
        "Item 3",
        "Item 2",
        "Item 0",
    ]
    assert not any("COUNT(" in query["sql"].upper() for query in queries)


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "eyJzb3J0IjoicHJpY2UifQ",
        "eyJzb3J0IjoicHJpY2UiLCJ2YWx1ZSI6IngiLCJwayI6MX0",
    ],
    ids=["garbage_case", "missing_fields_case", "bad_value_case"],
)
def test_a_bad_cursor_is_400(many, cursor):
    response = _get(f"/api/products?sort=price&cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_cursor_from_another_sort_is_400(many):
    next_url = _get("/api/products?sort=price&pagination=cursor&page_size=2").json()[
        "next"
    ]

    response = _get(next_url.replace("sort=price", "sort=name"))

    assert response.status_code == 400


def test_staff_cursor_pages_include_drafts_without_a_publication_date(many):
    product_make(many[0].get_parent().specific, title="Draft", publish=False)
    manager = client_for(UserFactory(role="manager"))
    names, url = [], "/api/products?sort=newest&pagination=cursor&page_size=4"
    while url:
        body = manager.get(url).json()
        names += [item["name"] for item in body["results"]]
        url = body["next"]

    assert len(names) == 9
    assert names[-1] == "Draft"
    assert ProductPage.objects.get(title="Draft").first_published_at is None


class _Gone:
    """An entry's class in a module that a later release no longer has."""


def test_an_entry_the_running_release_cannot_read_is_a_miss_not_a_500(shop):
    # given: every cached response key holds an object pickled from a module that
    # is gone (as after a deploy that moved code while Redis kept its entries)
    module = types.ModuleType("release_before")
    module._Gone = _Gone
    _Gone.__module__ = "release_before"
    sys.modules["release_before"] = module
    assert _get("/api/products").status_code == 200
    for key in list(cache._cache):
        if ":response:" in key:
            cache._cache[key] = pickle.dumps(_Gone())
    del sys.modules["release_before"]
    catalogue_cache_forget()  # a process of the new release

    # when
    response, queries = _queries("/api/products")

    # then: rendered again and stored in the current format
    assert response.status_code == 200
    assert sorted(_names(response)) == ["Lamp", "Vase"]
    assert queries > 0
    assert _queries("/api/products")[1] == 0


def test_response_entries_hold_plain_values_only(shop):
    _get(f"/api/products/{shop['lamp'].pk}")

    [entry] = [
        pickle.loads(value)  # noqa: S301 - our own locmem entry
        for key, value in cache._cache.items()
        if ":response:" in key
    ]

    assert set(entry) == {"parts", "etag", "slots", "product_ids"}
    assert all(isinstance(part, bytes) for part in entry["parts"])
    # units_sold comes before stock in the body
    assert entry["slots"] == (
        ("sold", shop["lamp"].pk),
        ("product", shop["lamp"].pk, True),
    )
    assert entry["product_ids"] == (shop["lamp"].pk,)
