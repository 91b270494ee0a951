"""Order emails show the order: lines and choices, addresses, method, totals, link."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from commerce.enums import OrderStatus
from commerce.events import OrderCreated, record
from commerce.orders.models import Order
from commerce.orders.placement import RequestedLine, order_place
from commerce.orders.services import order_event_payload, order_transition
from notify.models import Notification, OutboxMessage
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import OrderFactory, OrderLineFactory, UserFactory
from tests.commerce.fixtures import ADDRESS, client_for, order_pay
from tests.customization.builders import attach, customization_make
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

BILLING = {
    "name": "Ada Lovelace",
    "company": "Analytical Engines Ltd",
    "street_address_1": "12 Analytical Row",
    "street_address_2": "Floor 2",
    "city": "London",
    "postal_code": "N1 9GU",
    "region": "",
    "country": "GB",
    "phone": "",
}


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://shop.example/"
    settings.ORDER_URL = ""


def _mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _html(message) -> str:
    return message.alternatives[0].content


@pytest.fixture
def placed(customer):
    """Two engraved mugs (10.00 + Large 4.50 + engraving 2.00), as checkout left them."""
    mug = product_make(category_make(), title="Mug", price="10.00", stock=10)
    size = customization_make("button", name="Size")
    engraving = customization_make("text", name="Engraving")
    mug = attach(attach(mug, size), engraving)
    order = order_place(
        customer=customer,
        lines=[
            RequestedLine(
                "product",
                mug.pk,
                2,
                [
                    {"customization": size.pk, "value": str(size.options[1].id)},
                    {"customization": engraving.pk, "value": "For Ada"},
                ],
            )
        ],
        contact={},
        shipping_address=ADDRESS,
        gift={},
    )
    # What checkout stores besides the lines: method, shipping, tax, discount.
    Order.objects.filter(pk=order.pk).update(
        shipping_method={"id": 1, "name": "Express", "price": "5.90"},
        shipping=Decimal("5.90"),
        tax=Decimal("5.73"),
        discount=Decimal("3.00"),
        total=Decimal("35.90"),
        billing_address=BILLING,
    )
    order.refresh_from_db()
    return order


def test_the_confirmation_lists_lines_addresses_method_totals_and_link(
    placed, customer
):
    # given
    manager = UserFactory(role="manager")

    # when
    outbox_drain()

    # then
    (message,) = _mail_to(customer.email)
    link = f"https://shop.example/api/orders/{placed.token}"
    assert message.subject == f"Order {placed.number} received"
    text = message.body
    for expected in [
        "2 × Mug: 16.50 each, 33.00 EUR",
        "    Size: Large\n",
        "    Engraving: For Ada\n",
        "Subtotal: 33.00 EUR",
        "Shipping (Express): 5.90 EUR",
        "Discount: -3.00 EUR",
        "Tax (included): 5.73 EUR",
        "Total: 35.90 EUR",
        "Shipping address:\n    Ada\n    1 Road\n    10115 Berlin\n    DE\n",
        "Billing address:\n    Ada Lovelace\n    Analytical Engines Ltd\n"
        "    12 Analytical Row\n    Floor 2\n    N1 9GU London\n    GB\n",
        f"See your order: {link}",
    ]:
        assert expected in text, expected
    html = _html(message)
    assert "<td>Mug<br><small>Size: Large</small><br><small>Engraving: For Ada" in html
    assert '<td align="right">16.50</td>' in html
    assert f'<a href="{link}">See your order</a>' in html
    # Staff still get their alert.
    assert [m.subject for m in _mail_to(manager.email)] == [
        f"New order {placed.number}"
    ]
    assert Notification.objects.get(event="order_placed").recipient == customer


def test_order_url_points_the_link_at_the_storefront(placed, customer, settings):
    settings.ORDER_URL = "https://store.example/orders/{number}?key={token}"

    outbox_drain()

    (message,) = _mail_to(customer.email)
    link = f"https://store.example/orders/{placed.number}?key={placed.token}"
    assert f"See your order: {link}" in message.body


def test_the_shipped_email_carries_the_carrier_and_tracking_number(placed, customer):
    # given: paid and processing
    order_pay(client_for(customer), placed.pk)
    manager = client_for(UserFactory(role="manager"))
    manager.patch(f"/api/orders/{placed.pk}", {"status": "processing"}, format="json")
    outbox_drain()
    mail.outbox.clear()

    # when
    response = manager.patch(
        f"/api/orders/{placed.pk}",
        {"status": "shipped", "tracking_carrier": "DHL", "tracking_number": "JD0142"},
        format="json",
    )
    outbox_drain()

    # then
    assert response.status_code == 200, response.content
    (message,) = _mail_to(customer.email)
    assert message.subject == f"Order {placed.number} has shipped"
    assert "Carrier: DHL\nTracking number: JD0142\n" in message.body
    assert "2 × Mug: 16.50 each, 33.00 EUR" in message.body
    assert "Total: 35.90 EUR" in message.body
    assert f"See your order: https://shop.example/api/orders/{placed.token}" in (
        message.body
    )
    assert "Tracking number: <strong>JD0142</strong>" in _html(message)
    shipped = Notification.objects.get(recipient=customer, event="order_shipped")
    assert shipped.title == f"Order {placed.number} has shipped"


def test_other_status_changes_keep_their_own_email(placed, customer):
    order_pay(client_for(customer), placed.pk)
    client_for(UserFactory(role="manager")).patch(
        f"/api/orders/{placed.pk}", {"status": "processing"}, format="json"
    )
    outbox_drain()

    subjects = [message.subject for message in _mail_to(customer.email)]

    assert subjects == [
        f"Order {placed.number} received",
        f"Order {placed.number} is processing",
    ]


@pytest.fixture
def guest_order():
    order = OrderFactory(
        guest=True,
        contact_email="guest@example.com",
        status=OrderStatus.PROCESSING,
        paid=True,
        subtotal=Decimal("24.00"),
    )
    OrderLineFactory(
        order=order,
        name="Poster",
        unit_price=Decimal("12.00"),
        quantity=2,
        customizations=[{"label": "Frame", "option_label": "Oak"}],
    )
    return order


def test_a_guest_gets_the_confirmation_at_the_contact_address(guest_order):
    # given
    manager = UserFactory(role="manager")
    with transaction.atomic():
        record(OrderCreated(**order_event_payload(guest_order)))

    # when
    outbox_drain()

    # then
    (message,) = _mail_to("guest@example.com")
    assert message.subject == f"Order {guest_order.number} received"
    assert message.body.startswith("Hello Ada Lovelace,")
    assert "2 × Poster: 12.00 each, 24.00 EUR\n    Frame: Oak\n" in message.body
    assert f"/api/orders/{guest_order.token}" in message.body
    # No account: no in-app row and no push; staff are alerted as usual.
    assert not Notification.objects.exclude(recipient=manager).exists()
    assert [m.subject for m in _mail_to(manager.email)] == [
        f"New order {guest_order.number}"
    ]
    assert not OutboxMessage.objects.filter(topic="notify.push").exists()


def test_a_guest_gets_the_shipped_email_with_tracking(guest_order):
    order_transition(
        order_id=guest_order.pk,
        actor=UserFactory(role="manager"),
        to_status=OrderStatus.SHIPPED,
        tracking_carrier="UPS",
        tracking_number="1Z999AA1",
    )

    outbox_drain()

    (message,) = _mail_to("guest@example.com")
    assert message.subject == f"Order {guest_order.number} has shipped"
    assert "Carrier: UPS\nTracking number: 1Z999AA1\n" in message.body
    assert "2 × Poster" in message.body
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.filter(topic="notify.push").exists()
