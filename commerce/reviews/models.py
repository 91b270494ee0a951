"""Reviews: one per customer per item, from an order line the customer received."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from commerce.enums import ReviewStatus
from config.models import TimeStampedModel

RATING_MIN = 1
RATING_MAX = 5


class Review(TimeStampedModel):
    """A customer's rating (1–5) and text about a product or a package.

    Like cart and order lines, the item is one foreign key per kind (named after
    ``SellablePage.kind``); exactly one is set. New reviews are published at once;
    staff hide them (and publish them again) in the admin or the API.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    product = models.ForeignKey(
        "commerce.ProductPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    package = models.ForeignKey(
        "commerce.PackagePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    order_line = models.ForeignKey(
        "commerce.OrderLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No reverse accessor: order lines never need their reviews.
        related_name="+",
        help_text="The delivered order line that let the customer review the item.",
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    title = models.CharField(max_length=120, blank=True)
    text = models.TextField(blank=True)
    status = models.CharField(
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PUBLISHED,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="commerce_review_rating_range",
                violation_error_code="rating_out_of_range",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False, package__isnull=True)
                | Q(product__isnull=True, package__isnull=False),
                name="commerce_review_one_item",
                violation_error_code="one_item",
            ),
            models.UniqueConstraint(
                fields=["customer", "product"],
                condition=Q(product__isnull=False),
                name="commerce_review_one_per_customer_product",
                violation_error_code="already_reviewed",
            ),
            models.UniqueConstraint(
                fields=["customer", "package"],
                condition=Q(package__isnull=False),
                name="commerce_review_one_per_customer_package",
                violation_error_code="already_reviewed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["product", "status", "-created_at"],
                name="commerce_review_product_idx",
            ),
            models.Index(
                fields=["package", "status", "-created_at"],
                name="commerce_review_package_idx",
            ),
            models.Index(
                fields=["status", "-created_at"], name="commerce_review_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}: {self.rating}★"
