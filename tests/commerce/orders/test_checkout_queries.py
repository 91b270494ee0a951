"""What placing an order from a checked-out cart costs in queries."""

from decimal import Decimal

import pytest

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

# The access token; the cart, locked, and its lines with their items; the shipping
# method; the stock rows locked and updated in one statement; the packages holding
# them (cache tokens); the tax rates; the order and its number; the lines in one
# insert; the event; the emptied cart; the outbox row; the line images of the
# response (the order is answered from memory); the savepoint around it. At most
# 18, the cost of placing a 3-line order before the checkout.
CHECKOUT_COMPLETE_QUERIES = 15


def test_completing_a_three_line_checkout_takes_a_pinned_number_of_queries(
    django_assert_num_queries,
):
    category = category_make()
    products = [product_make(category, price="5.00", stock=10) for _ in range(3)]
    method = ShippingMethod.objects.create(name="Standard", price=Decimal("4.90"))
    TaxRate.objects.create(country="DE", rate=Decimal("19"))
    client = client_for(UserFactory())
    for product in products:
        client.post("/api/cart/items", {"product": product.pk}, format="json")
    client.put("/api/cart/shipping-address", ADDRESS, format="json")
    client.put("/api/cart/shipping-method", {"shipping_method": method.pk})

    with django_assert_num_queries(CHECKOUT_COMPLETE_QUERIES):
        response = client.post("/api/checkout/complete", {}, format="json")

    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == 3
