"""Every customization and upload endpoint × anonymous/customer/manager/administrator."""

import pytest

from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.customization.builders import (
    OPTIONS,
    attach,
    customization_make,
    upload_make,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "customer", "manager", "administrator")
READ = (200, 200, 200, 200)
STAFF_WRITE = {"post": 201, "put": 200, "patch": 200, "delete": 204}
BODY = {"name": "Ribbon", "kind": "color", "options": OPTIONS["color"]}


def _world(user):
    category = category_make()
    attached = customization_make("text", name="Attached")
    free = customization_make("color", name="Free")
    spare = customization_make("button", name="Spare")
    product = attach(product_make(category), attached)
    package = attach(package_make(category, [(product_make(category), 1)]), attached)
    own = upload_make(user) if user is not None else upload_make(UserFactory())
    foreign = upload_make(UserFactory())
    return {
        "attached": attached.pk,
        "free": free.pk,
        "spare": spare.pk,
        "product": product.pk,
        "package": package.pk,
        "own_upload": own.pk,
        "foreign_upload": foreign.pk,
    }


def _staff(method):
    code = STAFF_WRITE[method]
    return (401, 403, code, code)


MATRIX = [
    ("get", "/api/customizations", None, READ),
    ("post", "/api/customizations", BODY, _staff("post")),
    ("get", "/api/customizations/{free}", None, READ),
    ("put", "/api/customizations/{free}", BODY, _staff("put")),
    ("patch", "/api/customizations/{free}", {"name": "Bow"}, _staff("patch")),
    ("delete", "/api/customizations/{free}", None, _staff("delete")),
    ("delete", "/api/customizations/{attached}", None, (401, 403, 409, 409)),
    ("get", "/api/products/{product}/customizations", None, READ),
    (
        "post",
        "/api/products/{product}/customizations",
        {"customization": "{spare}"},
        _staff("post"),
    ),
    (
        "delete",
        "/api/products/{product}/customizations/{attached}",
        None,
        _staff("delete"),
    ),
    ("get", "/api/packages/{package}/customizations", None, READ),
    (
        "post",
        "/api/packages/{package}/customizations",
        {"customization": "{spare}"},
        _staff("post"),
    ),
    (
        "delete",
        "/api/packages/{package}/customizations/{attached}",
        None,
        _staff("delete"),
    ),
    ("get", "/api/uploads/{own_upload}", None, (401, 200, 200, 200)),
    ("get", "/api/uploads/{own_upload}/file", None, (401, 200, 200, 200)),
    ("get", "/api/uploads/{foreign_upload}", None, (401, 404, 200, 200)),
    ("get", "/api/uploads/{foreign_upload}/file", None, (401, 404, 200, 200)),
]


def _fill(value, values):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return values[value[1:-1]]
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{row[0]} {row[1]}" for row in MATRIX],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
def test_customization_permission_matrix(
    persona_client, method, path, body, expected, persona_index
):
    persona = PERSONAS[persona_index]
    client, user = persona_client(persona)
    values = _world(user)

    response = getattr(client, method)(
        _fill(path, values), _fill(body, values), format="json"
    )

    assert response.status_code == expected[persona_index], response.content


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("customer", 201), ("manager", 201), ("administrator", 201)],
)
def test_upload_create_matrix(persona_client, persona, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.customization.builders import png_bytes

    client, _ = persona_client(persona)

    response = client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile("dot.png", png_bytes(), "image/png")},
        format="multipart",
    )

    assert response.status_code == expected
