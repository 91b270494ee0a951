"""One rule for every list endpoint: an unknown query parameter is a 400 naming it."""

import pytest
from drf_spectacular.generators import SchemaGenerator

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


@pytest.mark.parametrize(("path", "persona"), LIST_ENDPOINTS.items())
def test_an_unknown_query_parameter_is_refused_naming_it_and_the_accepted_ones(
    reader, path, persona
):
    # when
    response = reader(persona).get(path, {"ordering": "name", "q": "rose"})

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
def test_the_accepted_parameters_still_work(reader, path, persona):
    response = reader(persona).get(path, {"page": 1, "page_size": 5, "format": "json"})

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
