"""The OpenAPI document describes envelopes, errors and every status of each operation."""

import pytest
from drf_spectacular.generators import SchemaGenerator

PAGINATED_LISTS = [
    "/api/products",
    "/api/packages",
    "/api/categories",
    "/api/brands",
    "/api/materials",
    "/api/users/favourites",
    "/api/customizations",
    "/api/orders",
    "/api/notifications",
    "/api/admin/logs",
    "/api/users",
    "/api/products/{lookup}/reviews",
    "/api/packages/{lookup}/reviews",
    "/api/admin/reviews",
    "/api/orders/{order_id}/returns",
    "/api/admin/returns",
]
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, reference):
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


def _page_envelopes(schema, path):
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]
    envelope = _resolve(schema, body["application/json"]["schema"])
    return envelope.get("anyOf", [envelope])


@pytest.mark.parametrize("path", PAGINATED_LISTS)
def test_paginated_lists_document_their_envelope(schema, path):
    envelopes = _page_envelopes(schema, path)

    numbered = envelopes[0]
    assert {"count", "next", "previous", "results"} <= set(numbered["properties"])
    assert numbered["properties"]["results"]["type"] == "array"


@pytest.mark.parametrize("path", ["/api/products", "/api/packages"])
def test_catalogue_lists_also_document_the_keyset_page(schema, path):
    envelopes = _page_envelopes(schema, path)

    assert len(envelopes) == 2
    keyset = envelopes[1]
    assert "count" not in keyset["properties"]
    assert keyset["required"] == ["next", "results"]


def test_the_error_shape_is_a_component(schema):
    problem = schema["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert problem["properties"]["errors"]["type"] == "object"


def test_every_error_response_uses_the_error_shape(schema):
    without_errors = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {
                code: response
                for code, response in operation["responses"].items()
                if code >= "400"
            }
            if not errors:
                without_errors.append((method, path))
            for code, response in errors.items():
                media = response["content"]["application/json"]
                assert media["schema"] == PROBLEM, f"{method} {path} {code}"
    # Public, without parameters and without a token check: nothing can go wrong.
    assert without_errors == [("get", "/api/users/login/methods")]


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        # A guest cart by X-Cart-Token: unknown (404) or expired (410).
        ("get", "/api/cart", {"200", "400", "401", "403", "404", "410"}),
        ("get", "/api/products", {"200", "400", "403", "404"}),
        ("get", "/api/products/{lookup}", {"200", "400", "403", "404"}),
        (
            "post",
            "/api/cart/items",
            {"201", "400", "401", "403", "404", "410", "413", "415"},
        ),
        ("get", "/api/brands", {"200", "400", "403", "404"}),
        ("get", "/api/users/favourites", {"200", "400", "401", "403", "404"}),
        (
            "post",
            "/api/users/favourites",
            {"200", "201", "400", "401", "403", "409", "413", "415"},
        ),
        (
            "delete",
            "/api/users/favourites/{kind}/{item_id}",
            {"204", "400", "401", "403", "404", "409"},
        ),
        # An unusable code is 400 on `code`; attempts are limited per address.
        (
            "post",
            "/api/cart/voucher",
            {"200", "400", "401", "403", "404", "410", "413", "415", "429"},
        ),
        ("delete", "/api/cart/voucher", {"200", "400", "401", "403", "404", "410"}),
        (
            "post",
            "/api/carts/{token}/voucher",
            {"200", "400", "401", "403", "404", "410", "413", "415", "429"},
        ),
        (
            "post",
            "/api/checkout/complete",
            {"201", "400", "401", "403", "404", "409", "410", "413", "415", "422"},
        ),
        ("post", "/api/users/login", {"200", "400", "401", "413", "415", "429"}),
        # Reviews: anyone reads an item's; writing needs a login, 403 when the
        # item was not received; 201 creates, 200 edits the caller's one review.
        ("get", "/api/products/{lookup}/reviews", {"200", "400", "403", "404"}),
        (
            "post",
            "/api/products/{lookup}/reviews",
            {"200", "201", "400", "401", "403", "404", "409", "413", "415"},
        ),
        ("get", "/api/admin/reviews", {"200", "400", "401", "403", "404"}),
        (
            "post",
            "/api/admin/reviews/{review_id}/hide",
            {"200", "400", "401", "403", "404", "409", "413", "415"},
        ),
        ("post", "/api/users/token/refresh", {"200", "400", "401", "413", "415"}),
        (
            "post",
            "/api/orders/{order_id}/pay",
            {"200", "400", "401", "402", "403", "404", "409", "413", "415", "502"},
        ),
        (
            "post",
            "/api/orders/{order_id}/returns",
            {"201", "400", "401", "403", "404", "409", "413", "415"},
        ),
        (
            "post",
            "/api/admin/returns/{return_id}/receive",
            {"200", "400", "401", "403", "404", "409", "413", "415", "502"},
        ),
    ],
)
def test_operations_list_the_statuses_they_answer(schema, method, path, statuses):
    assert set(schema["paths"][path][method]["responses"]) == statuses


def test_anonymous_operations_say_a_token_is_optional(schema):
    security = schema["paths"]["/api/products"]["get"]["security"]

    assert security == [{"jwt": []}, {"oauth2": ["read"]}, {}]
