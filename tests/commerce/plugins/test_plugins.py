"""Plugins: a chained price hook and an event after commit, once."""

from decimal import Decimal

import pytest

from commerce.orders.models import OrderLine
from commerce.plugins import BasePlugin, PluginValidationError
from commerce.plugins.models import PluginConfiguration
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

RECEIVED: list[tuple[str, dict]] = []


class HalfPricePlugin(BasePlugin):
    identifier = "tests.half_price"
    name = "Half price"
    default_configuration = {"factor": "0.5"}

    def line_unit_price(self, previous, *, kind, item_id, sku, quantity):
        return previous * Decimal(self.configuration["factor"])

    def order_created(self, payload):
        RECEIVED.append(("order_created", payload))


class MinusOnePlugin(BasePlugin):
    identifier = "tests.minus_one"
    name = "One off"

    def line_unit_price(self, previous, *, kind, item_id, sku, quantity):
        return previous - Decimal("1.00")

    def order_validate(self, previous, *, order):
        if order["shipping_address"]["country"] == "AQ":
            raise PluginValidationError("We do not ship to Antarctica.")
        return previous


@pytest.fixture
def plugins(settings):
    settings.PLUGINS = [f"{__name__}.HalfPricePlugin", f"{__name__}.MinusOnePlugin"]
    RECEIVED.clear()
    yield
    RECEIVED.clear()


def _order(country="DE"):
    product = product_make(category_make(), title="Vase", price="20.00", stock=5)
    return client_for(UserFactory()).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "quantity": 2}],
            "shipping_address": {**ADDRESS, "country": country},
        },
        format="json",
    )


def test_chained_price_hook_and_the_order_created_event_once(plugins):
    response = _order()
    outbox_drain()
    outbox_drain()  # a second worker pass delivers nothing again

    assert response.status_code == 201
    # 20.00 × 0.5 (first plugin), then − 1.00 (second plugin, given the first's value)
    line = OrderLine.objects.get()
    assert (line.unit_price, line.line_total) == (Decimal("9.00"), Decimal("18.00"))
    assert response.json()["total"] == "18.00"
    assert [event for event, _ in RECEIVED] == ["order_created"]
    assert RECEIVED[0][1]["order_id"] == response.json()["id"]


def test_admin_configuration_changes_and_disables_a_plugin(plugins):
    PluginConfiguration.objects.create(
        identifier="tests.half_price", configuration={"factor": "0.25"}
    )
    PluginConfiguration.objects.create(identifier="tests.minus_one", active=False)

    response = _order()

    assert response.json()["lines"][0]["unit_price"] == "5.00"


def test_a_validation_hook_refuses_an_order_and_nothing_is_written(plugins):
    response = _order(country="AQ")

    assert response.status_code == 400
    assert response.json()["detail"] == "We do not ship to Antarctica."
    assert not OrderLine.objects.exists()


def test_only_administrators_open_the_plugin_admin(client, plugins):
    for role, expected in [("manager", 302), ("administrator", 200)]:
        client.force_login(UserFactory(role=role))
        response = client.get("/admin/plugins/")
        assert response.status_code == expected, role
