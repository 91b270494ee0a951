"""One rule for every list endpoint: an unknown query parameter is a 400 naming it."""

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import OrderFactory

pytestmark = pytest.mark.django_db

# Every paginated list of the API, and who may read it.
LIST_ENDPOINTS = {
    "/api/products": "anonymous",
    "/api/packages": "anonymous",
    "/api/categories": "anonymous",
    "/api/customizations": "anonymous",
    "/api/orders": "customer",
    "/api/notifications": "customer",
    "/api/users": "administrator",
    "/api/users/addresses": "customer",
    "/api/admin/logs": "administrator",
    "/api/brands": "anonymous",
    "/api/materials": "anonymous",
    "/api/users/favourites": "customer",
    "/api/products/{lookup}/reviews": "anonymous",
    "/api/packages/{lookup}/reviews": "anonymous",
    "/api/admin/reviews": "manager",
    "/api/orders/{order_id}/returns": "customer",
    "/api/admin/returns": "manager",
}


def test_the_enumeration_holds_every_paginated_list_of_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    paginated = {
        path.rstrip("/")
        for path, operations in schema["paths"].items()
        if "get" in operations
        and "page" in {p["name"] for p in operations["get"].get("parameters", [])}
    }

    assert paginated == set(LIST_ENDPOINTS)


@pytest.fixture
def reader(persona_client):
    return lambda persona: persona_client(persona)[0]


@pytest.fixture
def list_request(persona_client):
    """A client for the persona and the list's path with its ids filled in.

    ``{lookup}`` is a live product or package, ``{order_id}`` an order of the persona.
    """

    def build(path: str, persona: str) -> tuple[Any, str]:
        client, user = persona_client(persona)
        category = category_make()
        product = product_make(category)
        ids = {
            "lookup": (
                package_make(category, [(product, 1)]).pk
                if path.startswith("/api/packages")
                else product.pk
            ),
            "order_id": OrderFactory(customer=user).pk if user else 0,
        }
        return client, path.format(**ids)

    return build


@pytest.mark.parametrize(("path", "persona"), LIST_ENDPOINTS.items())
def test_an_unknown_query_parameter_is_refused_naming_it_and_the_accepted_ones(
    list_request, path, persona
):
    # given
    client, url = list_request(path, persona)

    # when
    response = client.get(url, {"ordering": "name", "q": "rose"})

    # then
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"ordering", "q"}
    message = body["errors"]["q"][0]
    assert message.startswith("Unknown query parameter. Accepted parameters: ")
    accepted = message.removeprefix("Unknown query parameter. Accepted parameters: ")
    assert {"page", "page_size"} <= set(accepted.rstrip(".").split(", "))


@pytest.mark.parametrize(("path", "persona"), LIST_ENDPOINTS.items())
def test_the_accepted_parameters_still_work(list_request, path, persona):
    client, url = list_request(path, persona)

    response = client.get(url, {"page": 1, "page_size": 5, "format": "json"})

    assert response.status_code == 200, response.content
    assert response.json()["page_size"] == 5
    assert "total_pages" in response.json()


def test_the_catalogue_lists_accept_their_filters_and_cursor_options(reader):
    client = reader("anonymous")

    response = client.get(
        "/api/products",
        {"sort": "price", "search": "rose", "pagination": "cursor", "category": "x"},
    )

    assert response.status_code == 200, response.content
