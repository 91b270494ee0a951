"""Offers: date-bounded discounts on products, packages or whole categories.

``Offer`` is what staff edit (a snippet in the Checkout menu). ``ProductOfferPrice``
and ``PackageOfferPrice`` hold the price each item sells at while an offer applies:
plain rows, not revisioned, rebuilt by ``offer_prices_refresh`` (after an offer or a
catalogue page changes, and every minute for offers that start or end), so listings
filter and sort by the price the shopper pays in SQL.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from commerce.catalogue.models.pages import CategoryPage
from commerce.catalogue.models.sellables import (
    PRICE_FIELD_OPTIONS,
    PackagePage,
    ProductPage,
)
from commerce.enums import OfferKind

HUNDRED = Decimal("100")


class OfferForm(WagtailAdminModelForm):
    """The admin's form: an offer must target something (checked on the M2M values)."""

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        targets = ("products", "packages", "categories")
        if self.is_bound and not any(cleaned.get(name) for name in targets):
            raise ValidationError(
                {"products": ["Choose at least one product, package or category."]}
            )
        return cleaned


class Offer(models.Model):
    """A discount on its targets between ``starts_at`` and ``ends_at``.

    Where offers overlap on an item, the one giving the lowest price wins (ties: the
    one ending first, then the oldest); offers never stack.
    """

    name = models.CharField(
        max_length=255, help_text="Shown to shoppers beside the discounted price."
    )
    kind = models.CharField(
        max_length=16, choices=OfferKind.choices, default=OfferKind.PERCENTAGE
    )
    value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Percent off (above 0, at most 100) or the amount off each unit.",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: runs until it is ended by hand."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to stop the offer at once."
    )
    products = models.ManyToManyField(ProductPage, blank=True, related_name="offers")
    packages = models.ManyToManyField(PackagePage, blank=True, related_name="offers")
    categories = models.ManyToManyField(
        CategoryPage,
        blank=True,
        related_name="offers",
        help_text="Every product and package in these categories and their "
        "subcategories.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = OfferForm

    class Meta:
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["is_active", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="commerce_offer_value_positive",
                violation_error_code="offer_value_not_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OfferKind.PERCENTAGE)
                | models.Q(value__lte=HUNDRED),
                name="commerce_offer_percentage_at_most_100",
                violation_error_code="offer_percentage_above_100",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="commerce_offer_ends_after_start",
                violation_error_code="offer_ends_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.value is not None:
            if self.value <= 0:
                errors["value"] = ["Must be above 0."]
            elif self.kind == OfferKind.PERCENTAGE and self.value > HUNDRED:
                errors["value"] = ["A percentage must be above 0 and at most 100."]
        ends, starts = self.ends_at, self.starts_at
        if ends is not None and starts is not None and ends <= starts:
            errors["ends_at"] = ["Must be after the start."]
        if errors:
            raise ValidationError(errors)

    def price_for(self, price: Decimal) -> Decimal:
        """The price of one unit costing ``price`` under this offer (never below 0)."""
        if self.kind == OfferKind.PERCENTAGE:
            discounted = price * (HUNDRED - self.value) / HUNDRED
        else:
            discounted = price - self.value
        return max(discounted, Decimal("0")).quantize(Decimal("0.01"))


class OfferPrice(models.Model):
    """The best running offer of one item and the price it sells at under it."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    sale_price = models.DecimalField(**PRICE_FIELD_OPTIONS)
    # The item's own price the sale price was computed from.
    regular_price = models.DecimalField(**PRICE_FIELD_OPTIONS)
    ends_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ProductOfferPrice(OfferPrice):
    product = models.OneToOneField(
        ProductPage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="offer_price",
    )

    class Meta:
        verbose_name = "product offer price"
        indexes = [models.Index(fields=["sale_price"])]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.sale_price}"


class PackageOfferPrice(OfferPrice):
    package = models.OneToOneField(
        PackagePage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="offer_price",
    )

    class Meta:
        verbose_name = "package offer price"
        indexes = [models.Index(fields=["sale_price"])]

    def __str__(self) -> str:
        return f"{self.package_id}: {self.sale_price}"
