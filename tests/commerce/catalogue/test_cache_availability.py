"""Stock shown apart from the cached bodies, and the anonymous fast path before DRF."""

import json
import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework.test import APIClient

from commerce.catalogue.api.middleware import CatalogueFastReadMiddleware
from commerce.catalogue.services.cache import (
    LISTS_SCOPE,
    catalogue_cache_forget,
    catalogue_version_get,
    product_scope,
)
from commerce.catalogue.services.stock import stock_set
from tests.commerce.catalogue.test_cache import _redis_cache
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
    duo = package_make(category, [(lamp, 2), (vase, 1)], title="Duo", price="25.00")
    return {"category": category, "lamp": lamp, "vase": vase, "duo": duo}


def _get(path, client=None, **headers):
    return (client or APIClient()).get(path, **headers)


def _queries(path, client=None, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = _get(path, client, **headers)
    return response, len(queries.captured_queries)


def _order(product, quantity, django_capture_on_commit_callbacks):
    customer = client_for(UserFactory(role="customer"))
    body = {
        "lines": [{"product": product.pk, "quantity": quantity}],
        "shipping_address": ADDRESS,
    }
    # The callbacks run as after a real commit: the stock records are written.
    with django_capture_on_commit_callbacks(execute=True):
        return customer.post("/api/orders", body, format="json")


def _without_units_sold(content):
    body = json.loads(content)
    for item in body.get("results", [body]):
        item.pop("units_sold")
    return body


def _by_name(response):
    assert response.status_code == 200, response.content
    return {item["name"]: item for item in response.json()["results"]}


# AVAILABILITY APART FROM THE BODY


def test_an_order_keeps_the_cached_bodies_and_shows_the_new_stock(
    shop, django_capture_on_commit_callbacks
):
    # given: list, detail and package cached
    lamp = shop["lamp"]
    paths = ["/api/products", f"/api/products/{lamp.pk}", "/api/packages"]
    before = {path: _get(path) for path in paths}
    tokens = {
        scope: catalogue_version_get(scopes=[scope]).token
        for scope in (LISTS_SCOPE, product_scope(lamp.pk))
    }

    # when
    placed = _order(lamp, 1, django_capture_on_commit_callbacks)

    # then: the tokens stay, every read is a hit (no query), the stock is the new one
    assert placed.status_code == 201, placed.content
    for scope, token in tokens.items():
        assert catalogue_version_get(scopes=[scope]).token == token
    after = {}
    for path in paths:
        after[path], queries = _queries(path)
        assert queries == 0, path
    for path in paths[:2]:
        assert after[path]["ETag"] != before[path]["ETag"], path
    # Two lamps a Duo: 5 // 2 == 4 // 2, so the package shows what it showed.
    assert after["/api/packages"].content == before["/api/packages"].content
    assert _by_name(after["/api/products"])["Lamp"]["stock"] == {
        "quantity": 4,
        "in_stock": True,
    }
    assert after[f"/api/products/{lamp.pk}"].json()["stock"]["quantity"] == 4
    # the product's sales figure comes with its stock record
    assert _by_name(after["/api/products"])["Lamp"]["units_sold"] == 1
    assert after[f"/api/products/{lamp.pk}"].json()["units_sold"] == 1
    duo = _by_name(after["/api/packages"])["Duo"]
    assert duo["stock"] == {"quantity": 2, "in_stock": True}
    assert [c["in_stock"] for c in duo["components"]] == [True, True]


def test_the_filled_body_is_the_one_a_fresh_render_gives(
    shop, django_capture_on_commit_callbacks
):
    # given: bodies cached, then stock changed by an order
    paths = ["/api/products", "/api/packages", f"/api/packages/{shop['duo'].pk}"]
    for path in paths:
        _get(path)
    _order(shop["lamp"], 4, django_capture_on_commit_callbacks)

    # when
    filled = [_get(path).content for path in paths]
    with override_settings(CATALOGUE_CACHE_TIMEOUT=0):
        fresh = [_get(path).content for path in paths]

    # then: the same (units_sold, a sales figure, is as of the cached render)
    assert [_without_units_sold(body) for body in filled] == [
        _without_units_sold(body) for body in fresh
    ]


def test_sold_out_shows_right_after_the_order_that_emptied_the_stock(
    shop, django_capture_on_commit_callbacks
):
    # given: everything cached while the lamp is in stock
    lamp = shop["lamp"]
    detail = f"/api/products/{lamp.pk}"
    for path in ("/api/products", detail, f"/api/packages/{shop['duo'].pk}"):
        _get(path)

    # when: an order takes the last lamps
    placed = _order(lamp, 5, django_capture_on_commit_callbacks)

    # then: shown sold out everywhere, and a further order gets 409
    assert placed.status_code == 201, placed.content
    assert _by_name(_get("/api/products"))["Lamp"]["stock"] == {
        "quantity": 0,
        "in_stock": False,
    }
    assert _get(detail).json()["stock"] == {"quantity": 0, "in_stock": False}
    package = _get(f"/api/packages/{shop['duo'].pk}").json()
    assert package["stock"] == {"quantity": 0, "in_stock": False}
    assert [c["in_stock"] for c in package["components"]] == [False, True]
    refused = _order(lamp, 1, django_capture_on_commit_callbacks)
    assert refused.status_code == 409


def test_sold_out_shows_inside_the_transaction_before_the_records_are_written(shop):
    # Inside one transaction (no commit yet) the dropped record is read from the row.
    lamp = shop["lamp"]
    _get(f"/api/products/{lamp.pk}")

    stock_set(product_id=lamp.pk, quantity=0)

    response, queries = _queries(f"/api/products/{lamp.pk}")
    assert response.json()["stock"] == {"quantity": 0, "in_stock": False}
    assert queries == 1  # the record, not the body


def test_a_list_filtered_by_stock_is_rendered_again_after_an_order(
    shop, django_capture_on_commit_callbacks
):
    # given
    path = "/api/products?in_stock=true"
    assert set(_by_name(_get(path))) == {"Lamp", "Vase"}

    # when
    _order(shop["vase"], 2, django_capture_on_commit_callbacks)

    # then
    assert set(_by_name(_get(path))) == {"Lamp"}


def test_the_popularity_sort_follows_the_orders(
    shop, django_capture_on_commit_callbacks
):
    path = "/api/products?sort=popularity"
    _get(path)

    _order(shop["vase"], 1, django_capture_on_commit_callbacks)

    assert list(_by_name(_get(path)))[0] == "Vase"


# THE FAST PATH


class _CountingView:
    """The URL's view, counting the requests that reached it."""

    def __init__(self):
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        return response.render() if hasattr(response, "render") else response


@pytest.mark.parametrize("path_case", ["list", "detail", "package"])
def test_the_fast_path_answers_200_and_304_without_the_view(shop, path_case):
    # given: one anonymous read through the view
    path = {
        "list": "/api/products?sort=name",
        "detail": f"/api/products/{shop['lamp'].pk}",
        "package": f"/api/packages/{shop['duo'].pk}",
    }[path_case]
    view = _CountingView()
    middleware = CatalogueFastReadMiddleware(view)
    factory = RequestFactory()
    first = middleware(factory.get(path))
    assert view.calls == 1

    # when
    with CaptureQueriesContext(connection) as queries:
        again = middleware(factory.get(path))
        revalidated = middleware(factory.get(path, HTTP_IF_NONE_MATCH=first["ETag"]))

    # then
    assert view.calls == 1
    assert len(queries.captured_queries) == 0
    assert again.status_code == 200
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert revalidated.status_code == 304
    assert revalidated["ETag"] == first["ETag"]


def test_the_fast_path_shows_stock_changes_and_steps_aside_for_catalogue_changes(
    shop, django_capture_on_commit_callbacks
):
    path = f"/api/products/{shop['lamp'].pk}"
    view = _CountingView()
    middleware = CatalogueFastReadMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get(path))

    _order(shop["lamp"], 2, django_capture_on_commit_callbacks)
    after_order = middleware(factory.get(path))
    calls_after_order = view.calls
    stock_set(product_id=shop["lamp"].pk, quantity=9)
    shop["lamp"].unpublish()
    after_unpublish = middleware(factory.get(path))

    assert calls_after_order == 1
    assert json.loads(after_order.content)["stock"]["quantity"] == 3
    assert view.calls == 2
    assert after_unpublish.status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer anything"},
        {"HTTP_ACCEPT": "text/html"},
    ],
    ids=["authorization_case", "html_case"],
)
def test_the_fast_path_leaves_other_requests_to_the_view(shop, headers):
    view = _CountingView()
    middleware = CatalogueFastReadMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/api/products"))

    middleware(factory.get("/api/products", **headers))

    assert view.calls == 2


def test_staff_still_see_drafts_after_anonymous_reads_were_remembered(shop):
    draft = product_make(shop["category"], title="Secret", publish=False)
    for _ in range(2):
        anonymous = _get("/api/products")
    manager = client_for(UserFactory(role="manager"))

    staff = _get("/api/products", manager)

    assert "Secret" not in _by_name(anonymous)
    assert "Secret" in _by_name(staff)
    assert _get(f"/api/products/{draft.pk}", manager).status_code == 200


def test_customers_still_get_their_favourites_after_anonymous_reads(shop):
    customer = UserFactory(role="customer")
    client = client_for(customer)
    added = client.post(
        "/api/users/favourites",
        {"product": shop["lamp"].pk},
        format="json",
    )
    assert added.status_code in (200, 201), added.content
    for _ in range(2):
        _get("/api/products")

    listed = _by_name(_get("/api/products", client))

    assert listed["Lamp"]["is_favourite"] is True
    assert listed["Vase"]["is_favourite"] is False


def test_with_redis_down_remembered_reads_are_still_served(shop):
    path = f"/api/products/{shop['lamp'].pk}"
    for _ in range(2):
        _get(path)
    url = "redis://127.0.0.1:1/0"

    with override_settings(CACHES=_redis_cache(url), REDIS_URL=url):
        response = _get(path)
        stock_set(product_id=shop["lamp"].pk, quantity=1)
        changed = _get(path)

    assert response.status_code == 200
    assert response.json()["stock"]["quantity"] == 5
    assert changed.json()["stock"]["quantity"] == 1


# ON REDIS (when REDIS_URL names a database the tests may flush)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")
def test_on_redis_an_order_shows_through_the_fast_path_and_304_follows_it(
    shop, django_capture_on_commit_callbacks
):
    url = os.environ["REDIS_URL"]
    path = f"/api/products/{shop['lamp'].pk}"
    with override_settings(CACHES=_redis_cache(url), REDIS_URL=url):
        cache.clear()
        catalogue_cache_forget()
        client = APIClient()
        first = _get(path, client)
        again, queries = _queries(path, client)
        revalidated = _get(path, client, HTTP_IF_NONE_MATCH=first["ETag"])

        _order(shop["lamp"], 5, django_capture_on_commit_callbacks)
        after, after_queries = _queries(path, client)
        stale = _get(path, client, HTTP_IF_NONE_MATCH=first["ETag"])
        cache.clear()

    assert again.content == first.content
    assert queries == 0
    assert revalidated.status_code == 304
    assert after.json()["stock"] == {"quantity": 0, "in_stock": False}
    assert after_queries == 0  # the records were written after the commit
    assert stale.status_code == 200
