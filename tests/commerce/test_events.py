"""Typed events: each is produced by its real service and reaches its subscribers.

Each test records the change through the service that makes it, delivers the
event's outbox row as the worker does, and checks that a subscriber got the event
dataclass with its fields, and that the notification, plugin and webhook rows of
the real subscribers were written (their own deliveries are tested in tests/notify).
"""

from pathlib import Path

import pytest

from commerce.accounts.services.users import password_reset_request, user_register
from commerce.catalogue.services.sellables import product_update
from commerce.catalogue.services.stock import stock_adjust, stock_set
from commerce.enums import OrderStatus
from commerce.events import (
    EVENTS,
    CustomerCreated,
    Event,
    OrderCreated,
    OrderPaymentStatusChanged,
    OrderStatusChanged,
    PasswordResetRequested,
    ProductPublished,
    ProductUnpublished,
    ProductUpdated,
    StockChanged,
    events_markdown,
    subscribe,
    unsubscribe,
    webhook_event_names,
)
from commerce.orders.models import Order
from commerce.orders.services import order_transition
from commerce.payments.services import order_pay
from commerce.plugins import BasePlugin
from notify.models import OutboxMessage, OutboxStatus, Webhook
from notify.outbox import outbox_message_process
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


class ListeningPlugin(BasePlugin):
    identifier = "tests.listening"
    name = "Listening"


@pytest.fixture
def received():
    """Every event delivered while the test runs, as its subscribers get it."""
    events: list[Event] = []
    subscribe(*EVENTS)(events.append)
    yield events
    unsubscribe(events.append, EVENTS)


@pytest.fixture
def webhook(settings):
    settings.PLUGINS = [f"{__name__}.ListeningPlugin"]
    return Webhook.objects.create(
        name="ERP", url="https://erp.example.com/hook", secret="s", events=["*"]
    )


def _deliver(event_type: type[Event]) -> list[Event]:
    """Deliver the pending rows of ``event_type`` once, as the worker would."""
    messages = OutboxMessage.objects.filter(
        topic=event_type.topic, status=OutboxStatus.PENDING
    ).order_by("pk")
    for message in messages:
        outbox_message_process(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == OutboxStatus.DELIVERED, message.last_error
    return list(messages)


def _fan_out(topic: str, key: str) -> list:
    return list(
        OutboxMessage.objects.filter(topic=topic)
        .order_by("pk")
        .values_list(f"payload__{key}", flat=True)
    )


def _webhooks_and_plugins() -> tuple[list, list]:
    webhook_rows = OutboxMessage.objects.filter(topic="notify.webhook").order_by("pk")
    plugin_rows = OutboxMessage.objects.filter(topic="commerce.plugin_event")
    return (
        [(row.payload["event"], row.payload["data"]) for row in webhook_rows],
        [(row.payload["event"], row.payload["data"]) for row in plugin_rows],
    )


def _place_order(customer=None, *, quantity=1) -> Order:
    product = product_make(category_make(), title="Lamp", price="9.50", stock=4)
    OutboxMessage.objects.all().delete()  # the catalogue's own events
    response = client_for(customer or UserFactory()).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "quantity": quantity}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Order.objects.get(pk=response.json()["id"])


def _only(received: list[Event], event_type: type[Event]) -> Event:
    [event] = [event for event in received if isinstance(event, event_type)]
    return event


def test_order_created_reaches_notifications_plugins_and_webhooks(received, webhook):
    # given
    customer = UserFactory()
    order = _place_order(customer, quantity=2)

    # when
    _deliver(OrderCreated)

    # then
    event = _only(received, OrderCreated)
    assert event == OrderCreated(
        order_id=order.pk,
        number=order.number,
        customer_id=customer.pk,
        status=OrderStatus.PENDING,
        total="19.00",
        currency="EUR",
    )
    assert _fan_out("notify.notification", "event") == [
        "order_placed",
        "staff_new_order",
    ]
    assert _webhooks_and_plugins() == (
        [("order.created", event.to_payload())],
        [("order_created", event.to_payload())],
    )


def test_a_cancel_is_an_order_status_change_published_twice(received, webhook):
    # given
    customer = UserFactory()
    order = _place_order(customer)
    OutboxMessage.objects.all().delete()

    # when
    order_transition(
        order_id=order.pk, actor=customer, to_status=OrderStatus.CANCELLED, note="x"
    )
    _deliver(OrderStatusChanged)

    # then
    event = _only(received, OrderStatusChanged)
    assert (event.order_id, event.status, event.from_status, event.note) == (
        order.pk,
        OrderStatus.CANCELLED,
        OrderStatus.PENDING,
        "x",
    )
    assert event.webhooks() == ("order.status_changed", "order.cancelled")
    assert _fan_out("notify.notification", "event") == ["order_cancelled"]
    assert _webhooks_and_plugins() == (
        [
            ("order.status_changed", event.to_payload()),
            ("order.cancelled", event.to_payload()),
        ],
        [("order_status_changed", event.to_payload())],
    )


def test_order_payment_status_changed_reaches_plugins_and_webhooks(received, webhook):
    # given
    customer = UserFactory()
    order = _place_order(customer)
    OutboxMessage.objects.all().delete()

    # when
    order_pay(
        order_id=order.pk,
        actor=customer,
        gateway_id="dummy_card",
        data={"card_number": "4242 4242 4242 4242"},
    )
    _deliver(OrderPaymentStatusChanged)

    # then
    event = _only(received, OrderPaymentStatusChanged)
    assert event == OrderPaymentStatusChanged(
        order_id=order.pk,
        number=order.number,
        customer_id=customer.pk,
        payment_status="paid",
        from_payment_status="unpaid",
        gateway="dummy_card",
        total="9.50",
        currency="EUR",
    )
    assert _webhooks_and_plugins() == (
        [("order.payment_status_changed", event.to_payload())],
        [("order_payment_status_changed", event.to_payload())],
    )


def test_customer_created_welcomes_and_publishes_customer_created(received, webhook):
    # when
    user = user_register(
        email="ada@example.com", password="a long secret 1", name="Ada"
    )
    _deliver(CustomerCreated)

    # then
    event = _only(received, CustomerCreated)
    assert event == CustomerCreated(
        user_id=user.pk, email="ada@example.com", name="Ada"
    )
    assert _fan_out("notify.notification", "event") == ["welcome"]
    assert _webhooks_and_plugins() == (
        [("customer.created", event.to_payload())],
        [("customer_created", event.to_payload())],
    )


def test_password_reset_requested_mails_the_account_and_publishes_nothing(
    received, webhook
):
    # given
    UserFactory(email="ada@example.com")

    # when
    password_reset_request(email="ada@EXAMPLE.com")
    _deliver(PasswordResetRequested)

    # then
    assert _only(received, PasswordResetRequested) == PasswordResetRequested(
        email="ada@example.com"
    )
    assert _fan_out("notify.email", "to") == ["ada@example.com"]
    assert _webhooks_and_plugins() == ([], [])


def test_product_published_reaches_plugins_and_webhooks(received, webhook):
    # when
    product = product_make(category_make(), title="Vase", price="20.00", sku="V-1")
    _deliver(ProductPublished)

    # then
    event = _only(received, ProductPublished)
    assert event == ProductPublished(
        kind="product",
        id=product.pk,
        sku="V-1",
        title="Vase",
        price="20.00",
        currency="EUR",
    )
    assert _webhooks_and_plugins() == (
        [("product.published", event.to_payload())],
        [("product_published", event.to_payload())],
    )


def test_product_unpublished_reaches_plugins_and_webhooks(received, webhook):
    # given
    product = product_make(category_make(), title="Vase", price="20.00", sku="V-1")
    OutboxMessage.objects.all().delete()

    # when
    product.unpublish(user=None)
    _deliver(ProductUnpublished)

    # then
    event = _only(received, ProductUnpublished)
    assert event == ProductUnpublished(
        kind="product",
        id=product.pk,
        sku="V-1",
        title="Vase",
        price="20.00",
        currency="EUR",
    )
    assert _webhooks_and_plugins() == (
        [("product.unpublished", event.to_payload())],
        [("product_unpublished", event.to_payload())],
    )


def test_product_updated_as_a_draft_reaches_plugins_and_webhooks(received, webhook):
    # given
    product = product_make(category_make(), title="Vase", price="20.00", sku="V-1")
    OutboxMessage.objects.all().delete()

    # when
    product_update(
        product=product, data={"title": "Tall vase"}, publish=False, user=None
    )
    _deliver(ProductUpdated)

    # then
    event = _only(received, ProductUpdated)
    assert event == ProductUpdated(
        kind="product",
        id=product.pk,
        sku="V-1",
        title="Tall vase",
        price="20.00",
        currency="EUR",
        live=False,
    )
    assert _webhooks_and_plugins() == (
        [("product.updated", event.to_payload())],
        [("product_updated", event.to_payload())],
    )


def test_stock_changes_reach_plugins_and_webhooks_and_no_change_is_quiet(
    received, webhook
):
    # given
    product = product_make(category_make(), sku="V-1", stock=5)
    OutboxMessage.objects.all().delete()

    # when
    stock_set(product_id=product.pk, quantity=5)  # unchanged: no event
    stock_set(product_id=product.pk, quantity=8)
    stock_adjust(product_id=product.pk, delta=-3)
    _deliver(StockChanged)

    # then
    assert [event for event in received if isinstance(event, StockChanged)] == [
        StockChanged(product_id=product.pk, sku="V-1", quantity=8, previous_quantity=5),
        StockChanged(product_id=product.pk, sku="V-1", quantity=5, previous_quantity=8),
    ]
    assert _fan_out("notify.webhook", "event") == ["stock.changed", "stock.changed"]
    assert _fan_out("commerce.plugin_event", "event") == [
        "stock_changed",
        "stock_changed",
    ]


@pytest.mark.parametrize("event_type", EVENTS, ids=lambda event: event.__name__)
def test_every_event_has_a_plugin_hook_that_passes_through(event_type):
    # given
    plugin = BasePlugin(configuration={})

    # then
    if event_type.plugin_hook:
        assert getattr(plugin, event_type.plugin_hook)({}) is None


def test_a_payload_round_trips_and_unknown_keys_from_another_release_are_ignored():
    # given
    event = OrderStatusChanged(
        order_id=1,
        number="FNT-00000001",
        customer_id=2,
        status="processing",
        total="1.00",
        currency="EUR",
        from_status="pending",
    )

    # then
    assert list(event.to_payload()) == [
        "order_id",
        "number",
        "customer_id",
        "status",
        "total",
        "currency",
        "from_status",
        "note",
        "tracking_carrier",
        "tracking_number",
    ]
    assert OrderStatusChanged.from_payload({**event.to_payload(), "new": 1}) == event
    assert event.webhooks() == ("order.status_changed",)


def test_the_webhook_admin_offers_every_webhook_event(client):
    # given
    client.force_login(UserFactory(role="administrator"))

    # when
    response = client.get("/admin/webhooks/new/")

    # then
    assert response.status_code == 200
    choices = [value for value, _ in response.context["form"].fields["events"].choices]
    assert choices == [
        "*",
        "order.created",
        "order.status_changed",
        "order.cancelled",
        "order.payment_status_changed",
        "order.return_changed",
        "customer.created",
        "product.published",
        "product.unpublished",
        "product.updated",
        "stock.changed",
    ]
    assert choices[1:] == webhook_event_names()


def test_the_readme_lists_the_events_of_the_module():
    # given
    text = README.read_text()
    start = text.index("<!-- events:start")
    start = text.index("\n", start) + 1
    end = text.index("<!-- events:end -->")

    # then
    assert text[start:end] == events_markdown(), (
        "README.md's event list is out of date: replace it with "
        "commerce.events.events_markdown()"
    )
