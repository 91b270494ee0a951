"""The cart: merging lines, customization choices, prices and ownership."""

import pytest

from commerce.cart.models import CartLine
from commerce.catalogue.models import ProductStock
from commerce.catalogue.services.sellables import product_update
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    category = category_make()
    color = customization_make("color", name="Ribbon", is_required=True)
    text = customization_make("text", name="Message")
    rose = attach(
        attach(product_make(category, title="Rose", price="5.00", stock=4), color), text
    )
    vase = product_make(category, title="Vase", price="20.00", stock=1)
    package = package_make(category, [(vase, 1)], title="Vase set", price="18.00")
    return {
        "rose": rose,
        "vase": vase,
        "package": package,
        "color": color,
        "text": text,
    }


def _red(shop):
    return {
        "customization": shop["color"].pk,
        "value": str(shop["color"].options[0].id),
    }


def _blue(shop):
    return {
        "customization": shop["color"].pk,
        "value": str(shop["color"].options[1].id),
    }


def test_same_item_and_choices_merge_and_different_choices_split(shop):
    client = client_for(UserFactory())
    rose = shop["rose"].pk

    client.post(
        "/api/cart/items",
        {"product": rose, "quantity": 1, "customizations": [_red(shop)]},
        format="json",
    )
    client.post(
        "/api/cart/items",
        {"product": rose, "quantity": 2, "customizations": [_red(shop)]},
        format="json",
    )
    response = client.post(
        "/api/cart/items",
        {"product": rose, "quantity": 1, "customizations": [_blue(shop)]},
        format="json",
    )

    assert response.status_code == 201, response.content
    lines = response.json()["lines"]
    assert [(line["quantity"], line["unit_price"]) for line in lines] == [
        (3, "6.25"),
        (1, "5.00"),
    ]
    assert response.json()["subtotal"] == "23.75"
    assert response.json()["item_count"] == 4


def test_prices_follow_the_current_price_and_stock_is_only_shown(shop):
    client = client_for(UserFactory())
    client.post(
        "/api/cart/items", {"product": shop["vase"].pk, "quantity": 3}, format="json"
    )

    product_update(
        product=shop["vase"], data={"price": "25.00"}, publish=True, user=None
    )
    cart = client.get("/api/cart").json()

    line = cart["lines"][0]
    assert (line["unit_price"], line["line_total"]) == ("25.00", "75.00")
    assert (line["available_quantity"], line["in_stock"]) == (1, False)
    assert ProductStock.objects.get(product=shop["vase"]).quantity == 1


def test_packages_go_into_the_cart(shop):
    client = client_for(UserFactory())

    response = client.post(
        "/api/cart/items", {"package": shop["package"].pk}, format="json"
    )

    line = response.json()["lines"][0]
    assert (line["kind"], line["item"]["name"], line["unit_price"]) == (
        "package",
        "Vase set",
        "18.00",
    )
    assert line["available_quantity"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"customizations": []}, "customizations"),
        ({"customizations": [{"customization": 0, "value": "x"}]}, "customizations"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 5000}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"package": 1}, "non_field_errors"),
        ({"product": 999999}, "product"),
    ],
    ids=[
        "missing_required_case",
        "bad_customization_case",
        "zero_quantity_case",
        "huge_quantity_case",
        "quantity_text_case",
        "both_items_case",
        "unknown_product_case",
    ],
)
def test_bad_lines_are_400_and_add_nothing(shop, body, field):
    client = client_for(UserFactory())
    payload = {"product": shop["rose"].pk, "quantity": 1, **body}

    response = client.post("/api/cart/items", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert CartLine.objects.count() == 0


def test_missing_required_choice_names_the_customization(shop):
    response = client_for(UserFactory()).post(
        "/api/cart/items", {"product": shop["rose"].pk}, format="json"
    )

    assert response.json()["errors"]["customizations"] == [
        "Ribbon: this customization is required."
    ]


def test_lines_change_and_go_and_belong_to_their_customer(shop):
    owner, other = client_for(UserFactory()), client_for(UserFactory())
    owner.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")
    line_id = CartLine.objects.get().pk

    foreign_patch = other.patch(
        f"/api/cart/items/{line_id}", {"quantity": 9}, format="json"
    )
    foreign_delete = other.delete(f"/api/cart/items/{line_id}")
    patched = owner.patch(f"/api/cart/items/{line_id}", {"quantity": 2}, format="json")
    other_cart = other.get("/api/cart").json()
    deleted = owner.delete(f"/api/cart/items/{line_id}")

    assert (foreign_patch.status_code, foreign_delete.status_code) == (404, 404)
    assert patched.json()["lines"][0]["quantity"] == 2
    assert other_cart["lines"] == []
    assert deleted.json()["lines"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/cart"),
        ("post", "/api/cart/items"),
        ("patch", "/api/cart/items/1"),
        ("delete", "/api/cart/items/1"),
    ],
)
def test_cart_needs_a_login(method, path):
    response = getattr(client_for(None), method)(path, {}, format="json")

    assert response.status_code == 401
