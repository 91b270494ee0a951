"""A customer's favourite products and packages."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commerce.catalogue.models.sellables import PackagePage, ProductPage


class Favourite(models.Model):
    """One product or package a user keeps; the key is named after the item's kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    product = models.ForeignKey(
        ProductPage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    package = models.ForeignKey(
        PackagePage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(package__isnull=True))
                | (Q(product__isnull=True) & Q(package__isnull=False)),
                name="commerce_favourite_one_item",
            ),
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(product__isnull=False),
                name="commerce_favourite_unique_product",
            ),
            models.UniqueConstraint(
                fields=["user", "package"],
                condition=Q(package__isnull=False),
                name="commerce_favourite_unique_package",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.product_id or self.package_id}"
