"""POST /api/images: staff upload catalogue images with the customer upload checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.commerce.catalogue_factories import category_make
from tests.commerce.fixtures import client_for
from tests.customization.builders import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str = "vase.png", **fields):
    return client.post(
        "/api/images",
        {"file": SimpleUploadedFile(name, data, "image/png"), **fields},
        format="multipart",
    )


def test_a_manager_uploads_an_image_into_a_collection_and_a_product_takes_it(manager):
    # given
    root = Collection.get_first_root_node()
    products = root.add_child(name="Products")
    client = client_for(manager)

    # when
    response = _upload(
        client,
        png_bytes((64, 48)),
        title="Blue vase",
        alt_text="A blue glass vase",
        collection=products.pk,
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    image = get_image_model().objects.get()
    assert body["id"] == image.pk
    assert (body["title"], body["alt"], body["collection"]) == (
        "Blue vase",
        "A blue glass vase",
        products.pk,
    )
    assert (body["width"], body["height"]) == (64, 48)
    assert body["thumbnail"]["url"].startswith("http://testserver/media/images/")
    assert body["large"]["width"] == 64
    assert image.uploaded_by_user == manager
    assert image.file_size == len(png_bytes((64, 48)))

    # when: a product takes the id
    category = category_make()
    created = client.post(
        "/api/products",
        {
            "category": category.pk,
            "name": "Vase",
            "price": "9.00",
            "sku": "VASE-1",
            "images": [image.pk],
        },
        format="json",
    )

    # then
    assert created.status_code == 201, created.content
    assert [entry["id"] for entry in created.json()["images"]] == [image.pk]


def test_an_administrator_uploads_into_the_root_collection_by_default(administrator):
    response = _upload(
        client_for(administrator), jpeg_bytes((8, 8)), "a.jpg", title="A"
    )

    assert response.status_code == 201, response.content
    image = get_image_model().objects.get()
    assert image.collection == Collection.get_first_root_node()
    assert image.file.name.endswith(".jpg")
    assert image.default_alt_text == "A"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("customer", 403)],
    ids=["anonymous_case", "customer_case"],
)
def test_only_staff_upload_catalogue_images(persona_client, persona, status):
    client, _ = persona_client(persona)

    response = _upload(client, png_bytes(), title="Nope")

    assert response.status_code == status
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("data", "limits", "message"),
    [
        (b"%PDF-1.4 not an image", {}, "The file is not a supported image."),
        (
            png_bytes((200, 200), mode="RGBA"),
            {"CUSTOMER_UPLOAD_MAX_BYTES": 100},
            "The file is larger than 0 KB.",
        ),
        (
            png_bytes((50, 50)),
            {"CUSTOMER_UPLOAD_MAX_PIXELS": 100},
            "The photo has too many pixels.",
        ),
    ],
    ids=["not_an_image_case", "oversized_case", "too_many_pixels_case"],
)
def test_a_refused_upload_answers_400_and_stores_nothing(
    manager, settings, data, limits, message
):
    # given
    for name, value in limits.items():
        setattr(settings, name, value)

    # when
    response = _upload(client_for(manager), data, "picture.png", title="Bad")

    # then
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [message]
    assert not get_image_model().objects.exists()


def test_an_unknown_collection_is_refused_and_nothing_is_stored(manager):
    response = _upload(client_for(manager), png_bytes(), title="X", collection=999)

    assert response.status_code == 400
    assert response.json()["errors"]["collection"] == ["Unknown collection."]
    assert not get_image_model().objects.exists()


def test_a_title_is_required(manager):
    response = _upload(client_for(manager), png_bytes())

    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    assert not get_image_model().objects.exists()
