"""The Shop admin: who sees what, orders list/inspect/transitions/exports, reports."""

import re
from io import BytesIO

import openpyxl
import pytest
from wagtail.models import ModelLogEntry

from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.models import Order
from tests.commerce.report_fixtures import shop_history

pytestmark = pytest.mark.django_db

ORDERS_URL = "/admin/commerce/order/"

# Administrator-only admin pages. Webhooks and plugins (issue 7) add their index here.
ADMINISTRATOR_ONLY_URLS = [
    "/admin/shop/users/",
    "/admin/shop/users/new/",
    "/admin/groups/",
]
# Administrator-only API endpoints; same rule.
ADMINISTRATOR_ONLY_API = ["/api/users"]
STAFF_URLS = [
    ORDERS_URL,
    "/admin/shop/reports/",
    "/admin/shop/exports/",
    "/admin/snippets/customization/customization/",
]


@pytest.fixture
def history():
    return shop_history()


def _logged_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ADMINISTRATOR_ONLY_URLS)
def test_a_manager_cannot_open_users_or_roles(client, manager, administrator, url):
    assert _logged_in(client, manager).get(url).status_code in (302, 403)
    assert _logged_in(client, administrator).get(url).status_code == 200


@pytest.mark.parametrize("url", ADMINISTRATOR_ONLY_API)
def test_a_manager_cannot_use_the_administrator_api(manager, administrator, url):
    from tests.commerce.fixtures import client_for

    assert client_for(manager).get(url).status_code == 403
    assert client_for(administrator).get(url).status_code == 200


def test_managers_hold_no_permission_on_users_roles_or_oauth_applications(manager):
    for permission in (
        "commerce.view_user",
        "commerce.change_user",
        "auth.change_group",
        "oauth2_provider.view_application",
        "oauth2_provider.change_application",
    ):
        assert not manager.has_perm(permission), permission


@pytest.mark.parametrize("url", ["/admin/", *STAFF_URLS, *ADMINISTRATOR_ONLY_URLS])
def test_a_customer_cannot_open_the_admin_at_all(client, customer, url):
    response = _logged_in(client, customer).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", STAFF_URLS)
def test_managers_open_the_shop_pages(client, manager, url):
    assert _logged_in(client, manager).get(url).status_code == 200


def test_the_shop_menu_lists_what_the_role_allows(client, manager, administrator):
    manager_page = _logged_in(client, manager).get("/admin/").content.decode()
    admin_page = _logged_in(client, administrator).get("/admin/").content.decode()

    for label in ("Shop", "Orders", "Customizations", "Reports", "Exports"):
        assert f'"label": "{label}"' in manager_page or label in manager_page
    assert "shop-users" not in manager_page
    assert "shop-roles" not in manager_page
    assert "shop-users" in admin_page
    assert "shop-roles" in admin_page


def test_order_list_filters_and_search(client, manager, history):
    client = _logged_in(client, manager)

    by_status = client.get(ORDERS_URL, {"status": "delivered"}).content.decode()
    by_customer = client.get(
        ORDERS_URL, {"customer": history["bob"].pk}
    ).content.decode()
    by_search = client.get(ORDERS_URL, {"q": "bob@example"}).content.decode()

    assert history["o2"].number in by_status
    assert history["o1"].number not in by_status
    for page in (by_customer, by_search):
        assert history["o3"].number in page
        assert history["o4"].number in page
        assert history["o1"].number not in page


def test_order_inspect_shows_lines_events_and_payment(client, manager, history):
    response = _logged_in(client, manager).get(
        f"{ORDERS_URL}inspect/{history['o1'].pk}/"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mug" in page
    assert "No payment yet." in page
    # Unpaid: processing is not offered, and the page says why.
    assert 'data-transition="processing"' not in page
    assert "data-payment-wait" in page
    assert 'data-transition="cancelled"' in page
    assert 'data-transition="delivered"' not in page


def test_a_transition_from_the_admin_changes_the_status_and_is_logged(
    client, manager, history
):
    order = history["o1"]
    Order.objects.filter(pk=order.pk).update(
        payment_status=PaymentStatus.AUTHORIZED, payment_gateway="cash_on_delivery"
    )

    response = _logged_in(client, manager).post(
        f"{ORDERS_URL}transition/{order.pk}/",
        {"status": "processing", "note": "packed"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING
    entry = ModelLogEntry.objects.get(action="commerce.order.transition")
    assert (entry.object_id, entry.user, entry.data) == (
        str(order.pk),
        manager,
        {"from_status": "pending", "to_status": "processing", "note": "packed"},
    )


def test_an_illegal_transition_from_the_admin_changes_nothing(client, manager, history):
    order = history["o2"]  # delivered

    _logged_in(client, manager).post(
        f"{ORDERS_URL}transition/{order.pk}/", {"status": "pending"}
    )

    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    assert not ModelLogEntry.objects.filter(action="commerce.order.transition").exists()


def test_orders_export_from_the_list_respects_its_filters(client, manager, history):
    response = _logged_in(client, manager).get(
        ORDERS_URL, {"status": "processing", "export": "xlsx"}
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [(r[0], r[10]) for r in rows[1:]] == [(history["o4"].number, "Pen")]


def test_reports_page_draws_its_chart_without_external_assets(client, manager, history):
    response = _logged_in(client, manager).get(
        "/admin/shop/reports/",
        {"date_from": "2026-03-01", "date_to": "2026-03-02", "tz": "UTC"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    # Revenue from paid orders: o2 only (o1 is unpaid).
    assert 'data-label="2026-03-01" data-value="35.00"' in page
    assert "Revenue from paid orders per day" in page
    assert 'data-revenue-basis="paid"' in page
    # Every script and stylesheet comes from the admin's own static files.
    external = re.findall(
        r'<(?:script|img)[^>]*\ssrc="(?:https?:)?//[^"]*"'
        r'|<link[^>]*\shref="(?:https?:)?//[^"]*"',
        page,
    )
    assert external == []


def test_report_table_export_from_the_admin(client, manager, history):
    response = _logged_in(client, manager).get(
        "/admin/shop/reports/",
        {
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
            "tz": "UTC",
            "report": "order-value",
            "export": "csv",
        },
    )

    assert response.content.decode().splitlines() == [
        "orders,paid_orders,revenue,average_order_value,currency",
        "3,1,35.00,35.00,EUR",
    ]


def test_an_administrator_changes_a_role_in_the_admin_and_it_is_logged(
    client, administrator, customer
):
    response = _logged_in(client, administrator).post(
        f"/admin/shop/users/edit/{customer.pk}/",
        {"name": "Alice", "phone": "", "is_active": "on", "role": "manager"},
    )

    assert response.status_code == 302, response.content
    assert list(customer.groups.values_list("name", flat=True)) == ["manager"]
    entry = ModelLogEntry.objects.get(action="commerce.user.role_change")
    assert (entry.user, entry.data) == (
        administrator,
        {"from_role": "customer", "to_role": "manager"},
    )
