"""The shop the voucher tests share, and their cart steps."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.checkout_factories import ShippingMethodFactory, TaxRateFactory

BERLIN = {
    "name": "Ada Lovelace",
    "street_address_1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country": "DE",
}
NOON = datetime(2030, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def shop():
    lamps = category_make("Lamps")
    desk_lamps = category_make("Desk lamps", parent=lamps)
    vases = category_make("Vases")
    lamp = product_make(desk_lamps, title="Lamp", price="49.90", stock=5)
    vase = product_make(vases, title="Vase", price="20.00", stock=10)
    standard = ShippingMethodFactory(name="Standard", price=Decimal("4.90"))
    TaxRateFactory(country="DE", rate=Decimal("19"))
    return {
        "lamps": lamps,
        "vases": vases,
        "lamp": lamp,
        "vase": vase,
        "standard": standard,
    }


def cart_ready(client, shop):
    """One lamp (49.90) and two vases (40.00), shipped to Berlin for 4.90."""
    client.post("/api/cart/items", {"product": shop["lamp"].pk}, format="json")
    client.post(
        "/api/cart/items", {"product": shop["vase"].pk, "quantity": 2}, format="json"
    )
    client.put("/api/cart/shipping-address", BERLIN, format="json")
    response = client.put(
        "/api/cart/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def apply(client, code):
    return client.post("/api/cart/voucher", {"code": code}, format="json")
