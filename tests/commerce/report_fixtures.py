"""A small shop history whose report figures are computed by hand in the tests."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from commerce.accounts.models import User
from commerce.enums import OrderStatus, PaymentStatus, UserRole
from commerce.orders.models import Order, OrderLine
from tests.commerce.catalogue_factories import category_make, package_make, product_make
from tests.commerce.factories import UserFactory


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def order_make(
    *,
    customer: User,
    created_at: datetime,
    status: str = OrderStatus.PENDING,
    payment_status: str = PaymentStatus.UNPAID,
    lines: list[tuple[Any, int, str]] = (),  # type: ignore[assignment]
) -> Order:
    """An order with ``lines`` of (item, quantity, unit price) created at ``created_at``."""
    total = sum(
        (Decimal(price) * quantity for _, quantity, price in lines), Decimal("0")
    )
    order = Order.objects.create(
        number=f"T-{Order.objects.count() + 1}-{created_at.timestamp():.0f}",
        customer=customer,
        status=status,
        payment_status=payment_status,
        contact_email=customer.email,
        subtotal=total,
        total=total,
    )
    Order.objects.filter(pk=order.pk).update(created_at=created_at)
    for item, quantity, price in lines:
        is_product = item.__class__.__name__ == "ProductPage"
        OrderLine.objects.create(
            order=order,
            product=item if is_product else None,
            package=None if is_product else item,
            name=item.title,
            sku=item.sku,
            unit_price=Decimal(price),
            price_delta=Decimal("0.00"),
            quantity=quantity,
            line_total=Decimal(price) * quantity,
        )
    order.refresh_from_db()
    return order


def shop_history() -> dict[str, Any]:
    """Orders around the 1-2 March 2026 boundary (UTC and Europe/Berlin, UTC+1).

    | order | created (UTC)     | Berlin date | status     | payment    | total |
    | o1    | 2026-03-01 10:00  | 03-01       | pending    | unpaid     | 20.00 (2 × mug 10.00)
    | o2    | 2026-03-01 23:30  | 03-02       | delivered  | paid       | 35.00 (1 × box 25.00 + 1 × mug 10.00)
    | o3    | 2026-03-02 12:00  | 03-02       | cancelled  | refunded   | 50.00 (5 × mug 10.00)
    | o4    | 2026-03-09 08:00  | 03-09       | processing | authorized | 12.00 (3 × pen 4.00)
    | o5    | 2026-02-28 23:59  | 03-01       | shipped    | paid       |  8.00 (2 × pen 4.00)

    Revenue counts o2 and o5 only: o1 is unpaid, o4 only authorized (cash on
    delivery), o3 refunded.
    """
    category = category_make()
    mug = product_make(category, title="Mug", price="10.00", stock=2)
    pen = product_make(category, title="Pen", price="4.00", stock=40)
    box = package_make(category, [(mug, 1), (pen, 2)], title="Box", price="25.00")
    alice = UserFactory(email="alice@example.com", role=UserRole.CUSTOMER)
    bob = UserFactory(email="bob@example.com", role=UserRole.CUSTOMER)
    User.objects.filter(pk=alice.pk).update(created_at=at("2026-03-01T23:30:00"))
    User.objects.filter(pk=bob.pk).update(created_at=at("2026-03-03T09:00:00"))
    orders = {
        "o1": order_make(
            customer=alice,
            created_at=at("2026-03-01T10:00:00"),
            lines=[(mug, 2, "10.00")],
        ),
        "o2": order_make(
            customer=alice,
            created_at=at("2026-03-01T23:30:00"),
            status=OrderStatus.DELIVERED,
            payment_status=PaymentStatus.PAID,
            lines=[(box, 1, "25.00"), (mug, 1, "10.00")],
        ),
        "o3": order_make(
            customer=bob,
            created_at=at("2026-03-02T12:00:00"),
            status=OrderStatus.CANCELLED,
            payment_status=PaymentStatus.REFUNDED,
            lines=[(mug, 5, "10.00")],
        ),
        "o4": order_make(
            customer=bob,
            created_at=at("2026-03-09T08:00:00"),
            status=OrderStatus.PROCESSING,
            payment_status=PaymentStatus.AUTHORIZED,
            lines=[(pen, 3, "4.00")],
        ),
        "o5": order_make(
            customer=alice,
            created_at=at("2026-02-28T23:59:00"),
            status=OrderStatus.SHIPPED,
            payment_status=PaymentStatus.PAID,
            lines=[(pen, 2, "4.00")],
        ),
    }
    return {"mug": mug, "pen": pen, "box": box, "alice": alice, "bob": bob, **orders}
