"""Deleting users: an account with orders is refused (deactivate it instead)."""

import pytest
from wagtail.models import ModelLogEntry

from commerce.accounts.models import User
from commerce.orders.models import Order
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import at, order_make

pytestmark = pytest.mark.django_db


def test_the_api_refuses_to_delete_a_user_with_orders_with_409(administrator, customer):
    # given
    order_make(customer=customer, created_at=at("2026-03-01T10:00"))

    # when
    response = client_for(administrator).delete(f"/api/users/{customer.pk}")

    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "user_has_orders"
    assert body["status"] == 409
    assert "deactivate" in body["detail"]
    assert User.objects.filter(pk=customer.pk).exists()
    assert Order.objects.filter(customer=customer).count() == 1


def test_the_api_deletes_a_user_without_orders_and_logs_it(administrator, customer):
    response = client_for(administrator).delete(f"/api/users/{customer.pk}")

    assert response.status_code == 204
    assert not User.objects.filter(pk=customer.pk).exists()
    entry = ModelLogEntry.objects.get(action="wagtail.delete")
    assert entry.user == administrator


def test_the_api_never_deletes_the_last_administrator(administrator):
    response = client_for(administrator).delete(f"/api/users/{administrator.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "last_administrator"
    assert User.objects.filter(pk=administrator.pk).exists()


def test_a_manager_cannot_delete_users(manager, customer):
    response = client_for(manager).delete(f"/api/users/{customer.pk}")

    assert response.status_code == 403
    assert User.objects.filter(pk=customer.pk).exists()


def test_the_admin_refuses_to_delete_a_user_with_orders_and_says_why(
    client, administrator, customer
):
    # given
    order_make(customer=customer, created_at=at("2026-03-01T10:00"))
    client.force_login(administrator)

    # when
    response = client.post(f"/admin/shop/users/delete/{customer.pk}/", follow=True)

    # then
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/admin/shop/users/edit/{customer.pk}/"
    page = response.content.decode()
    assert "This user has orders" in page
    assert "deactivate the account instead" in page
    assert User.objects.filter(pk=customer.pk).exists()


def test_the_admin_deletes_a_user_without_orders(client, administrator):
    # given
    other = UserFactory(email="gone@example.com")
    client.force_login(administrator)

    # when
    response = client.post(f"/admin/shop/users/delete/{other.pk}/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/admin/shop/users/"
    assert not User.objects.filter(pk=other.pk).exists()


def test_wagtails_bulk_delete_keeps_users_with_orders_and_says_why(
    client, administrator, customer
):
    # given one customer with an order and one without
    order_make(customer=customer, created_at=at("2026-03-01T10:00"))
    other = UserFactory(email="gone@example.com")
    client.force_login(administrator)
    url = f"/admin/bulk/commerce/user/delete/?id={customer.pk}&id={other.pk}"
    assert client.get(url).status_code == 200

    # when
    response = client.post(url, follow=True)

    # then
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/shop/users/"
    page = response.content.decode()
    assert f"{customer.email}: This user has orders" in page
    assert User.objects.filter(pk=customer.pk).exists()
    assert not User.objects.filter(pk=other.pk).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete").count() == 1
