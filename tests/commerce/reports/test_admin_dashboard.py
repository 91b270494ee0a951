"""The shop dashboard on the admin home: figures, low stock, latest orders, who sees it."""

import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from commerce.catalogue.models import ProductStock
from commerce.enums import OrderStatus, PaymentStatus, UserRole
from commerce.orders.models import Order
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.report_fixtures import at, order_make

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 15:00 UTC; the week began on Monday 9 March.
NOW = "2026-03-11T15:00:00"


def _paid(order: Order) -> Order:
    Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)
    return order


@pytest.fixture
def shop(customer):
    """| order | placed            | status       | payment | total |
    | a     | Wed 11 Mar 09:00  | pending      | paid    | 10.00 |
    | b     | Wed 11 Mar 10:00  | under review | unpaid  | 20.00 |
    | c     | Wed 11 Mar 11:00  | cancelled    | paid    | 40.00 (not counted)
    | d     | Mon  9 Mar 08:00  | delivered    | paid    |  5.00 |
    | e     | Sun  8 Mar 23:00  | delivered    | paid    | 100.00 (last week)
    """
    category = category_make()
    mug = product_make(category, title="Scarce mug", stock=2)
    product_make(category, title="Plenty pen", stock=50)
    orders = {
        "a": _paid(
            order_make(
                customer=customer,
                created_at=at("2026-03-11T09:00:00"),
                lines=[(mug, 1, "10.00")],
            )
        ),
        "b": order_make(
            customer=customer,
            created_at=at("2026-03-11T10:00:00"),
            status=OrderStatus.UNDER_REVIEW,
            lines=[(mug, 2, "10.00")],
        ),
        "c": _paid(
            order_make(
                customer=customer,
                created_at=at("2026-03-11T11:00:00"),
                status=OrderStatus.CANCELLED,
                lines=[(mug, 4, "10.00")],
            )
        ),
        "d": _paid(
            order_make(
                customer=customer,
                created_at=at("2026-03-09T08:00:00"),
                status=OrderStatus.DELIVERED,
                lines=[(mug, 1, "5.00")],
            )
        ),
        "e": _paid(
            order_make(
                customer=customer,
                created_at=at("2026-03-08T23:00:00"),
                status=OrderStatus.DELIVERED,
                lines=[(mug, 10, "10.00")],
            )
        ),
    }
    return {"mug": mug, **orders}


def _home(client, user) -> str:
    client.force_login(user)
    with time_machine.travel(at(NOW), tick=False):
        response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _figure(page: str, period: int, name: str) -> str:
    block = page.split(f'data-period="{period}"')[1]
    return re.search(rf"data-{name}>([^<]+)<", block).group(1)


def test_managers_see_todays_and_this_weeks_orders_and_paid_revenue(
    client, manager, shop
):
    page = _home(client, manager)

    assert _figure(page, 0, "orders") == "2 orders"  # a, b (c is cancelled)
    assert _figure(page, 0, "revenue") == "10.00 EUR"  # a only: b is unpaid
    assert _figure(page, 1, "orders") == "3 orders"  # a, b, d
    assert _figure(page, 1, "revenue") == "15.00 EUR"
    assert "revenue from paid orders" in page.split('data-period="0"')[1]
    assert (
        'href="/admin/commerce/order/?created=today&amp;status=not_cancelled"' in page
    )
    assert (
        'href="/admin/commerce/order/?created=week&amp;status=not_cancelled'
        '&amp;payment_status=paid"' in page
    )


def test_the_dashboard_links_orders_awaiting_review(client, manager, shop):
    page = _home(client, manager)

    assert re.search(
        r'href="/admin/commerce/order/\?status=under_review"[^>]*data-awaiting-review>'
        r"1 order<",
        page,
    )


def test_low_stock_products_link_to_their_editor(client, administrator, shop):
    ProductStock.objects.filter(product=shop["mug"]).update(quantity=2)

    page = _home(client, administrator)

    table = page.split("data-low-stock-table")[1].split("</table>")[0]
    assert f'href="/admin/pages/{shop["mug"].pk}/edit/">Scarce mug<' in table
    assert "Plenty pen" not in table


def test_a_products_own_threshold_counts_on_the_dashboard(client, manager, shop):
    pen = ProductStock.objects.get(product__title="Plenty pen")
    pen.low_stock_threshold = 60
    pen.save()

    page = _home(client, manager)

    assert "Plenty pen" in page.split("data-low-stock-table")[1].split("</table>")[0]


def test_the_latest_orders_link_to_their_pages(client, manager, shop):
    page = _home(client, manager)

    table = page.split("data-latest-orders")[1].split("</table>")[0]
    for order in shop.values():
        if isinstance(order, Order):
            assert f'href="/admin/commerce/order/inspect/{order.pk}/"' in table
    # newest first
    assert table.index(shop["c"].number) < table.index(shop["a"].number)


@pytest.mark.parametrize(
    ("link", "listed"),
    [("orders", ["a", "b"]), ("revenue", ["a"])],
)
def test_a_figure_links_to_the_orders_it_counts(client, manager, shop, link, listed):
    # given the dashboard's "Today" figure and its link
    home = _home(client, manager)
    url = re.search(
        rf'data-period="0".*?<a href="([^"]+)"[^>]*data-{link}>', home, re.S
    ).group(1)

    # when
    with time_machine.travel(at(NOW), tick=False):
        page = client.get(url.replace("&amp;", "&")).content.decode()

    # then the list holds exactly those orders (a cancelled one is not counted)
    found = [key for key in "abcde" if shop[key].number in page]
    assert found == listed
    if link == "orders":
        assert _figure(home, 0, "orders") == f"{len(listed)} orders"


def test_an_editor_without_a_shop_role_sees_no_shop_panels(client):
    editor = UserFactory(role=UserRole.CUSTOMER)
    group = Group.objects.create(name="Editors only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)

    page = _home(client, editor)

    assert "shop-summary" not in page
    assert "shop-low-stock" not in page
    assert "shop-latest-orders" not in page


def test_customers_never_reach_the_dashboard(client, customer, shop):
    client.force_login(customer)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_empty_shop_shows_an_empty_dashboard(client, manager):
    page = _home(client, manager)

    assert _figure(page, 0, "orders") == "0 orders"
    assert "No orders yet." in page
    assert "No product is at or below its low-stock threshold" in page
