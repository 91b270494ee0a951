"""Vouchers and their usages.

A voucher's ``uses`` counts its usages; it is changed only under the voucher's row
lock, at order placement and when an order is cancelled.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from commerce.vouchers.enums import VoucherKind
from config.models import TimeStampedModel

if TYPE_CHECKING:
    from commerce.catalogue.models import CategoryPage, ProductPage

CODE_MAX_LENGTH = 40
HUNDRED = Decimal("100")


class Voucher(TimeStampedModel):
    """A discount code; codes are matched case-insensitively and stored upper-case.

    No products and no categories means every item qualifies; otherwise an item
    qualifies when it is one of the products or lies in one of the categories (or
    their subcategories).
    """

    code = models.CharField(
        max_length=CODE_MAX_LENGTH,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]+$", "Letters, digits, hyphens and underscores only."
            )
        ],
        help_text="What the shopper types; not case-sensitive.",
    )
    description = models.CharField(max_length=255, blank=True)
    kind = models.CharField(
        max_length=16, choices=VoucherKind.choices, default=VoucherKind.PERCENTAGE
    )
    value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Percent off, or the amount off in the shop's currency. "
        "Not used by free shipping.",
    )
    min_order_value = models.DecimalField(
        "minimum order value",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The cart's subtotal (before the discount) must reach this.",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Orders in all. Empty for no limit."
    )
    usage_limit_per_customer = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Orders per customer (guests by their email). Empty for no limit.",
    )
    uses = models.PositiveIntegerField(
        default=0, editable=False, help_text="Orders placed with it, not cancelled."
    )
    products: models.ManyToManyField["ProductPage", Any] = models.ManyToManyField(
        "commerce.ProductPage",
        blank=True,
        related_name="+",
        help_text="Only these products qualify (with the categories' items).",
    )
    categories: models.ManyToManyField["CategoryPage", Any] = models.ManyToManyField(
        "commerce.CategoryPage",
        blank=True,
        related_name="+",
        help_text="Only items in these categories or below qualify.",
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="voucher_code_unique",
                violation_error_message="Another voucher has this code.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="voucher_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind=VoucherKind.PERCENTAGE) | Q(value__lte=HUNDRED),
                name="voucher_percentage_at_most_100",
            ),
            # The database's guarantee that concurrent orders never overuse it.
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(uses__lte=F("usage_limit")),
                name="voucher_uses_within_limit",
                violation_error_message="The limit cannot be below the uses so far.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        super().clean()
        self.code = (self.code or "").strip().upper()
        errors: dict[str, list[str]] = {}
        if self.kind == VoucherKind.PERCENTAGE and not 0 < self.value <= HUNDRED:
            errors["value"] = ["Give a percentage above 0 and at most 100."]
        if self.kind == VoucherKind.FIXED and self.value <= 0:
            errors["value"] = ["Give the amount off."]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ["The end must be after the start."]
        if self.usage_limit is not None and self.usage_limit < self.uses:
            errors["usage_limit"] = ["The limit cannot be below the uses so far."]
        if errors:
            raise ValidationError(errors)


class VoucherUsage(models.Model):
    """One order placed with a voucher; deleted when the order is cancelled."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="usages"
    )
    order = models.OneToOneField(
        "commerce.Order", on_delete=models.CASCADE, related_name="voucher_usage"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(help_text="The order's contact email, lower-case.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["voucher", "customer"]),
            models.Index(fields=["voucher", "email"]),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} on {self.order_id}"
