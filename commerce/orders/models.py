"""Orders: what was bought, at which price and with which choices, frozen at placement."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from commerce.enums import OrderStatus, PaymentAction, PaymentStatus
from config.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class Order(TimeStampedModel):
    # Orders point only at customers; keeping them out of Wagtail's reference index
    # saves two lookups and a write on every order save (placement, transitions).
    wagtail_reference_index_ignore = True

    number = models.CharField(max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
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
    is_gift = models.BooleanField(default=False)
    is_anonymous = models.BooleanField(default=False)
    gift_message = models.CharField(max_length=500, blank=True)
    subtotal = models.DecimalField(**MONEY)
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
    price_delta = models.DecimalField(
        **MONEY, help_text="Customization deltas per unit."
    )
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(**MONEY)
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
    """The first response to an order request with a given Idempotency-Key."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key"], name="commerce_idempotency_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.key}"


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
