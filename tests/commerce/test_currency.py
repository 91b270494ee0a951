"""Money with currency: every price in every payload names the shop's currency.

``SHOP_CURRENCY`` (ISO 4217) is what each payload's ``currency`` field says, beside
the amounts, in the catalogue (DRF and Wagtail API v2), customization options, reports
and exports; the storefront formats prices in it; a code the shop cannot price in is
refused by a system check.
"""

import json
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from rest_framework.test import APIClient

from commerce.catalogue.services.preview import preview_token_create
from commerce.catalogue.services.sellables import product_update
from commerce.checks import shop_currency_check
from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.models import Order
from notify.models import OutboxMessage
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.currency_payloads import (
    assert_currency_beside_amounts,
    csv_records,
    xlsx_records,
)
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import at, order_make
from tests.customization.builders import attach, customization_make

pytestmark = pytest.mark.django_db

CURRENCIES = ["EUR", "GBP", "JPY"]


@pytest.fixture(params=CURRENCIES)
def currency(request: Any, settings: Any) -> str:
    settings.SHOP_CURRENCY = request.param
    return str(request.param)


@pytest.fixture
def shop() -> dict[str, Any]:
    """A product and a package with a sale price and priced customization options."""
    category = category_make("Gifts")
    mug = product_make(
        category, title="Mug", price="12.50", compare_at_price=Decimal("15.00")
    )
    pen = product_make(category, title="Pen", price="4.00", stock=40)
    box = package_make(category, [(mug, 1), (pen, 2)], title="Box", price="25.00")
    size = customization_make("button", name="Size")
    colour = customization_make("color", name="Colour")
    attach(mug, size)
    attach(mug, colour)
    attach(box, size)
    return {"mug": mug, "pen": pen, "box": box, "size": size}


def _json(client: APIClient, path: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


# CATALOGUE


def test_catalogue_reads_carry_the_currency_beside_every_price(shop, currency, manager):
    # given
    anonymous, staff = APIClient(), client_for(manager)
    mug, box = shop["mug"], shop["box"]
    token = preview_token_create(kind="package", page_id=box.pk)

    # when
    payloads = {
        "products": _json(anonymous, "/api/products"),
        "products by cursor": _json(
            anonymous, "/api/products", {"pagination": "cursor"}
        ),
        "product": _json(anonymous, f"/api/products/{mug.pk}"),
        "product by slug": _json(anonymous, f"/api/products/{mug.slug}"),
        "product draft": _json(staff, f"/api/products/{mug.pk}", {"version": "draft"}),
        "packages": _json(anonymous, "/api/packages"),
        "package": _json(anonymous, f"/api/packages/{box.pk}"),
        "package preview": _json(anonymous, f"/api/preview/{token}"),
        "product options": _json(anonymous, f"/api/products/{mug.pk}/customizations"),
        "package options": _json(anonymous, f"/api/packages/{box.pk}/customizations"),
        "customizations": _json(anonymous, "/api/customizations"),
        "customization": _json(anonymous, f"/api/customizations/{shop['size'].pk}"),
    }

    # then
    for name, payload in payloads.items():
        assert assert_currency_beside_amounts(payload, currency=currency), name
    package = payloads["package"]
    assert package["components"][0]["product"]["currency"] == currency
    assert [
        option["currency"] for option in package["customizations"][0]["options"]
    ] == [
        currency,
        currency,
    ]


def test_catalogue_amounts_checked_number_every_price_and_option(shop, currency):
    # when
    product = _json(APIClient(), f"/api/products/{shop['mug'].pk}")
    package = _json(APIClient(), f"/api/packages/{shop['box'].pk}")

    # then: the product itself and its 2 + 2 options
    assert assert_currency_beside_amounts(product, currency=currency) == 5
    # the package, its 2 components' products and its 2 options
    assert assert_currency_beside_amounts(package, currency=currency) == 5


def test_wagtail_v2_pages_carry_the_currency_beside_every_price(shop, currency):
    # when
    products = _json(
        APIClient(), "/api/v2/pages/", {"type": "commerce.ProductPage", "fields": "*"}
    )
    packages = _json(
        APIClient(), "/api/v2/pages/", {"type": "commerce.PackagePage", "fields": "*"}
    )
    product = _json(APIClient(), f"/api/v2/pages/{shop['mug'].pk}/")
    package = _json(APIClient(), f"/api/v2/pages/{shop['box'].pk}/")

    # then
    for payload in (products, packages, product, package):
        assert_currency_beside_amounts(payload, currency=currency)
    assert (product["price"], product["currency"]) == ("12.50", currency)


def test_a_cached_catalogue_body_is_not_served_in_another_currency(shop, settings):
    # given: the EUR body is in the shared cache
    settings.SHOP_CURRENCY = "EUR"
    assert _json(APIClient(), "/api/products")["results"][0]["currency"] == "EUR"

    # when
    settings.SHOP_CURRENCY = "GBP"
    body = _json(APIClient(), "/api/products")

    # then
    assert_currency_beside_amounts(body, currency="GBP")


def test_product_events_carry_the_currency_beside_the_price(currency, shop):
    # given: the shop (made after the currency was set) was published
    product_update(product=shop["pen"], data={"title": "Pen"}, publish=False, user=None)

    # when
    payloads = {
        message.topic: message.payload
        for message in OutboxMessage.objects.filter(topic__startswith="product.")
    }

    # then
    assert set(payloads) == {"product.published", "product.updated"}
    for payload in payloads.values():
        assert assert_currency_beside_amounts(payload, currency=currency) == 1


# STOREFRONT


@pytest.mark.parametrize(
    ("currency", "price", "was", "delta", "_case"),
    [
        ("EUR", "€12.50", "€15.00", "+€1.25", "euro"),
        ("GBP", "£12.50", "£15.00", "+£1.25", "pound"),
        ("JPY", "¥13", "¥15", "+¥1", "yen_has_no_minor_unit"),
    ],
)
def test_the_product_page_formats_prices_in_the_shop_currency(
    client, shop, settings, currency, price, was, delta, _case
):
    # given
    settings.SHOP_CURRENCY = currency

    # when
    response = client.get(shop["mug"].url)

    # then
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.select_one(".price").get_text(strip=True) == price
    assert page.select_one("s.was").get_text(strip=True) == was
    assert page.select_one("meta[itemprop=priceCurrency]")["content"] == currency
    assert delta in page.get_text()


# REPORTS AND EXPORTS


@pytest.fixture
def sales(shop, currency, customer) -> dict[str, Any]:
    """Two orders in the shop's currency and one placed in CHF before it changed."""
    paid = order_make(
        customer=customer,
        created_at=at("2026-03-01T10:00:00"),
        status=OrderStatus.DELIVERED,
        lines=[(shop["mug"], 2, "12.50"), (shop["box"], 1, "25.00")],
    )
    pending = order_make(
        customer=customer,
        created_at=at("2026-03-02T10:00:00"),
        lines=[(shop["pen"], 3, "4.00")],
    )
    older = order_make(
        customer=customer,
        created_at=at("2026-03-02T11:00:00"),
        lines=[(shop["pen"], 100, "4.00")],
    )
    Order.objects.filter(pk__in=[paid.pk, pending.pk]).update(currency=currency)
    Order.objects.filter(pk=older.pk).update(currency="CHF")
    # Revenue counts paid orders only: all three are paid, so only the currency
    # leaves one out.
    Order.objects.filter(pk__in=[paid.pk, pending.pk, older.pk]).update(
        payment_status=PaymentStatus.PAID
    )
    return {"paid": paid, "pending": pending, "older": older}


REPORTS = [
    ("sales", {}),
    ("sales", {"period": "month"}),
    ("top-items", {"kind": "product"}),
    ("top-items", {"kind": "package"}),
    ("orders-by-status", {}),
    ("order-value", {}),
]
RANGE = {"date_from": "2026-03-01", "date_to": "2026-03-02", "tz": "UTC"}


def test_reports_carry_the_currency_beside_every_amount(sales, currency, manager):
    # given
    staff = client_for(manager)

    for name, params in REPORTS:
        # when
        body = _json(staff, f"/api/admin/reports/{name}", {**RANGE, **params})
        csv_file = staff.get(
            f"/api/admin/reports/{name}", {**RANGE, **params, "format": "csv"}
        )

        # then
        assert_currency_beside_amounts(body, currency=currency)
        assert_currency_beside_amounts(csv_records(csv_file.content), currency=currency)


def test_reports_add_up_only_the_orders_in_the_shop_currency(sales, currency, manager):
    # when
    body = _json(client_for(manager), "/api/admin/reports/order-value", RANGE)

    # then: 2 × 12.50 + 25.00 and 3 × 4.00; the order in another currency is left out
    assert body["results"] == [
        {
            "orders": 2,
            "paid_orders": 2,
            "revenue": "62.00",
            "average_order_value": "31.00",
            "currency": currency,
        }
    ]


@pytest.mark.parametrize("kind", ["orders", "products", "packages", "customers"])
@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_exports_have_a_currency_column_beside_the_amounts(
    sales, currency, manager, kind, export_format
):
    # when
    response = client_for(manager).get(
        f"/api/admin/exports/{kind}", {"format": export_format}
    )

    # then
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    records = {
        "csv": csv_records,
        "json": json.loads,
        "xlsx": xlsx_records,
    }[export_format](content)
    if kind == "orders":
        # Orders keep the currency they were placed in.
        records = [
            row for row in records if row["order_number"] != sales["older"].number
        ]
    assert_currency_beside_amounts(records, currency=currency)


def test_the_admin_reports_and_dashboard_name_the_currency(
    client, sales, currency, manager
):
    # given
    client.force_login(manager)

    # when
    reports = client.get("/admin/shop/reports/", RANGE)
    dashboard = client.get("/admin/")

    # then
    page = BeautifulSoup(reports.content.decode(), "html.parser")
    sales_table = page.select_one("#report-sales table")
    headers = [th.get_text(strip=True) for th in sales_table.select("thead th")]
    assert headers == ["period_start", "orders", "paid_orders", "revenue", "currency"]
    assert {
        row.select("td")[4].get_text() for row in sales_table.select("tbody tr")
    } == {currency}
    assert f"({currency})" in page.select_one("h2").get_text()
    revenue = BeautifulSoup(dashboard.content.decode(), "html.parser").select_one(
        "[data-revenue]"
    )
    assert revenue.get_text(strip=True).endswith(f" {currency}")


# SYSTEM CHECK


@pytest.mark.parametrize("code", ["EUR", "USD", "GBP", "JPY", "CHF"])
def test_the_system_check_accepts_a_currency_with_at_most_two_minor_digits(
    settings, code
):
    settings.SHOP_CURRENCY = code

    assert shop_currency_check() == []


@pytest.mark.parametrize(
    ("code", "reason", "_case"),
    [
        ("XYZ", "'XYZ' is not an ISO 4217 currency code.", "unknown_code"),
        ("KWD", "KWD has 3 minor digits; at most 2 are kept.", "three_minor_digits"),
        ("", "SHOP_CURRENCY is not set.", "empty"),
    ],
)
def test_the_system_check_refuses_a_currency_the_shop_cannot_price_in(
    settings, code, reason, _case
):
    # given
    settings.SHOP_CURRENCY = code

    # when
    [error] = shop_currency_check()

    # then
    assert (error.id, error.msg, error.obj) == (
        "commerce.E001",
        reason,
        "settings.SHOP_CURRENCY",
    )
    assert "ISO 4217" in error.hint


def test_manage_py_check_fails_on_a_bad_shop_currency(settings):
    # given
    settings.SHOP_CURRENCY = "KWD"

    # when / then
    with pytest.raises(SystemCheckError, match=r"commerce\.E001"):
        call_command("check")


# CART AND ORDERS


def test_the_cart_checkout_and_orders_carry_the_currency_beside_every_amount(
    shop, currency
):
    # given: a guest cart with a customized item, an address and a shipping method
    from commerce.shipping.models import ShippingMethod
    from commerce.taxes.models import TaxRate

    method = ShippingMethod.objects.create(name="Standard", price=Decimal("5.00"))
    TaxRate.objects.create(country="DE", rate=Decimal("19"))
    guest = APIClient()
    token = guest.post("/api/cart").json()["token"]
    guest.credentials(HTTP_X_CART_TOKEN=token)
    option = shop["size"].options[0].id
    guest.post(
        "/api/cart/items",
        {
            "product": shop["mug"].pk,
            "customizations": [{"customization": shop["size"].pk, "value": option}],
        },
        format="json",
    )
    guest.post("/api/cart/items", {"package": shop["box"].pk}, format="json")
    guest.put("/api/cart/email", {"email": "g@example.com"}, format="json")
    guest.put(
        "/api/cart/shipping-address",
        {
            "name": "Ada",
            "street_address_1": "1 Road",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        format="json",
    )
    guest.put("/api/cart/shipping-method", {"shipping_method": method.pk})

    # when
    cart = _json(guest, "/api/cart")
    methods = _json(guest, "/api/cart/shipping-methods")
    placed = guest.post("/api/checkout/complete", {}, format="json")
    order = _json(APIClient(), f"/api/orders/{placed.json()['token']}")
    paid = guest.post(
        f"/api/orders/{order['token']}/pay",
        {"gateway": "cash_on_delivery"},
        format="json",
    ).json()

    # then: the cart, its 2 lines and their items, the chosen option, the method
    assert assert_currency_beside_amounts(cart, currency=currency) == 7
    assert assert_currency_beside_amounts(methods, currency=currency) == 1
    # the order, its shipping method, 2 lines and the chosen option
    assert assert_currency_beside_amounts(order, currency=currency) == 5
    # … and the payment transaction
    assert assert_currency_beside_amounts(paid, currency=currency) == 6
    assert order["currency"] == currency
