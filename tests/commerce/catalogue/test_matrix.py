"""Every catalogue endpoint × anonymous/customer/manager/administrator."""

import pytest

from commerce.catalogue.services.preview import preview_token_create
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.fixtures import placeholders_fill

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "customer", "manager", "administrator")
READ = (200, 200, 200, 200)


def _world():
    category = category_make("Top")
    empty = category_make("Empty")
    product = product_make(category, title="Lamp")
    in_package = product_make(category, title="Bulb")
    package = package_make(category, [(in_package, 1)], title="Kit")
    return {
        "category": category.pk,
        "empty": empty.pk,
        "product": product.pk,
        "slug": product.slug,
        "in_package": in_package.pk,
        "package": package.pk,
        "token": preview_token_create(kind="product", page_id=product.pk),
    }


PRODUCT_BODY = {
    "category": "{category}",
    "name": "New",
    "price": "3.00",
    "sku": "N-{persona}",
}
PACKAGE_BODY = {
    "category": "{category}",
    "name": "Set",
    "price": "9.00",
    "sku": "S-{persona}",
    "components": [{"product": "{product}", "quantity": 1}],
}

MATRIX = [
    ("get", "/api/products", None, READ),
    ("post", "/api/products", PRODUCT_BODY, (401, 403, 201, 201)),
    ("get", "/api/products/{product}", None, READ),
    ("get", "/api/products/{slug}", None, READ),
    ("put", "/api/products/{product}", PRODUCT_BODY, (401, 403, 200, 200)),
    ("patch", "/api/products/{product}", {"price": "4.00"}, (401, 403, 200, 200)),
    ("delete", "/api/products/{product}", None, (401, 403, 204, 204)),
    ("delete", "/api/products/{in_package}", None, (401, 403, 409, 409)),
    ("delete", "/api/products/{in_package}?force=true", None, (401, 403, 403, 200)),
    ("post", "/api/products/{product}/preview", None, (401, 403, 201, 201)),
    ("get", "/api/packages", None, READ),
    ("post", "/api/packages", PACKAGE_BODY, (401, 403, 201, 201)),
    ("get", "/api/packages/{package}", None, READ),
    ("put", "/api/packages/{package}", PACKAGE_BODY, (401, 403, 200, 200)),
    ("patch", "/api/packages/{package}", {"price": "8.00"}, (401, 403, 200, 200)),
    ("delete", "/api/packages/{package}", None, (401, 403, 204, 204)),
    ("post", "/api/packages/{package}/preview", None, (401, 403, 201, 201)),
    ("get", "/api/categories", None, READ),
    ("post", "/api/categories", {"name": "Cat {persona}"}, (401, 403, 201, 201)),
    ("get", "/api/categories/{category}", None, READ),
    ("put", "/api/categories/{empty}", {"name": "Renamed"}, (401, 403, 200, 200)),
    (
        "patch",
        "/api/categories/{empty}",
        {"description": "<p>x</p>"},
        (401, 403, 200, 200),
    ),
    ("delete", "/api/categories/{empty}", None, (401, 403, 204, 204)),
    ("delete", "/api/categories/{category}", None, (401, 403, 409, 409)),
    ("get", "/api/preview/{token}", None, READ),
    ("get", "/api/search/suggest?q=lam", None, READ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{row[0]} {row[1]}" for row in MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_catalogue_permission_matrix(
    persona_client, method, path, body, expected, persona_index
):
    # given
    persona = PERSONAS[persona_index]
    values = {**_world(), "persona": persona}
    client, _ = persona_client(persona)

    # when
    response = getattr(client, method)(
        placeholders_fill(path, values), placeholders_fill(body, values), format="json"
    )

    # then
    assert response.status_code == expected[persona_index], response.content
