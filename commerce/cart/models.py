"""The customer's cart: lines of products or packages with their customization choices."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from config.models import TimeStampedModel

MAX_LINE_QUANTITY = 1000


class Cart(TimeStampedModel):
    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )

    def __str__(self) -> str:
        return f"Cart of {self.customer_id}"


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
