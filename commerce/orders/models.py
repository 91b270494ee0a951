"""Orders: what was bought, at which price and with which choices, frozen at placement."""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from commerce.enums import OrderStatus, PaymentAction, PaymentStatus
from config.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class OrderNumberField(models.CharField):
    """The order number, read back on insert (RETURNING): the database may compute it."""

    db_returning = True


class OrderNumberNext(models.Expression):
    """The next order number, ``FNT-%08d``, computed by the database in the INSERT.

    From the primary key's sequence, which numbered orders from their key before:
    on PostgreSQL a value of its own (never any order's key, so never a number
    given before, even by an older release still running); on SQLite, which writes
    one transaction at a time, the key the row gets. One statement, not an INSERT
    and then an UPDATE once the key is known.
    """

    output_field = models.CharField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return (
            "'FNT-' || printf('%%08d', COALESCE((SELECT seq FROM sqlite_sequence "
            "WHERE name = %s), 0) + 1)",
            [Order._meta.db_table],
        )

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return (
            "(SELECT 'FNT-' || lpad(n::text, greatest(8, length(n::text)), '0') "
            "FROM (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS n) AS next)",
            [Order._meta.db_table, Order._meta.pk.column],
        )


class Order(TimeStampedModel):
    # Orders point only at customers; keeping them out of Wagtail's reference index
    # saves two lookups and a write on every order save (placement, transitions).
    wagtail_reference_index_ignore = True

    number = OrderNumberField(max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        help_text="Empty for a guest's order.",
    )
    # The guest's (and customer's) key to this order: /api/orders/{token}.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=16,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
        db_index=True,
    )
    payment_status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    payment_gateway = models.CharField(max_length=32, blank=True)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    shipping_address = models.JSONField(default=dict)
    billing_address = models.JSONField(default=dict, blank=True)
    # {"id", "name", "price"} of the shipping method chosen, as it was then.
    shipping_method = models.JSONField(null=True, blank=True)
    tracking_carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    is_gift = models.BooleanField(default=False)
    is_anonymous = models.BooleanField(default=False)
    gift_message = models.CharField(max_length=500, blank=True)
    subtotal = models.DecimalField(
        **MONEY, help_text="Sum of the lines as the catalogue prices them."
    )
    shipping = models.DecimalField(**MONEY, default=Decimal("0"))
    tax = models.DecimalField(
        **MONEY, default=Decimal("0"), help_text="Tax on the lines and the shipping."
    )
    discount = models.DecimalField(
        **MONEY,
        default=Decimal("0"),
        help_text="The voucher's discount: off the lines (before tax) and shipping.",
    )
    voucher_code = models.CharField(max_length=40, blank=True)
    prices_include_tax = models.BooleanField(default=True)
    total = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="EUR")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["customer", "-created_at"])]
        permissions = [
            ("view_reports", "Can view shop reports"),
            ("export_data", "Can export shop data"),
            ("view_audit_log", "Can view the audit log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="commerce_order_total_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A snapshot of one bought item: later catalogue edits never change it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "commerce.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
    )
    package = models.ForeignKey(
        "commerce.PackagePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
    )
    name = models.CharField(max_length=255)
    sku = models.CharField(max_length=64)
    unit_price = models.DecimalField(
        **MONEY, help_text="Item price without customizations."
    )
    original_unit_price = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="The item's regular price when an offer lowered the unit price.",
    )
    offer_name = models.CharField(
        max_length=255, blank=True, help_text="The offer that gave the unit price."
    )
    price_delta = models.DecimalField(
        **MONEY, help_text="Customization deltas per unit."
    )
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(**MONEY)
    discount = models.DecimalField(
        **MONEY,
        default=Decimal("0"),
        help_text="The line's share of the voucher's discount; net, tax and gross "
        "are after it.",
    )
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), help_text="Percent."
    )
    net = models.DecimalField(**MONEY, default=Decimal("0"), help_text="Line, net.")
    tax = models.DecimalField(**MONEY, default=Decimal("0"), help_text="Line tax.")
    gross = models.DecimalField(**MONEY, default=Decimal("0"), help_text="Line, gross.")
    customizations = models.JSONField(default=list, blank=True)
    components = models.JSONField(
        default=list,
        blank=True,
        help_text="For packages: the products and quantities per package.",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        max_length=16, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class IdempotencyRecord(models.Model):
    """The first response to an order request with a given Idempotency-Key.

    Keys are scoped to their owner: a customer, or a guest's cart token.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    guest_token = models.UUIDField(null=True, blank=True)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key"], name="commerce_idempotency_unique"
            ),
            models.UniqueConstraint(
                fields=["guest_token", "key"],
                condition=Q(customer__isnull=True),
                name="commerce_idempotency_guest_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id or self.guest_token}:{self.key}"


class PaymentTransaction(models.Model):
    """One call to a payment gateway and what it answered, kept whatever the outcome."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="payment_transactions"
    )
    gateway = models.CharField(max_length=32)
    action = models.CharField(max_length=16, choices=PaymentAction.choices)
    amount = models.DecimalField(**MONEY)
    succeeded = models.BooleanField()
    reference = models.CharField(max_length=64, blank=True)
    message = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.order_id}: {self.gateway} {self.action} {outcome}"
