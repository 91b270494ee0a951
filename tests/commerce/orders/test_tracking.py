"""The carrier and tracking number staff enter when they mark an order shipped."""

import pytest
from wagtail.models import ModelLogEntry

from commerce.enums import OrderStatus
from commerce.orders.models import Order, OrderEvent
from notify.models import OutboxMessage
from tests.commerce.factories import OrderFactory
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

ORDERS_URL = "/admin/commerce/order/"
ONLY_SHIPPED = "Tracking is entered only when the order is marked shipped."


@pytest.fixture
def processing():
    return OrderFactory(status=OrderStatus.PROCESSING, paid=True)


def test_marking_shipped_through_the_api_stores_the_tracking(processing, manager):
    # when
    response = client_for(manager).patch(
        f"/api/orders/{processing.pk}",
        {
            "status": "shipped",
            "tracking_carrier": " DHL ",
            "tracking_number": "00340434161234567890",
        },
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["tracking_carrier"], body["tracking_number"]) == (
        "shipped",
        "DHL",
        "00340434161234567890",
    )
    order = Order.objects.get(pk=processing.pk)
    assert (order.tracking_carrier, order.tracking_number) == (
        "DHL",
        "00340434161234567890",
    )
    event = OutboxMessage.objects.get(topic="order.status_changed")
    assert (
        event.payload["tracking_carrier"],
        event.payload["tracking_number"],
    ) == ("DHL", "00340434161234567890")
    entry = ModelLogEntry.objects.get(action="commerce.order.transition")
    assert entry.data["tracking_number"] == "00340434161234567890"


def test_tracking_is_optional_when_shipping(processing, manager):
    response = client_for(manager).patch(
        f"/api/orders/{processing.pk}", {"status": "shipped"}, format="json"
    )

    assert response.status_code == 200
    assert (
        response.json()["tracking_carrier"],
        response.json()["tracking_number"],
    ) == (
        "",
        "",
    )


@pytest.mark.parametrize(
    ("payload", "fields", "_case"),
    [
        (
            {"status": "cancelled", "tracking_number": "123"},
            {"tracking_number"},
            "with_another_status",
        ),
        (
            {"status": "cancelled", "tracking_carrier": "DHL", "tracking_number": "1"},
            {"tracking_carrier", "tracking_number"},
            "both_with_another_status",
        ),
        (
            {"status": "shipped", "tracking_number": "9" * 101},
            {"tracking_number"},
            "long",
        ),
        (
            {"status": "shipped", "tracking_carrier": ["DHL"]},
            {"tracking_carrier"},
            "list",
        ),
    ],
)
def test_bad_tracking_is_400_naming_the_field(
    processing, manager, payload, fields, _case
):
    events_before = OrderEvent.objects.count()

    response = client_for(manager).patch(
        f"/api/orders/{processing.pk}", payload, format="json"
    )

    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == fields
    order = Order.objects.get(pk=processing.pk)
    assert (order.status, order.tracking_carrier, order.tracking_number) == (
        "processing",
        "",
        "",
    )
    assert OrderEvent.objects.count() == events_before


def test_a_move_with_tracking_other_than_shipped_is_refused_with_the_reason(
    processing, manager
):
    response = client_for(manager).patch(
        f"/api/orders/{processing.pk}",
        {"status": "cancelled", "tracking_number": "123"},
        format="json",
    )

    assert response.json()["errors"] == {"tracking_number": [ONLY_SHIPPED]}


def test_the_admin_marks_an_order_shipped_with_its_tracking(
    client, manager, processing
):
    # given: the inspect page offers the carrier and number with "Mark shipped"
    client.force_login(manager)
    page = client.get(f"{ORDERS_URL}inspect/{processing.pk}/").content.decode()
    form = page.split('data-transition-form="shipped"')[1].split("</form>")[0]
    assert 'name="tracking_carrier"' in form
    assert 'name="tracking_number"' in form

    # when
    response = client.post(
        f"{ORDERS_URL}transition/{processing.pk}/",
        {"status": "shipped", "tracking_carrier": "UPS", "tracking_number": "1Z999"},
        follow=True,
    )

    # then
    assert response.status_code == 200
    order = Order.objects.get(pk=processing.pk)
    assert (order.status, order.tracking_carrier, order.tracking_number) == (
        "shipped",
        "UPS",
        "1Z999",
    )
    page = response.content.decode()
    assert f"Order {order.number} is now shipped." in page
    assert "<dt>Tracking</dt><dd data-tracking>UPS 1Z999</dd>" in page


def test_the_admin_refuses_tracking_on_another_move_with_a_message(
    client, manager, processing
):
    client.force_login(manager)

    response = client.post(
        f"{ORDERS_URL}transition/{processing.pk}/",
        {"status": "cancelled", "tracking_number": "1Z999"},
        follow=True,
    )

    assert response.status_code == 200
    assert Order.objects.get(pk=processing.pk).status == OrderStatus.PROCESSING
    assert f"Order {processing.number} was not changed: {ONLY_SHIPPED}" in (
        response.content.decode()
    )


def test_only_the_shipped_action_asks_for_tracking(client, manager):
    order = OrderFactory(paid=True)  # pending: processing or cancel
    client.force_login(manager)

    page = client.get(f"{ORDERS_URL}inspect/{order.pk}/").content.decode()

    assert 'data-transition="processing"' in page
    assert 'name="tracking_number"' not in page
