"""The demo data: every seeded order's admin page answers 200 and shows its images."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from commerce.accounts.models import User
from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.models import Order, OrderEvent
from customization.models import Customization

pytestmark = pytest.mark.django_db

ORDERS_URL = "/admin/commerce/order/"
IMAGE_SRC = re.compile(r'<img src="([^"]+)"[^>]*data-choice-image')


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
        "--products",
        "8",
        "--packages",
        "2",
        "--orders",
        "24",
        "--quiet",
        stdout=StringIO(),
    )


def test_every_seeded_order_page_answers_200_as_the_demo_manager(client, seeded):
    # given
    client.force_login(User.objects.get(email="manager@fantasize.local"))
    orders = list(Order.objects.order_by("pk"))
    image_urls = set()

    # when / then
    for order in orders:
        response = client.get(f"{ORDERS_URL}inspect/{order.pk}/")
        assert response.status_code == 200, order.number
        image_urls.update(IMAGE_SRC.findall(response.content.decode()))
    assert client.get(ORDERS_URL).status_code == 200

    # and the image choices' thumbnails load
    assert image_urls
    for url in image_urls:
        assert client.get(url).status_code == 200, url


def test_the_seeded_history_covers_every_status_kind_and_payment(seeded):
    orders = Order.objects.prefetch_related("lines")

    assert 20 <= orders.count() <= 24
    placed = sorted(order.created_at for order in orders)
    assert timezone.now() - placed[0] > timedelta(days=50)  # the last 60 days
    assert timezone.now() - placed[-1] < timedelta(days=2)
    assert {order.status for order in orders} == set(OrderStatus.values)
    assert {
        PaymentStatus.PAID,
        PaymentStatus.UNPAID,
        PaymentStatus.REFUNDED,
    } <= {order.payment_status for order in orders}
    kinds = {
        choice["kind"]
        for order in orders
        for line in order.lines.all()
        for choice in line.customizations
    }
    assert kinds == set(Customization.objects.values_list("kind", flat=True))
    assert len(kinds) == 5
    assert all(
        order.payment_transactions.exists()
        for order in orders.exclude(payment_status=PaymentStatus.UNPAID)
    )


def test_only_rejections_carry_the_demo_reason(seeded):
    # Return steps and completions carry their own notes (tests/commerce/returns).
    after_delivery = [
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.RETURNED,
        OrderStatus.COMPLETED,
    ]
    events = (
        OrderEvent.objects.exclude(note="")
        .exclude(to_status__in=after_delivery)
        .exclude(from_status__in=after_delivery)
    )

    assert events.exists()
    assert {event.to_status for event in events} == {OrderStatus.CANCELLED}
    assert {event.from_status for event in events} == {OrderStatus.UNDER_REVIEW}


def test_seeding_again_adds_no_orders(seeded):
    count = Order.objects.count()

    call_command(
        "seed_catalogue",
        "--products",
        "8",
        "--packages",
        "2",
        "--orders",
        "24",
        "--quiet",
        stdout=StringIO(),
    )

    assert Order.objects.count() == count
