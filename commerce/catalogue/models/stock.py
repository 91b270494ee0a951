"""Stock and sales figures: plain models keyed to the page, changed by orders."""

from django.db import models

from commerce.catalogue.models.sellables import PackagePage, ProductPage


class ProductStock(models.Model):
    """Units on hand and sold for one product; changed only by stock services under a row lock."""

    product = models.OneToOneField(
        ProductPage, on_delete=models.CASCADE, primary_key=True, related_name="stock"
    )
    quantity = models.PositiveIntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Counted as low stock at this many units or fewer; empty: the "
        "report's threshold.",
    )
    units_sold = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "product stock"
        verbose_name_plural = "product stock"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="commerce_product_stock_not_negative",
                violation_error_code="negative_stock",
            ),
        ]
        indexes = [
            models.Index(fields=["units_sold"]),
            models.Index(fields=["quantity"]),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


class PackageSales(models.Model):
    """Units sold of one package, for sorting by popularity."""

    package = models.OneToOneField(
        PackagePage, on_delete=models.CASCADE, primary_key=True, related_name="sales"
    )
    units_sold = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "package sales"
        indexes = [models.Index(fields=["units_sold"])]

    def __str__(self) -> str:
        return f"{self.package_id}: {self.units_sold}"
