"""Carts: lines of products or packages with their choices, and the checkout's answers.

A cart belongs to a customer, or to a guest who holds its token (an unguessable
UUID). The checkout steps fill in the email, the addresses and the shipping method.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from config.models import TimeStampedModel

MAX_LINE_QUANTITY = 1000


class Cart(TimeStampedModel):
    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
        help_text="Empty for a guest's cart, which only its token reaches.",
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(blank=True, help_text="A guest's contact email.")
    # Addresses as the address services cleaned them (see ADDRESS_VALUES).
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    billing_same_as_shipping = models.BooleanField(default=True)
    shipping_method = models.ForeignKey(
        "commerce.ShippingMethod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voucher = models.ForeignKey(
        "commerce.Voucher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The voucher the shopper applied; checked again at placement.",
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["updated_at"],
                condition=Q(customer__isnull=True),
                name="cart_guest_updated",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Cart of {self.customer_id}"
            if self.customer_id
            else f"Guest cart {self.pk}"
        )


class CartLine(TimeStampedModel):
    """One item with one set of choices; the same item and choices merge into one line.

    Nothing is reserved here: stock is checked and taken when the order is placed.
    """

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "commerce.ProductPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    package = models.ForeignKey(
        "commerce.PackagePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text=f"1 to {MAX_LINE_QUANTITY}."
    )
    # The customer's answers as given ([{"customization": id, "value": ...}]), sorted.
    choices = models.JSONField(default=list, blank=True)
    choices_key = models.CharField(
        max_length=64, help_text="SHA-256 of the sorted choices."
    )
    unit_price_seen = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The unit price (customizations included) the shopper was shown; "
        "placement refuses with 409 when today's differs.",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(package__isnull=True))
                | (Q(product__isnull=True) & Q(package__isnull=False)),
                name="commerce_cartline_one_item",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_LINE_QUANTITY),
                name="commerce_cartline_quantity_range",
            ),
            models.UniqueConstraint(
                fields=["cart", "product", "choices_key"],
                condition=Q(product__isnull=False),
                name="commerce_cartline_unique_product_choices",
            ),
            models.UniqueConstraint(
                fields=["cart", "package", "choices_key"],
                condition=Q(package__isnull=False),
                name="commerce_cartline_unique_package_choices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id or self.package_id}"
