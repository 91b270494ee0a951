"""Shipping methods: a price, the countries they ship to, and the carts they take."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from config.models import TimeStampedModel

AMOUNT: dict[str, object] = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}


class ShippingMethod(TimeStampedModel):
    """One way to ship a cart; offered only where every one of its rules holds.

    No countries means every country. The weight rules apply to carts whose items
    all have a weight; the item-count rules to every cart.
    """

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(**AMOUNT)  # type: ignore[arg-type]
    countries = CountryField(
        multiple=True,
        blank=True,
        help_text="Where it ships (its zone). Leave empty for every country.",
    )
    free_above = models.DecimalField(
        null=True,
        blank=True,
        help_text="Free when the cart's subtotal is at least this much.",
        **AMOUNT,  # type: ignore[arg-type]
    )
    min_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    max_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    min_items = models.PositiveIntegerField(null=True, blank=True)
    max_items = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="shipping_method_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        ranges = (("min_weight_grams", "max_weight_grams"), ("min_items", "max_items"))
        for low, high in ranges:
            minimum, maximum = getattr(self, low), getattr(self, high)
            if minimum is not None and maximum is not None and minimum > maximum:
                errors[high] = ["The maximum must not be below the minimum."]
        if errors:
            raise ValidationError(errors)
