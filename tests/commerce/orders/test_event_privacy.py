"""Order events: customers see who acted only as a role; staff see the full actor."""

import pytest

from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.fixtures import ADDRESS, client_for, order_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed_order(customer, manager):
    product = product_make(category_make(), stock=5)
    owner = client_for(customer)
    placed = owner.post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )
    assert placed.status_code == 201, placed.content
    order_id = placed.json()["id"]
    order_pay(owner, order_id)
    moved = client_for(manager).patch(
        f"/api/orders/{order_id}", {"status": "processing"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    return order_id


def test_a_customer_sees_the_shop_and_themselves_never_a_staff_member(
    processed_order, customer, manager
):
    # when
    detail = client_for(customer).get(f"/api/orders/{processed_order}")
    listed = client_for(customer).get("/api/orders")

    # then
    for body in (detail.json(), listed.json()["results"][0]):
        assert [event["actor"] for event in body["events"]] == [
            {"role": "you"},
            {"role": "shop"},
        ]
    assert manager.email not in detail.content.decode()
    assert manager.email not in listed.content.decode()


def test_a_customer_cancelling_sees_their_own_role(processed_order, customer):
    # given: a fresh pending order, cancelled by its customer
    product = product_make(category_make(), stock=1)
    owner = client_for(customer)
    order_id = owner.post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    ).json()["id"]

    # when
    body = owner.patch(
        f"/api/orders/{order_id}", {"status": "cancelled"}, format="json"
    ).json()

    # then
    assert [event["actor"] for event in body["events"]] == [
        {"role": "you"},
        {"role": "you"},
    ]


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_staff_see_the_full_actor(
    processed_order, customer, manager, role, persona_client
):
    # given
    client, _ = persona_client(role)

    # when
    body = client.get(f"/api/orders/{processed_order}").json()

    # then
    assert [event["actor"] for event in body["events"]] == [
        {"role": "customer", "id": customer.pk, "email": customer.email},
        {"role": "shop", "id": manager.pk, "email": manager.email},
    ]
