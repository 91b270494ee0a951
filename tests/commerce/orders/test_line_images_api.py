"""Cart and order lines show the item's thumbnail and the chosen image options."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    category = category_make()
    mug = product_make(category, title="Mug", price="8.00", stock=50, images=2)
    plain = product_make(category, title="Plain", price="3.00", stock=50)
    package = package_make(category, [(mug, 1)], title="Gift box", price="12.00")
    motif = customization_make("image", name="Motif")
    attach(mug, motif)
    return {"mug": mug, "plain": plain, "package": package, "motif": motif}


def _hearts(shop) -> tuple[str, int]:
    option = shop["motif"].options[0]
    return str(option.id), option.value["image"].pk


def _mug_line(shop) -> dict:
    option_id, _ = _hearts(shop)
    return {
        "product": shop["mug"].pk,
        "quantity": 1,
        "customizations": [{"customization": shop["motif"].pk, "value": option_id}],
    }


def _product_thumbnail(client, product) -> dict:
    body = client.get(f"/api/products/{product.pk}").json()
    return body["images"][0]["thumbnail"]


def test_cart_lines_carry_the_thumbnail_and_the_chosen_image(shop):
    # given
    client = client_for(UserFactory())
    client.post("/api/cart/items", _mug_line(shop), format="json")
    client.post("/api/cart/items", {"product": shop["plain"].pk}, format="json")
    client.post("/api/cart/items", {"package": shop["package"].pk}, format="json")
    _, image_id = _hearts(shop)

    # when
    lines = client.get("/api/cart").json()["lines"]

    # then: the same thumbnail as the product API, absolute like it
    mug, plain, package = lines
    assert mug["thumbnail"] == _product_thumbnail(client, shop["mug"])
    assert mug["thumbnail"]["url"].startswith("http://testserver/")
    assert ".fill-400x300" in mug["thumbnail"]["url"]
    assert plain["thumbnail"] is None
    assert package["thumbnail"] is None
    [choice] = mug["customizations"]
    assert choice["image_id"] == image_id
    assert choice["image"]["id"] == image_id
    assert choice["image"]["url"].startswith("http://testserver/")
    assert ".fill-200x200" in choice["image"]["url"]


def test_order_lines_carry_the_thumbnail_and_the_chosen_image(shop):
    # given
    client = client_for(UserFactory())
    _, image_id = _hearts(shop)

    # when
    placed = client.post(
        "/api/orders",
        {"lines": [_mug_line(shop)], "shipping_address": ADDRESS},
        format="json",
    )
    listed = client.get("/api/orders").json()["results"][0]

    # then
    assert placed.status_code == 201, placed.content
    for order in (placed.json(), listed):
        [line] = order["lines"]
        assert line["thumbnail"] == _product_thumbnail(client, shop["mug"])
        [choice] = line["customizations"]
        assert (choice["image_id"], choice["image"]["id"]) == (image_id, image_id)
        assert choice["image"]["url"].startswith("http://testserver/")


def test_an_order_line_of_a_deleted_option_image_shows_no_image(shop):
    client = client_for(UserFactory())
    client.post(
        "/api/orders",
        {"lines": [_mug_line(shop)], "shipping_address": ADDRESS},
        format="json",
    )
    shop["motif"].options[0].value["image"].delete()

    [line] = client.get("/api/orders").json()["results"][0]["lines"]

    assert line["customizations"][0]["image"] is None


def _queries(client, page_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/orders", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    return len(queries)


def test_line_images_keep_the_order_list_queries_constant_in_page_size(shop):
    # given: orders of products with gallery images and image choices
    client = client_for(UserFactory())
    for _ in range(6):
        client.post(
            "/api/orders",
            {
                "lines": [_mug_line(shop), {"package": shop["package"].pk}],
                "shipping_address": ADDRESS,
            },
            format="json",
        )
    client.get("/api/orders")  # renditions are made on first use

    # then
    assert _queries(client, 2) == _queries(client, 6)


def test_an_order_line_whose_image_file_is_gone_shows_no_image(shop):
    # given an order, then the chosen image's and the product picture's files are lost
    client = client_for(UserFactory())
    client.post(
        "/api/orders",
        {"lines": [_mug_line(shop)], "shipping_address": ADDRESS},
        format="json",
    )
    for image in (
        shop["motif"].options[0].value["image"],
        shop["mug"].gallery_images.first().image,
    ):
        image.renditions.all().delete()
        image.file.storage.delete(image.file.name)

    # when
    response = client.get("/api/orders")

    # then the order still reads, without those pictures
    assert response.status_code == 200
    [line] = response.json()["results"][0]["lines"]
    assert line["customizations"][0]["image"] is None
    assert line["thumbnail"] is None
