"""The owner's overview (API and dashboard) against a hand-computed shop."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commerce.catalogue.models import Offer
from commerce.enums import ReturnStatus, ReviewStatus
from commerce.returns.models import ReturnRequest
from commerce.reviews.models import Review
from commerce.vouchers.models import Voucher, VoucherUsage
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import shop_history

pytestmark = pytest.mark.django_db

URL = "/api/admin/reports/overview"
MARCH_1_2 = {"date_from": "2026-03-01", "date_to": "2026-03-02", "tz": "UTC"}


@pytest.fixture
def shop():
    """shop_history (see its table) plus offers, vouchers, reviews and returns.

    In 1-2 March (UTC) the orders not cancelled are o1 (alice, unpaid) and o2
    (alice, paid 35.00); o3 (bob) is cancelled. Alice's account was created on
    1 March, bob's on 3 March.
    """
    history = shop_history()
    now = timezone.now()
    running = Offer.objects.create(
        name="Running",
        kind="percentage",
        value=Decimal("10"),
        starts_at=now - timedelta(days=1),
    )
    running.products.add(history["mug"])
    Offer.objects.create(
        name="Ended",
        kind="percentage",
        value=Decimal("10"),
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=2),
    )
    Offer.objects.create(
        name="Future",
        kind="fixed",
        value=Decimal("1"),
        starts_at=now + timedelta(days=2),
    )
    Offer.objects.create(
        name="Stopped", kind="fixed", value=Decimal("1"), starts_at=now, is_active=False
    )
    voucher = Voucher.objects.create(code="SAVE5", kind="fixed", value=Decimal("5"))
    for order in (history["o2"], history["o4"]):  # o4 is outside the range
        VoucherUsage.objects.create(
            voucher=voucher,
            order=order,
            customer=order.customer,
            email=order.contact_email,
        )
    for customer, item, rating, status in [
        (history["alice"], history["mug"], 5, ReviewStatus.PUBLISHED),
        (history["bob"], history["mug"], 4, ReviewStatus.PUBLISHED),
        (history["alice"], history["pen"], 1, ReviewStatus.HIDDEN),
    ]:
        Review.objects.create(
            customer=customer, product=item, rating=rating, status=status
        )
    for order, status in [
        (history["o2"], ReturnStatus.REQUESTED),
        (history["o1"], ReturnStatus.REJECTED),
        (history["o4"], ReturnStatus.APPROVED),  # outside the range
    ]:
        request = ReturnRequest.objects.create(
            order=order, customer=order.customer, reason="Too small", status=status
        )
        ReturnRequest.objects.filter(pk=request.pk).update(created_at=order.created_at)
    return history


EXPECTED = {
    "customers_total": 2,
    "customers_active": 1,  # bob's only order in the range is cancelled
    "customers_new": 1,  # alice
    "products_live": 2,
    "packages_live": 1,
    "offers_active": 1,
    "orders": 2,
    "paid_orders": 1,
    "revenue": "35.00",
    "average_order_value": "35.00",
    "vouchers_used": 1,
    "rating_average": "4.50",  # (5 + 4) / 2; the hidden 1 does not count
    "reviews_published": 2,
    "returns_requested": 2,  # o2's and o1's (rejected), not o4's
    "returns_rate": "50.00",  # o2 of o1, o2; o1's return was rejected
    "currency": "EUR",
}


def test_the_overview_gives_the_owners_figures(shop, manager):
    response = client_for(manager).get(URL, MARCH_1_2)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["revenue_basis"] == "paid"
    assert body["results"] == [EXPECTED]


def test_an_empty_shop_has_zero_figures_and_no_rating(manager):
    body = client_for(manager).get(URL).json()

    [row] = body["results"]
    assert row["orders"] == 0
    assert row["rating_average"] is None
    assert row["returns_rate"] == "0.00"
    assert row["customers_total"] == 0


def test_the_overview_exports_as_csv(shop, manager):
    response = client_for(manager).get(URL, {**MARCH_1_2, "format": "csv"})

    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "customers_active" in text.splitlines()[0]
    assert "50.00" in text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"tz": "Mars/Olympus"}, "tz"),
    ],
)
def test_a_bad_range_is_a_400_on_its_field(manager, params, field):
    response = client_for(manager).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 401), ("customer", 403), ("manager", 200), ("administrator", 200)],
)
def test_only_staff_read_the_overview(request, persona, expected):
    user = request.getfixturevalue(persona) if persona else None

    assert client_for(user).get(URL).status_code == expected


def test_the_dashboard_shows_the_overview(shop, manager):
    client = Client()
    client.force_login(manager)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-shop-overview" in html
    assert 'data-figure="offers_active"' in html
    assert "/ 5" in html  # the average rating of all time is shown
