"""A voucher's usage limit under real concurrency (threads against PostgreSQL)."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from commerce.orders.models import Order
from commerce.shipping.models import ShippingMethod
from commerce.vouchers.models import Voucher, VoucherUsage
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

pytestmark = [
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL",
    ),
]

ADDRESS = {
    "name": "Ada",
    "street_address_1": "1 Road",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


def test_100_concurrent_checkouts_on_a_voucher_for_10_uses_use_it_exactly_10_times():
    # given: 100 customers, each with a checked-out cart holding the voucher
    product = product_make(category_make(), price="20.00", stock=500)
    method = ShippingMethod.objects.create(name="Standard", price=Decimal("4.90"))
    voucher = Voucher.objects.create(code="TEN", value=10, usage_limit=10)
    checkouts = []
    for index in range(100):
        client = client_for(UserFactory())
        client.post("/api/cart/items", {"product": product.pk}, format="json")
        client.put("/api/cart/shipping-address", ADDRESS, format="json")
        client.put("/api/cart/shipping-method", {"shipping_method": method.pk})
        # From 100 addresses: voucher attempts are limited per address.
        applied = client.post(
            "/api/cart/voucher", {"code": "ten"}, REMOTE_ADDR=f"198.51.100.{index}"
        )
        assert applied.status_code == 200, applied.content
        checkouts.append(client)

    def complete(client):
        try:
            response = client.post("/api/checkout/complete", {}, format="json")
            return response.status_code, response.json().get("code")
        finally:
            connections.close_all()

    # when
    with ThreadPoolExecutor(max_workers=24) as pool:
        results = list(pool.map(complete, checkouts))

    # then: the others are told the voucher is used up, and placed nothing
    assert Counter(status for status, _ in results) == {201: 10, 409: 90}
    assert {code for status, code in results if status == 409} == {
        "voucher_not_applicable"
    }
    assert Order.objects.count() == 10
    assert (
        Order.objects.filter(voucher_code="TEN", discount=Decimal("2.00")).count() == 10
    )
    assert VoucherUsage.objects.filter(voucher=voucher).count() == 10
    voucher.refresh_from_db()
    assert voucher.uses == 10
