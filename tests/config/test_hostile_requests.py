"""Hostile request bodies and parameters get a 400/413 in the error format, never a 500.

Nested JSON, NUL characters, integers beyond the database's range and oversized
bodies, for anonymous and signed-in callers.
"""

import logging

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from commerce.cart.models import CartLine
from commerce.orders.models import Order
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
NESTED = "[" * 5000 + "]" * 5000


def _assert_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://fantasize.dev/errors/")
    return body


@pytest.mark.parametrize(
    ("method", "path", "signed_in"),
    [
        ("post", "/api/users/login", False),
        ("post", "/api/users/register", False),
        ("post", "/api/cart/items", False),
        ("post", "/api/cart/items", True),
        ("post", "/api/orders", True),
        ("patch", "/api/users/profile", True),
    ],
    ids=["login_case", "register_case", "anonymous_cart_case", "cart_case",
         "order_case", "profile_case"],
)  # fmt: skip
def test_deeply_nested_json_is_a_400(method, path, signed_in):
    client = client_for(UserFactory()) if signed_in else APIClient()

    response = getattr(client, method)(
        path, data=NESTED, content_type="application/json"
    )

    if path == "/api/cart/items" and not signed_in:
        # Authentication comes before the body: an anonymous caller learns only that.
        assert _assert_problem(response, 401)["code"] == "not_authenticated"
        return
    body = _assert_problem(response, 400)
    assert body["code"] == "parse_error"
    assert "nested too deeply" in body["detail"]


def test_malformed_json_is_still_a_400():
    response = APIClient().post(
        "/api/users/login", data="{nope", content_type="application/json"
    )

    assert _assert_problem(response, 400)["code"] == "parse_error"


@pytest.fixture
def rose():
    text = customization_make("text", name="Message")
    return attach(product_make(category_make(), title="Rose", stock=4), text), text


@pytest.mark.parametrize("path", ["/api/cart/items", "/api/orders"])
def test_a_nul_character_in_a_text_customization_is_a_400(rose, path):
    # given
    product, text = rose
    client = client_for(UserFactory())
    line = {
        "product": product.pk,
        "quantity": 1,
        "customizations": [{"customization": text.pk, "value": "Hi\u0000there"}],
    }
    body = (
        line
        if path == "/api/cart/items"
        else {"lines": [line], "shipping_address": ADDRESS}
    )

    # when
    response = client.post(path, body, format="json")

    # then
    problem = _assert_problem(response, 400)
    assert problem["errors"] == {
        "customizations": ["Message: the text contains a null character."]
    }
    assert not CartLine.objects.exists()
    assert not Order.objects.exists()


def _integer_parameter_requests():
    """(path, query) pairs: every GET integer parameter of the schema set to HUGE."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    cases = []
    for template, operations in schema["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        path_params = [p["name"] for p in parameters if p["in"] == "path"]
        for parameter in parameters:
            if parameter.get("schema", {}).get("type") != "integer":
                continue
            path = template
            for name in path_params:
                value = HUGE if name == parameter["name"] else "1"
                path = path.replace("{" + name + "}", value)
            query = {parameter["name"]: HUGE} if parameter["in"] == "query" else {}
            cases.append((path, query))
    return cases


@pytest.mark.parametrize("persona", ["anonymous", "customer", "administrator"])
def test_huge_integers_in_any_integer_parameter_never_give_a_500(
    persona, administrator
):
    # given
    user = {
        "anonymous": None,
        "customer": UserFactory(),
        "administrator": administrator,
    }
    client = client_for(user[persona])
    cases = _integer_parameter_requests()
    # The schema walk must find the parameters the audit named.
    names = {name for _, query in cases for name in query}
    assert {"page", "page_size", "customer", "product", "user"} <= names
    assert any(path.endswith(HUGE) for path, _ in cases)

    # when
    statuses = {}
    for path, query in cases:
        response = client.get(path, query)
        statuses[(path, *query)] = response.status_code
        # then
        if response.status_code >= 400:
            _assert_problem(response, response.status_code)

    assert all(status < 500 for status in statuses.values()), statuses
    if persona == "administrator":
        assert statuses[("/api/orders", "customer")] == 400
        assert statuses[("/api/admin/logs", "user")] == 400
    # A category is given by id or slug: a huge id is a category that does not exist.
    listing = client.get("/api/products", {"category": HUGE})
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert _assert_problem(client.get(f"/api/categories/{HUGE}"), 404)


def test_a_20_mb_json_body_is_a_413_without_an_error_log(caplog):
    body = b'{"email": "' + b"a" * (20 * 1024 * 1024) + b'"}'

    with caplog.at_level(logging.INFO):
        response = APIClient().post(
            "/api/users/login", data=body, content_type="application/json"
        )

    problem = _assert_problem(response, 413)
    assert problem["code"] == "request_too_large"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_20_mb_form_body_is_a_413_too(caplog):
    body = "email=" + "a" * (20 * 1024 * 1024)

    with caplog.at_level(logging.INFO):
        response = client_for(UserFactory()).patch(
            "/api/users/profile",
            data=body,
            content_type="application/x-www-form-urlencoded",
        )

    _assert_problem(response, 413)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
