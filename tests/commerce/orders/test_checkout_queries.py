"""What placing an order (from a checked-out cart or explicit lines) costs in queries."""

from decimal import Decimal

import pytest

from commerce.catalogue.selectors.line_images import line_images_get
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxRate
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Ada",
    "street_address_1": "1 Road",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}

# The access token; the transaction (a savepoint under the test's own transaction,
# BEGIN and COMMIT when served); the cart, locked, and its lines with their items
# (each with its first gallery image); the shipping method; the stock rows locked
# and taken in one statement; the tax rates; the order, numbered in its INSERT;
# the lines in one insert; the event; the emptied cart; the outbox row. The line
# images of the response come with the items: none without gallery images.
CHECKOUT_COMPLETE_QUERIES = 13
# The same for explicit lines: their items in one query (products), no cart.
ORDER_PLACE_QUERIES = 11
# Gallery images add the images and their renditions, never a gallery query.
WITH_IMAGES = 2


def _shop(images: int = 0) -> dict:
    category = category_make()
    products = [
        product_make(category, price="5.00", stock=10, images=images) for _ in range(3)
    ]
    method = ShippingMethod.objects.create(name="Standard", price=Decimal("4.90"))
    TaxRate.objects.create(country="DE", rate=Decimal("19"))
    return {"products": products, "method": method}


def test_completing_a_three_line_checkout_takes_a_pinned_number_of_queries(
    django_assert_num_queries,
):
    shop = _shop()
    client = client_for(UserFactory())
    for product in shop["products"]:
        client.post("/api/cart/items", {"product": product.pk}, format="json")
    client.put("/api/cart/shipping-address", ADDRESS, format="json")
    client.put("/api/cart/shipping-method", {"shipping_method": shop["method"].pk})

    with django_assert_num_queries(CHECKOUT_COMPLETE_QUERIES):
        response = client.post("/api/checkout/complete", {}, format="json")

    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == 3


@pytest.mark.parametrize("images", [0, 1])
def test_placing_a_three_line_order_takes_a_pinned_number_of_queries(
    django_assert_num_queries, images
):
    shop = _shop(images=images)
    # Renditions are made once, on first use: not part of placing an order.
    line_images_get(
        product_ids={p.pk for p in shop["products"]}, package_ids=set(), image_ids=set()
    )
    client = client_for(UserFactory())
    body = {
        "lines": [{"product": p.pk, "quantity": 2} for p in shop["products"]],
        "shipping_address": ADDRESS,
        "shipping_method": shop["method"].pk,
    }

    with django_assert_num_queries(ORDER_PLACE_QUERIES + images * WITH_IMAGES):
        response = client.post("/api/orders", body, format="json")

    assert response.status_code == 201, response.content
    lines = response.json()["lines"]
    assert [line["quantity"] for line in lines] == [2, 2, 2]
    assert all((line["thumbnail"] is not None) is bool(images) for line in lines)
