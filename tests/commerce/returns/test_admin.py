"""Shop → Returns: the list, each return's page and its buttons; the order page lists returns."""

import pytest
import time_machine
from django.contrib.auth.models import Group

from commerce.catalogue.models import ProductStock
from commerce.enums import ReturnStatus
from commerce.orders.models import Order
from commerce.returns.models import ReturnLine, ReturnRequest
from commerce.returns.services import (
    RequestedReturnLine,
    return_approve,
    return_receive,
    return_reject,
    return_request_create,
)
from tests.commerce.factories import OrderFactory, OrderLineFactory, UserFactory
from tests.commerce.returns.conftest import DELIVERED_AT, lines_of

pytestmark = pytest.mark.django_db

WITHIN = DELIVERED_AT.replace(day=3)
RETURNS_URL = "/admin/shop/returns/"


@pytest.fixture
def one_of_each(delivered, customer, manager):
    """A return in every status (three orders' worth; one order per open return)."""
    with time_machine.travel(WITHIN, tick=False):
        apple = lines_of(delivered)["Apple"]
        received = return_request_create(
            order_id=delivered.pk,
            customer=customer,
            reason="Bruised",
            lines=[RequestedReturnLine(apple, 1)],
        )
        return_approve(return_id=received.pk, actor=manager)
        return_receive(return_id=received.pk, actor=manager)
        rejected = return_request_create(
            order_id=delivered.pk, customer=customer, reason="Meh"
        )
        return_reject(return_id=rejected.pk, actor=manager, note="No.")
        approved = return_request_create(
            order_id=delivered.pk, customer=customer, reason="Again"
        )
        return_approve(return_id=approved.pk, actor=manager, note="OK")
    return {"received": received, "rejected": rejected, "approved": approved}


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_every_admin_page_answers_200_for_staff(client, one_of_each, delivered, role):
    client.force_login(UserFactory(role=role))
    other = OrderLineFactory(
        order=OrderFactory(status="return_requested", paid=True), quantity=2
    )
    requested = ReturnRequest.objects.create(
        order=other.order, customer=other.order.customer, reason="Too big"
    )
    ReturnLine.objects.create(return_request=requested, order_line=other, quantity=1)

    pages = [
        RETURNS_URL,
        *(f"{RETURNS_URL}?status={status}" for status in ReturnStatus.values),
        *(f"{RETURNS_URL}{item.pk}/" for item in ReturnRequest.objects.all()),
        f"/admin/commerce/order/inspect/{delivered.pk}/",
    ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    order_page = client.get(f"/admin/commerce/order/inspect/{delivered.pk}/")
    assert b"data-order-returns" in order_page.content
    assert f"Return {one_of_each['received'].pk}".encode() in order_page.content


@pytest.mark.parametrize("role", ["customer", None])
def test_customers_and_visitors_cannot_see_returns(client, one_of_each, role):
    if role:
        client.force_login(UserFactory(role=role))

    response = client.get(f"{RETURNS_URL}{one_of_each['approved'].pk}/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_permission_are_sent_away(client, one_of_each):
    user = UserFactory(role="manager")
    group = Group.objects.get(name="manager")
    group.permissions.remove(
        *group.permissions.filter(codename__endswith="returnrequest")
    )
    client.force_login(user)

    # Wagtail answers a refused admin page with a redirect to the dashboard.
    listing = client.get(RETURNS_URL)
    response = client.post(f"{RETURNS_URL}{one_of_each['approved'].pk}/receive/")

    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert ReturnRequest.objects.get(pk=one_of_each["approved"].pk).status == "approved"


@time_machine.travel(WITHIN, tick=False)
def test_the_buttons_receive_and_refuse_with_a_message(
    client, one_of_each, delivered, catalogue
):
    client.force_login(UserFactory(role="manager"))
    approved = one_of_each["approved"]
    detail = client.get(f"{RETURNS_URL}{approved.pk}/")
    assert b"Goods received: refund and restock" in detail.content
    assert b">Approve</button>" not in detail.content

    refused = client.post(f"{RETURNS_URL}{approved.pk}/approve/", follow=True)
    received = client.post(f"{RETURNS_URL}{approved.pk}/receive/", follow=True)

    assert (
        f"Return {approved.pk} was not changed: Return {approved.pk} is approved".encode()
        in refused.content
    )
    assert (
        f"Return {approved.pk} was received and refunded.".encode() in received.content
    )
    approved.refresh_from_db()
    assert approved.status == "received"
    # 2 apples + the package (7.00) left after the first return of one apple.
    assert str(approved.refund_amount) == "11.00"
    assert Order.objects.get(pk=delivered.pk).status == "returned"
    assert ProductStock.objects.get(pk=catalogue["apple"].pk).quantity == 10


def test_rejecting_without_a_note_is_refused(client, delivered, customer):
    client.force_login(UserFactory(role="manager"))
    with time_machine.travel(WITHIN, tick=False):
        asked = return_request_create(
            order_id=delivered.pk, customer=customer, reason="x"
        )

        response = client.post(
            f"{RETURNS_URL}{asked.pk}/reject/", {"note": ""}, follow=True
        )

    assert b"Tell the customer why." in response.content
    assert ReturnRequest.objects.get(pk=asked.pk).status == "requested"
