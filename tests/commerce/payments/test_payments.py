"""Payments through gateway plugins: cash on delivery, the dummy card, refunds."""

from decimal import Decimal

import pytest

from commerce.catalogue.models import ProductStock
from commerce.orders.models import Order, PaymentTransaction
from commerce.payments import PaymentGateway, PaymentRequest, PaymentResult
from notify.models import OutboxMessage
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = pytest.mark.django_db

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000000000000002"


@pytest.fixture
def product():
    return product_make(category_make(), title="Lamp", price="12.50", stock=5)


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def order_id(owner, product):
    response = client_for(owner).post(
        "/api/orders",
        {
            "lines": [{"product": product.pk, "quantity": 2}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )
    return response.json()["id"]


def _pay(client, order_id, **data):
    return client.post(f"/api/orders/{order_id}/pay", data, format="json")


def _payment_topics() -> list[str]:
    return list(
        OutboxMessage.objects.filter(topic="order.payment_status_changed")
        .order_by("pk")
        .values_list("payload__payment_status", flat=True)
    )


def test_the_enabled_gateways_are_listed(api_client):
    response = api_client.get("/api/payments/gateways")

    assert response.status_code == 200
    assert [gateway["id"] for gateway in response.json()] == [
        "cash_on_delivery",
        "dummy_card",
    ]


def test_a_good_card_pays_the_order(owner, order_id):
    response = _pay(
        client_for(owner), order_id, gateway="dummy_card", card_number=GOOD_CARD
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["payment_status"], body["payment_gateway"]) == ("paid", "dummy_card")
    assert [(p["action"], p["amount"], p["succeeded"]) for p in body["payments"]] == [
        ("capture", "25.00", True)
    ]
    assert _payment_topics() == ["paid"]


def test_a_declined_card_is_402_recorded_and_leaves_the_order_unpaid(owner, order_id):
    client = client_for(owner)

    declined = _pay(client, order_id, gateway="dummy_card", card_number=DECLINED_CARD)

    assert declined.status_code == 402
    assert declined.json()["code"] == "payment_declined"
    assert declined.json()["detail"] == "The card was declined."
    attempt = PaymentTransaction.objects.get()
    assert (attempt.succeeded, attempt.message) == (False, "The card was declined.")
    assert Order.objects.get(pk=order_id).payment_status == "unpaid"
    assert _payment_topics() == []
    # The customer may try again with another card.
    retry = _pay(client, order_id, gateway="dummy_card", card_number=GOOD_CARD)
    assert retry.json()["payment_status"] == "paid"
    assert [p["succeeded"] for p in retry.json()["payments"]] == [False, True]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "gateway"),
        ({"gateway": "bitcoin"}, "gateway"),
        ({"gateway": "dummy_card"}, "card_number"),
        ({"gateway": "dummy_card", "card_number": "4242424242424241"}, "card_number"),
        ({"gateway": "dummy_card", "card_number": "abcd"}, "card_number"),
        ({"gateway": "dummy_card", "card_number": "9" * 40}, "card_number"),
        ({"gateway": ["dummy_card"]}, "gateway"),
    ],
)
def test_bad_payment_input_is_400_with_the_field(owner, order_id, payload, field):
    response = _pay(client_for(owner), order_id, **payload)

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not PaymentTransaction.objects.exists()


def test_an_order_is_paid_once(owner, order_id):
    client = client_for(owner)
    _pay(client, order_id, gateway="dummy_card", card_number=GOOD_CARD)

    again = _pay(client, order_id, gateway="cash_on_delivery")

    assert again.status_code == 409
    assert again.json()["code"] == "payment_not_allowed"
    assert PaymentTransaction.objects.count() == 1


def test_a_replayed_payment_answers_the_first_response_and_charges_once(
    owner, order_id
):
    # given
    client = client_for(owner)
    card = {"gateway": "dummy_card", "card_number": GOOD_CARD}
    first = client.post(
        f"/api/orders/{order_id}/pay", card, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )

    # when
    replay = client.post(
        f"/api/orders/{order_id}/pay", card, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )

    # then
    assert first.status_code == replay.status_code == 200, first.content
    assert replay.json() == first.json()
    assert replay.json()["payment_status"] == "paid"
    assert PaymentTransaction.objects.count() == 1
    assert _payment_topics() == ["paid"]


def test_a_payment_key_reused_with_another_body_is_refused(owner, order_id):
    # given
    client = client_for(owner)
    client.post(
        f"/api/orders/{order_id}/pay",
        {"gateway": "dummy_card", "card_number": GOOD_CARD},
        format="json",
        HTTP_IDEMPOTENCY_KEY="p-2",
    )

    # when
    reused = client.post(
        f"/api/orders/{order_id}/pay",
        {"gateway": "cash_on_delivery"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="p-2",
    )

    # then
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert PaymentTransaction.objects.count() == 1


def test_a_payment_key_does_not_replay_the_answer_for_another_order(
    owner, order_id, product
):
    # given
    client = client_for(owner)
    card = {"gateway": "dummy_card", "card_number": GOOD_CARD}
    client.post(
        f"/api/orders/{order_id}/pay", card, format="json", HTTP_IDEMPOTENCY_KEY="p-3"
    )
    other_id = client.post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    ).json()["id"]

    # when
    response = client.post(
        f"/api/orders/{other_id}/pay", card, format="json", HTTP_IDEMPOTENCY_KEY="p-3"
    )

    # then
    assert response.status_code == 422
    assert Order.objects.get(pk=other_id).payment_status == "unpaid"


def test_a_declined_payment_is_not_replayed_and_stays_recorded(owner, order_id):
    # given
    client = client_for(owner)
    declined_card = {"gateway": "dummy_card", "card_number": DECLINED_CARD}

    # when
    answers = [
        client.post(
            f"/api/orders/{order_id}/pay",
            declined_card,
            format="json",
            HTTP_IDEMPOTENCY_KEY="p-4",
        )
        for _ in range(2)
    ]

    # then
    assert [answer.status_code for answer in answers] == [402, 402]
    assert PaymentTransaction.objects.filter(succeeded=False).count() == 2
    assert Order.objects.get(pk=order_id).payment_status == "unpaid"


def test_a_cancelled_order_cannot_be_paid(owner, order_id):
    client = client_for(owner)
    client.patch(f"/api/orders/{order_id}", {"status": "cancelled"}, format="json")

    response = _pay(client, order_id, gateway="cash_on_delivery")

    assert response.status_code == 409


def test_cash_on_delivery_is_authorized_then_captured_on_delivery(owner, order_id):
    authorized = _pay(client_for(owner), order_id, gateway="cash_on_delivery")
    assert authorized.json()["payment_status"] == "authorized"
    manager = client_for(UserFactory(role="manager"))

    for status in ("processing", "shipped", "delivered"):
        response = manager.patch(
            f"/api/orders/{order_id}", {"status": status}, format="json"
        )

    body = response.json()
    assert body["payment_status"] == "paid"
    assert [(p["action"], p["succeeded"]) for p in body["payments"]] == [
        ("authorize", True),
        ("capture", True),
    ]
    assert _payment_topics() == ["authorized", "paid"]


def test_cancelling_a_paid_order_refunds_it_and_restocks(owner, order_id, product):
    client = client_for(owner)
    _pay(client, order_id, gateway="dummy_card", card_number=GOOD_CARD)

    response = client.patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    assert response.json()["payment_status"] == "refunded"
    assert response.json()["payments"][-1]["action"] == "refund"
    assert ProductStock.objects.get(pk=product.pk).quantity == 5
    assert _payment_topics() == ["paid", "refunded"]


def test_cancelling_releases_a_cash_on_delivery_authorization(owner, order_id):
    client = client_for(owner)
    _pay(client, order_id, gateway="cash_on_delivery")

    response = client.patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    assert response.json()["payment_status"] == "unpaid"
    assert _payment_topics() == ["authorized", "unpaid"]


def test_staff_refund_a_delivered_order(owner, order_id):
    _pay(client_for(owner), order_id, gateway="dummy_card", card_number=GOOD_CARD)
    manager = client_for(UserFactory(role="manager"))
    for status in ("processing", "shipped", "delivered"):
        manager.patch(f"/api/orders/{order_id}", {"status": status}, format="json")

    response = manager.post(f"/api/orders/{order_id}/refund")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["payment_status"]) == (
        "delivered",
        "refunded",
    )
    assert manager.post(f"/api/orders/{order_id}/refund").status_code == 409


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("owner", 403),
        ("other_customer", 404),
        ("manager", 200),
        ("administrator", 200),
    ],
)
def test_refund_permissions(owner, order_id, who, expected):
    _pay(client_for(owner), order_id, gateway="dummy_card", card_number=GOOD_CARD)
    actor = {
        "anonymous": None,
        "owner": owner,
        "other_customer": UserFactory(),
        "manager": UserFactory(role="manager"),
        "administrator": UserFactory(role="administrator"),
    }[who]

    response = client_for(actor).post(f"/api/orders/{order_id}/refund")

    assert response.status_code == expected
    if who == "owner":
        assert response.json()["detail"] == "Only staff can refund orders."
    paid_or_refunded = "refunded" if expected == 200 else "paid"
    assert Order.objects.get(pk=order_id).payment_status == paid_or_refunded


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("other_customer", 404), ("manager", 200)],
)
def test_pay_permissions_bola(owner, order_id, who, expected):
    actor = {
        "anonymous": None,
        "other_customer": UserFactory(),
        "manager": UserFactory(role="manager"),
    }[who]

    response = _pay(client_for(actor), order_id, gateway="cash_on_delivery")

    assert response.status_code == expected
    assert PaymentTransaction.objects.count() == (1 if expected == 200 else 0)


class FlakyRefundGateway(PaymentGateway):
    """A plugin gateway that takes money but cannot give it back."""

    id = "flaky"
    name = "Flaky"
    captures_on_authorize = True

    def authorize(self, request: PaymentRequest) -> PaymentResult:
        assert request.amount == Decimal("25.00")
        return PaymentResult(succeeded=True, reference=f"flaky-{request.order_number}")

    def capture(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=reference)

    def refund(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=False, message="Refunds are closed today.")


def test_a_gateway_plugin_from_settings_is_used_and_a_failed_refund_blocks_cancel(
    owner, order_id, product, settings
):
    settings.PAYMENT_GATEWAYS = [f"{__name__}.FlakyRefundGateway"]
    client = client_for(owner)
    assert [g["id"] for g in client.get("/api/payments/gateways").json()] == ["flaky"]
    assert _pay(client, order_id, gateway="dummy_card").status_code == 400
    paid = _pay(client, order_id, gateway="flaky")
    assert paid.json()["payment_status"] == "paid"
    stock_after_order = ProductStock.objects.get(pk=product.pk).quantity

    cancel = client.patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    )

    assert cancel.status_code == 502
    assert cancel.json()["detail"] == "Refunds are closed today."
    order = Order.objects.get(pk=order_id)
    assert (order.status, order.payment_status) == ("pending", "paid")
    assert ProductStock.objects.get(pk=product.pk).quantity == stock_after_order
