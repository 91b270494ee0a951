"""Rating figures of products and packages: plain models keyed to the page.

Kept out of the revisioned page fields (publishing an old revision must not restore
them); only ``commerce.catalogue.services.ratings`` writes them, from the published
reviews, in the transaction of the review change.
"""

from django.db import models

from commerce.catalogue.models.sellables import PackagePage, ProductPage

# Where ``rank`` keeps the count: below this factor; the average (in hundredths) above.
RATING_RANK_FACTOR = 1_000_000_000
RATING_AVERAGE_OPTIONS = {"max_digits": 3, "decimal_places": 2}


class SellableRating(models.Model):
    """The average of an item's published reviews (null without any) and their count.

    ``rank`` orders items by rating: the average, then the count, in one integer
    that a keyset cursor can hold.
    """

    average = models.DecimalField(null=True, blank=True, **RATING_AVERAGE_OPTIONS)
    count = models.PositiveIntegerField(default=0)
    rank = models.PositiveBigIntegerField(default=0, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ProductRating(SellableRating):
    product = models.OneToOneField(
        ProductPage, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )

    class Meta:
        verbose_name = "product rating"

    def __str__(self) -> str:
        return f"{self.product_id}: {self.average} ({self.count})"


class PackageRating(SellableRating):
    package = models.OneToOneField(
        PackagePage, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )

    class Meta:
        verbose_name = "package rating"

    def __str__(self) -> str:
        return f"{self.package_id}: {self.average} ({self.count})"


# The rating model of each kind (the wire value, as in ``SELLABLE_MODELS``).
RATING_MODELS: dict[str, type[ProductRating] | type[PackageRating]] = {
    ProductPage.kind: ProductRating,
    PackagePage.kind: PackageRating,
}
