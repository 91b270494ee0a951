"""A delivered order to return: 3 apples (2.00) and a breakfast package (7.00), paid by card."""

from datetime import UTC, datetime

import pytest
import time_machine

from commerce.enums import OrderStatus
from commerce.orders.models import Order
from commerce.orders.services import order_transition
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay

DELIVERED_AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(db):
    category = category_make()
    apple = product_make(category, title="Apple", price="2.00", stock=10)
    bread = product_make(category, title="Bread", price="3.50", stock=10)
    package = package_make(
        category, [(apple, 2), (bread, 1)], title="Breakfast", price="7.00"
    )
    return {"apple": apple, "bread": bread, "package": package}


@pytest.fixture
def manager(db):
    return UserFactory(email="manager@example.com", role="manager")


@pytest.fixture
def delivered(catalogue, customer, manager):
    """Delivered on DELIVERED_AT; apple stock 10 - 3 - 2 = 5, bread 10 - 1 = 9."""
    with time_machine.travel(DELIVERED_AT, tick=False):
        client = client_for(customer)
        response = client.post(
            "/api/orders",
            {
                "lines": [
                    {"product": catalogue["apple"].pk, "quantity": 3},
                    {"package": catalogue["package"].pk, "quantity": 1},
                ],
                "shipping_address": ADDRESS,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        order_id = response.json()["id"]
        order_pay(client, order_id)
        for status in (
            OrderStatus.PROCESSING,
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
        ):
            order_transition(order_id=order_id, actor=manager, to_status=status)
    return Order.objects.get(pk=order_id)


def lines_of(order: Order) -> dict[str, int]:
    """The order's line ids by name: Apple and Breakfast."""
    return dict(order.lines.values_list("name", "pk"))
