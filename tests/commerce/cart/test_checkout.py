"""The storefront checkout: guest carts by token, the steps, merge at login, placement."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commerce.cart.models import Cart, CartLine
from commerce.cart.services import carts_guest_expired_delete
from commerce.catalogue.models import ProductStock
from commerce.catalogue.services.sellables import product_update
from commerce.orders.models import Order
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxRate
from customization.models import CustomerUpload
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.fixtures import client_for
from tests.customization.builders import attach, customization_make, png_bytes

pytestmark = pytest.mark.django_db

BERLIN = {
    "name": "Ada Lovelace",
    "street_address_1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country": "DE",
    "phone": "030 1234567",
}
TOKYO = {
    "name": "Hana",
    "street_address_1": "1-1 Chiyoda",
    "city": "Chiyoda-ku",
    "region": "Tokyo",
    "postal_code": "100-0001",
    "country": "JP",
}


@pytest.fixture
def shop():
    category = category_make()
    lamp = product_make(category, title="Lamp", price="49.90", stock=5)
    vase = product_make(category, title="Vase", price="20.00", stock=10)
    standard = ShippingMethod.objects.create(
        name="Standard", price=Decimal("4.90"), countries=["DE", "FR"]
    )
    ShippingMethod.objects.create(
        name="Free over 100", price=Decimal("9.90"), free_above=Decimal("100")
    )
    TaxRate.objects.create(country="DE", rate=Decimal("19"))
    return {"lamp": lamp, "vase": vase, "standard": standard}


def guest():
    """An anonymous client holding a new guest cart's token."""
    client = client_for(None)
    response = client.post("/api/cart")
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    client.credentials(HTTP_X_CART_TOKEN=token)
    return client, token


def checkout_ready(client, shop, email="ada@example.com"):
    client.post(
        "/api/cart/items", {"product": shop["lamp"].pk, "quantity": 1}, format="json"
    )
    client.post(
        "/api/cart/items", {"product": shop["vase"].pk, "quantity": 2}, format="json"
    )
    if email:
        assert client.put("/api/cart/email", {"email": email}).status_code == 200
    response = client.put("/api/cart/shipping-address", BERLIN, format="json")
    assert response.status_code == 200, response.content
    response = client.put(
        "/api/cart/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_guest_checks_out_step_by_step_and_follows_the_order_by_its_token(shop):
    client, token = guest()

    cart = checkout_ready(client, shop)

    # 49.90 + 2 × 20.00 = 89.90 (prices include 19 % tax), shipping 4.90.
    assert (cart["subtotal"], cart["shipping"], cart["total"]) == (
        "89.90",
        "4.90",
        "94.80",
    )
    # Tax per line: 49.90 − 49.90 / 1.19 = 7.97; 40.00 − 40.00 / 1.19 = 6.39;
    # shipping 4.90 − 4.90 / 1.19 = 0.78: 15.14 in all.
    assert cart["tax"] == "15.14"
    assert [line["tax"] for line in cart["lines"]] == ["7.97", "6.39"]
    assert cart["currency"] == "EUR"
    assert cart["shipping_address"]["phone"] == "+49301234567"
    assert cart["billing_address"] == cart["shipping_address"]
    assert cart["missing"] == []
    offered = client.get("/api/cart/shipping-methods").json()
    assert [m["name"] for m in offered] == ["Standard", "Free over 100"]

    response = client.post("/api/checkout/complete", {}, format="json")

    assert response.status_code == 201, response.content
    order = response.json()
    assert order["customer"] is None
    assert order["contact_email"] == "ada@example.com"
    assert (order["subtotal"], order["shipping"], order["tax"], order["total"]) == (
        "89.90",
        "4.90",
        "15.14",
        "94.80",
    )
    assert order["shipping_method"]["name"] == "Standard"
    assert [line["gross"] for line in order["lines"]] == ["49.90", "40.00"]
    assert [line["net"] for line in order["lines"]] == ["41.93", "33.61"]
    assert ProductStock.objects.get(product=shop["lamp"]).quantity == 4
    assert not Cart.objects.filter(token=token).exists()
    anyone = client_for(None)
    followed = anyone.get(f"/api/orders/{order['token']}")
    assert followed.status_code == 200
    assert followed.json()["number"] == order["number"]
    paid = anyone.post(
        f"/api/orders/{order['token']}/pay",
        {"gateway": "cash_on_delivery"},
        format="json",
    )
    assert paid.status_code == 200, paid.content
    assert paid.json()["payment_status"] == "authorized"


def test_every_cart_route_also_answers_under_the_token_path(shop):
    client, token = guest()
    anonymous = client_for(None)
    base = f"/api/carts/{token}"

    added = anonymous.post(
        f"{base}/items", {"product": shop["vase"].pk, "quantity": 2}, format="json"
    )
    anonymous.put(f"{base}/email", {"email": "g@example.com"}, format="json")
    anonymous.put(f"{base}/shipping-address", BERLIN, format="json")
    anonymous.put(
        f"{base}/billing-address", {**TOKYO, "same_as_shipping": False}, format="json"
    )
    anonymous.put(
        f"{base}/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )
    cart = anonymous.get(base).json()

    assert added.status_code == 201
    assert cart["billing_address"]["country"] == "JP"
    assert cart["billing_same_as_shipping"] is False
    assert client.get("/api/cart").json()["item_count"] == 2
    order = anonymous.post(f"{base}/complete", {}, format="json")
    assert order.status_code == 201, order.content
    assert order.json()["billing_address"]["city"] == "Chiyoda-ku"


def test_a_tampered_unknown_or_foreign_token_finds_no_cart(shop):
    anonymous = client_for(None)
    customer = UserFactory()
    own = client_for(customer)
    customer_token = own.get("/api/cart").json()["token"]

    unknown = anonymous.get(f"/api/carts/{uuid.uuid4()}")
    malformed = anonymous.get("/api/cart", HTTP_X_CART_TOKEN="not-a-token")
    foreign = anonymous.get(f"/api/carts/{customer_token}")
    no_token = anonymous.get("/api/cart")

    assert unknown.status_code == 404
    assert unknown.json()["code"] == "cart_not_found"
    assert malformed.status_code == 404
    assert foreign.status_code == 404  # a customer's cart needs their login
    assert no_token.status_code == 401
    assert anonymous.get("/api/carts/1234").status_code == 404


def test_an_expired_guest_cart_answers_410_and_the_periodic_task_deletes_it(
    shop, settings
):
    settings.CART_GUEST_TTL_DAYS = 2
    client, token = guest()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        expired = client.get("/api/cart")
        deleted = carts_guest_expired_delete()

    assert expired.status_code == 410
    assert expired.json()["code"] == "cart_expired"
    assert deleted == 1
    assert not CartLine.objects.exists()
    assert client.get("/api/cart").status_code == 404


def test_logging_in_with_the_guest_token_merges_the_cart_limited_by_stock(shop):
    customer = UserFactory()
    mine = client_for(customer)
    mine.post(
        "/api/cart/items", {"product": shop["lamp"].pk, "quantity": 3}, format="json"
    )
    client, token = guest()
    client.post(
        "/api/cart/items", {"product": shop["lamp"].pk, "quantity": 4}, format="json"
    )
    client.post(
        "/api/cart/items", {"product": shop["vase"].pk, "quantity": 1}, format="json"
    )
    client.put("/api/cart/shipping-address", BERLIN, format="json")

    login = client.post(
        "/api/users/login",
        {"email": customer.email, "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert login.status_code == 200, login.content
    cart = mine.get("/api/cart").json()
    # 3 + 4 lamps wanted, 5 in stock.
    assert [(line["item"]["name"], line["quantity"]) for line in cart["lines"]] == [
        ("Lamp", 5),
        ("Vase", 1),
    ]
    assert cart["shipping_address"]["city"] == "Berlin"
    assert not Cart.objects.filter(token=token).exists()


def test_registering_with_the_guest_token_takes_the_cart_along(shop):
    client, token = guest()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")

    response = client.post(
        "/api/users/register",
        {
            "email": "new@example.com",
            "password": "correct horse battery",
            "name": "New Customer",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    cart = Cart.objects.get(customer__email="new@example.com")
    assert list(cart.lines.values_list("product_id", flat=True)) == [shop["vase"].pk]
    assert not Cart.objects.filter(token=token).exists()


def test_a_customer_request_carrying_a_guest_token_merges_it(shop):
    customer = UserFactory()
    client, token = guest()
    client.post(
        "/api/cart/items", {"product": shop["vase"].pk, "quantity": 2}, format="json"
    )
    logged_in = client_for(customer)

    cart = logged_in.get("/api/cart", HTTP_X_CART_TOKEN=token).json()

    assert cart["customer"] == customer.pk
    assert cart["item_count"] == 2
    assert not Cart.objects.filter(token=token).exists()


def test_a_customer_checks_out_with_a_saved_address(shop):
    customer = UserFactory()
    client = client_for(customer)
    saved = client.post("/api/users/addresses", BERLIN, format="json").json()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")
    client.put("/api/cart/shipping-address", {"address_id": saved["id"]}, format="json")
    client.put(
        "/api/cart/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )

    response = client.post("/api/checkout/complete", {}, format="json")

    assert response.status_code == 201, response.content
    order = response.json()
    assert order["customer"] == customer.pk
    assert order["contact_email"] == customer.email
    assert order["shipping_address"]["street_address_1"] == "Unter den Linden 1"
    assert order["total"] == "24.90"
    assert client.get("/api/cart").json()["lines"] == []


def test_shipping_methods_are_offered_by_zone_and_others_are_refused(shop):
    client, _ = guest()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")
    client.put("/api/cart/shipping-address", TOKYO, format="json")

    offered = client.get("/api/cart/shipping-methods").json()
    refused = client.put(
        "/api/cart/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )

    assert [m["name"] for m in offered] == ["Free over 100"]
    assert refused.status_code == 400
    assert "shipping_method" in refused.json()["errors"]


def test_moving_the_address_out_of_the_zone_drops_the_method(shop):
    client, _ = guest()
    checkout_ready(client, shop)

    cart = client.put("/api/cart/shipping-address", TOKYO, format="json").json()

    assert cart["shipping_method"] is None
    assert cart["missing"] == ["shipping_method"]


def test_an_unknown_country_or_a_bad_address_is_refused_with_field_errors(shop):
    client, _ = guest()

    unknown = client.put(
        "/api/cart/shipping-address", {**BERLIN, "country": "XX"}, format="json"
    )
    bad_postcode = client.put(
        "/api/cart/shipping-address", {**BERLIN, "postal_code": "ABC"}, format="json"
    )

    assert unknown.status_code == 400
    assert "country" in unknown.json()["errors"]
    assert bad_postcode.status_code == 400
    assert "postal_code" in bad_postcode.json()["errors"]
    assert Cart.objects.get().shipping_address is None


def test_completing_without_the_steps_names_what_is_missing(shop):
    client, _ = guest()
    client.post("/api/cart/items", {"product": shop["vase"].pk}, format="json")

    response = client.post("/api/checkout/complete", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "shipping_address"}
    client.put("/api/cart/email", {"email": "g@example.com"}, format="json")
    client.put("/api/cart/shipping-address", BERLIN, format="json")
    no_method = client.post("/api/checkout/complete", {}, format="json")
    assert no_method.status_code == 400
    assert "shipping_method" in no_method.json()["errors"]
    assert not Order.objects.exists()


def test_a_price_changed_since_the_cart_was_shown_answers_409_with_the_change(shop):
    client, _ = guest()
    checkout_ready(client, shop)
    product_update(
        product=shop["lamp"], data={"price": Decimal("59.90")}, publish=True, user=None
    )

    refused = client.post("/api/checkout/complete", {}, format="json")

    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "cart_changed"
    assert body["changes"] == [
        {
            "line": CartLine.objects.get(product=shop["lamp"]).pk,
            "kind": "product",
            "item_id": shop["lamp"].pk,
            "name": "Lamp",
            "field": "unit_price",
            "shown": "49.90",
            "now": "59.90",
            "currency": "EUR",
        }
    ]
    assert not Order.objects.exists()
    assert ProductStock.objects.get(product=shop["lamp"]).quantity == 5
    shown = client.get("/api/cart").json()
    assert shown["lines"][0]["price_changed_from"] == "49.90"
    placed = client.post("/api/checkout/complete", {}, format="json")
    assert placed.status_code == 201, placed.content
    assert placed.json()["subtotal"] == "99.90"


def test_items_gone_out_of_stock_answer_409_and_nothing_is_created(shop):
    client, token = guest()
    checkout_ready(client, shop)
    ProductStock.objects.filter(product=shop["vase"]).update(quantity=1)

    refused = client.post("/api/checkout/complete", {}, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_stock"
    assert refused.json()["items"][0]["available"] == 1
    assert not Order.objects.exists()
    assert Cart.objects.get(token=token).lines.count() == 2


def test_a_guest_completion_replays_under_its_idempotency_key(shop):
    client, _ = guest()
    checkout_ready(client, shop)

    first = client.post(
        "/api/checkout/complete", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = client.post(
        "/api/checkout/complete", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Order.objects.count() == 1


def test_prices_without_tax_add_the_tax_to_the_total(shop, settings):
    settings.PRICES_INCLUDE_TAX = False
    client, _ = guest()

    cart = checkout_ready(client, shop)

    # Net 49.90 → tax 9.48; net 40.00 → tax 7.60; shipping 4.90 → tax 0.93.
    assert cart["tax"] == "18.01"
    assert cart["total"] == str(Decimal("89.90") + Decimal("4.90") + Decimal("18.01"))
    order = client.post("/api/checkout/complete", {}, format="json").json()
    assert order["prices_include_tax"] is False
    assert order["total"] == "112.81"


def test_a_guest_uploads_a_photo_with_the_cart_token_and_orders_it(shop):
    photo = customization_make("upload", name="Your photo")
    attach(shop["vase"], photo)
    client, token = guest()
    other, _ = guest()

    upload = client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile("me.png", png_bytes((8, 8)), "image/png")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    upload_id = upload.json()["id"]
    choice = {"customization": photo.pk, "value": upload_id}
    # Another guest's cart cannot use it.
    refused = other.post(
        "/api/cart/items",
        {"product": shop["vase"].pk, "customizations": [choice]},
        format="json",
    )
    added = client.post(
        "/api/cart/items",
        {"product": shop["vase"].pk, "customizations": [choice]},
        format="json",
    )
    client.put("/api/cart/email", {"email": "g@example.com"}, format="json")
    client.put("/api/cart/shipping-address", BERLIN, format="json")
    client.put(
        "/api/cart/shipping-method",
        {"shipping_method": shop["standard"].pk},
        format="json",
    )
    placed = client.post("/api/checkout/complete", {}, format="json")

    assert refused.status_code == 400
    assert added.status_code == 201, added.content
    assert placed.status_code == 201, placed.content
    line = placed.json()["lines"][0]
    assert line["customizations"][0]["upload_id"] == upload_id
    assert CustomerUpload.objects.get(pk=upload_id).used_at is not None
    assert other.get(f"/api/uploads/{upload_id}").status_code == 404


def test_merging_at_login_hands_the_guest_uploads_to_the_customer(shop):
    photo = customization_make("upload", name="Your photo")
    attach(shop["vase"], photo)
    client, token = guest()
    upload_id = client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile("me.png", png_bytes((8, 8)), "image/png")},
        format="multipart",
    ).json()["id"]
    client.post(
        "/api/cart/items",
        {
            "product": shop["vase"].pk,
            "customizations": [{"customization": photo.pk, "value": upload_id}],
        },
        format="json",
    )
    customer = UserFactory()

    client.post(
        "/api/users/login",
        {"email": customer.email, "password": DEFAULT_PASSWORD},
        format="json",
    )

    cart = client_for(customer).get("/api/cart").json()
    assert cart["lines"][0]["problem"] is None
    assert CustomerUpload.objects.get(pk=upload_id).owner_id == customer.pk
