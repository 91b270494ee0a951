"""A demo order history for ``seed_catalogue``: orders of the last 60 days in every status.

Orders go through the real services (placement with choices and stock, payments
through the gateways, status transitions by the demo manager), then their dates are
moved into the past. The events they raise are demo history, not news: their outbox
rows are dropped, so no one is emailed about them.
"""

import random
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from commerce.accounts.models import User
from commerce.accounts.services.users import user_create
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.enums import OrderStatus, UserRole
from commerce.exceptions import InsufficientStockError
from commerce.management.demo_returns import demo_returns_seed
from commerce.orders.models import Order, OrderEvent, PaymentTransaction
from commerce.orders.placement import RequestedLine, order_place
from commerce.orders.services import order_transition
from commerce.payments.services import order_pay, order_refund
from commerce.shipping.selectors import shipping_methods_available
from customization.enums import CustomizationKind
from customization.selectors import item_customizations
from customization.services import upload_create
from notify.models import OutboxMessage

DEMO_CUSTOMER_DOMAIN = "customers.fantasize.local"
DEMO_CUSTOMERS = [
    ("Ada Byron", "ada"),
    ("Grace Hopper", "grace"),
    ("Alan Turing", "alan"),
    ("Katherine Johnson", "katherine"),
    ("Linus Pauling", "linus"),
]
# The status each order ends in, in turn: every status comes up within any 12 orders.
TARGETS = [
    OrderStatus.DELIVERED,
    OrderStatus.PENDING,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.UNDER_REVIEW,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
    OrderStatus.PENDING,
    OrderStatus.DELIVERED,
    OrderStatus.SHIPPED,
    OrderStatus.PROCESSING,
    OrderStatus.CANCELLED,
]
PATHS = {
    OrderStatus.PENDING: [],
    OrderStatus.UNDER_REVIEW: [],
    OrderStatus.PROCESSING: [OrderStatus.PROCESSING],
    OrderStatus.SHIPPED: [OrderStatus.PROCESSING, OrderStatus.SHIPPED],
    OrderStatus.DELIVERED: [
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ],
    OrderStatus.CANCELLED: [OrderStatus.CANCELLED],
}
TEST_CARD = {"card_number": "4242 4242 4242 4242"}
ADDRESS = {
    "name": "Demo Customer",
    "street_address_1": "1 Flower Street",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
TEXTS = ["Happy birthday!", "For you, with love", "Congratulations", "Thank you"]


def demo_orders_exist() -> bool:
    return Order.objects.filter(
        customer__email__endswith=f"@{DEMO_CUSTOMER_DOMAIN}"
    ).exists()


def _customers() -> list[User]:
    customers = []
    for name, handle in DEMO_CUSTOMERS:
        email = f"{handle}@{DEMO_CUSTOMER_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email, password=None, name=name, role=UserRole.CUSTOMER
            )
        customers.append(user)
    return customers


def _photo(owner: User, rng: random.Random) -> str:
    image = Image.new("RGB", (320, 240), (rng.randrange(256), 120, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse([100, 60, 220, 180], fill=(250, 220, 180))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    upload = upload_create(
        owner_id=owner.pk,
        file=SimpleUploadedFile("photo.jpg", buffer.getvalue()),
        original_name="photo.jpg",
    )
    return str(upload.pk)


def _choices(
    product: ProductPage, owner: User | None, rng: random.Random
) -> list[dict[str, Any]]:
    choices = []
    for attached in item_customizations(raw_stream=product.customizations.raw_data):
        customization = attached.customization
        kind = customization.kind
        if kind in (
            CustomizationKind.BUTTON,
            CustomizationKind.COLOR,
            CustomizationKind.IMAGE,
        ):
            value: Any = str(rng.choice(list(customization.options)).id)
        elif kind == CustomizationKind.TEXT:
            value = rng.choice(TEXTS)
        elif owner is not None:
            value = _photo(owner, rng)
        else:  # a guest's order holds no item that takes a photo
            continue
        choices.append({"customization": customization.pk, "value": value})
    return choices


def _takes_photo(product: ProductPage) -> bool:
    return any(
        attached.customization.kind == CustomizationKind.UPLOAD
        for attached in item_customizations(raw_stream=product.customizations.raw_data)
    )


def _pay(order: Order, customer: User | None, target: str, number: int) -> None:
    """Most orders are paid by card, some on delivery; every fifth stays unpaid.

    Orders that go on to processing, shipped or delivered are always paid or
    authorized: the lifecycle refuses those moves for an unpaid order.
    """
    if number % 5 == 1 and target in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        return
    if number % 3 == 0:
        order_pay(
            order_id=order.pk,
            actor=customer,
            gateway_id="cash_on_delivery",
            data={},
        )
    else:
        order_pay(
            order_id=order.pk,
            actor=customer,
            gateway_id="dummy_card",
            data=TEST_CARD,
        )


def _backdate(order: Order, placed_at: Any) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=placed_at, updated_at=placed_at)
    for step, event in enumerate(order.events.order_by("pk")):
        OrderEvent.objects.filter(pk=event.pk).update(
            created_at=placed_at + timedelta(hours=6 * step)
        )
    for step, payment in enumerate(order.payment_transactions.order_by("pk")):
        PaymentTransaction.objects.filter(pk=payment.pk).update(
            created_at=placed_at + timedelta(minutes=5, hours=6 * step)
        )


def _order_make(
    *,
    number: int,
    customer: User | None,
    products: list[ProductPage],
    manager: User,
    rng: random.Random,
    placed_at: Any,
    package: PackagePage | None = None,
) -> Order | None:
    """One order of ``customer``, or of a guest when None (guests upload no photos).

    With ``package``, one of it is ordered too (without choices: its customization
    is optional).
    """
    if customer is None:
        products = [product for product in products if not _takes_photo(product)]
        if not products:
            return None
    lines = []
    for product in products:
        lines.append(
            RequestedLine(
                kind="product",
                item_id=product.pk,
                quantity=rng.randint(1, 2),
                choices=_choices(product, customer, rng),
            )
        )
    if package is not None:
        lines.append(
            RequestedLine(kind="package", item_id=package.pk, quantity=1, choices=[])
        )
    offered = shipping_methods_available(
        country=ADDRESS["country"],
        subtotal=Decimal("0"),
        item_count=sum(line.quantity for line in lines),
        weight_grams=None,
    )
    try:
        with transaction.atomic():  # a savepoint: placement does not open its own
            order = order_place(
                customer=customer,
                lines=lines,
                contact={
                    "phone": "+49 30 1234567",
                    "email": "" if customer else f"guest{number}@example.com",
                },
                shipping_address={
                    **ADDRESS,
                    "name": customer.name if customer else "Guest Shopper",
                },
                shipping_method_id=offered[0].method_id if offered else None,
                gift={"is_gift": number % 4 == 0, "gift_message": "Enjoy!"},
            )
    except InsufficientStockError:
        return None
    target = TARGETS[number % len(TARGETS)]
    _pay(order, customer, target, number)
    for to_status in PATHS[target]:
        rejecting = (
            order.status == OrderStatus.UNDER_REVIEW
            and to_status == OrderStatus.CANCELLED
        )
        order = order_transition(
            order_id=order.pk,
            actor=manager,
            to_status=to_status,
            note="The photo is too dark to print." if rejecting else "",
        )
    # Few delivered orders are refunded outright: the others can show returns.
    if target == OrderStatus.DELIVERED and number % 8 == 0:
        order_refund(order_id=order.pk, actor=manager)
    _backdate(order, placed_at)
    return order


def demo_orders_seed(
    *, count: int, showcase: ProductPage | None, rng: random.Random
) -> int:
    """Place ``count`` demo orders over the last 60 days; returns how many were placed.

    The first orders contain ``showcase`` (a product with a customization of every
    kind), so every kind shows up on the order pages.
    """
    manager = (
        User.objects.filter(groups__name=UserRole.MANAGER.value).order_by("pk").first()
    )
    if manager is None:
        return 0
    sellable = list(
        ProductPage.objects.live()
        .filter(is_available=True, stock__quantity__gte=5)
        .order_by("pk")
    )
    if not sellable:
        return 0
    # The first order (delivered) holds a package too, so a package can be reviewed.
    package = (
        PackagePage.objects.live().filter(is_available=True).order_by("pk").first()
    )
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    placed = 0
    with transaction.atomic():
        first_outbox = (
            OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
            or 0
        )
        customers = _customers()
        for number in range(count):
            products = rng.sample(sellable, k=min(len(sellable), rng.randint(1, 2)))
            if showcase is not None and number < 8 and showcase not in products:
                products = [showcase, *products[:1]]
            if number >= count - 3:  # the last few today, for the dashboard
                placed_at = today + (now - today) * rng.random()
            else:
                placed_at = now - timedelta(
                    days=(count - 1 - number) * 60 / count, hours=rng.randint(0, 8)
                )
            # Every seventh order after the showcase ones is a guest's (a checkout
            # without an account).
            guest = number >= 8 and number % 7 == 3
            order = _order_make(
                number=number,
                customer=None if guest else customers[number % len(customers)],
                products=products,
                manager=manager,
                rng=rng,
                placed_at=placed_at,
                package=package if number == 0 else None,
            )
            placed += order is not None
        demo_returns_seed(manager=manager)
        OutboxMessage.objects.filter(pk__gt=first_outbox).delete()
    return placed
