"""The demo shop shows returns in every status, and their admin pages answer 200."""

from io import StringIO

import pytest
from django.core.management import call_command

from commerce.accounts.models import User
from commerce.enums import OrderStatus, PaymentStatus, ReturnStatus
from commerce.orders.models import Order
from commerce.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("demo_setup", verbosity=0, stdout=StringIO())
    call_command(
        "seed_catalogue",
        *("--products", "8", "--packages", "2", "--orders", "24", "--quiet"),
        stdout=StringIO(),
    )


def test_the_demo_has_a_return_of_every_status_and_every_order_status(client, seeded):
    # then: one return per step, and orders in each return-related status
    assert sorted(ReturnRequest.objects.values_list("status", flat=True)) == sorted(
        ReturnStatus.values
    )
    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses == set(OrderStatus.values)
    received = ReturnRequest.objects.get(status=ReturnStatus.RECEIVED)
    assert received.refund_amount > 0
    assert received.order.status == OrderStatus.RETURNED
    assert received.order.payment_status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)

    # and every returns admin page answers 200 for the demo manager
    client.force_login(User.objects.get(email="manager@fantasize.local"))
    assert client.get("/admin/shop/returns/").status_code == 200
    for item in ReturnRequest.objects.all():
        assert client.get(f"/admin/shop/returns/{item.pk}/").status_code == 200
        order_page = client.get(f"/admin/commerce/order/inspect/{item.order_id}/")
        assert order_page.status_code == 200
