"""Tax classes and the rate of each class in each country."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from config.models import TimeStampedModel


class TaxClass(models.Model):
    """A kind of goods taxed at its own rates (e.g. books, food); none means standard."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "tax classes"

    def __str__(self) -> str:
        return self.name


class TaxRate(TimeStampedModel):
    """The rate, in percent, of a tax class (or the standard rate) in a country."""

    country = CountryField()
    tax_class = models.ForeignKey(
        TaxClass,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rates",
        help_text="Leave empty for the country's standard rate.",
    )
    rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent, e.g. 19.00.",
    )

    class Meta:
        ordering = ["country", "tax_class__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_class"], name="tax_rate_unique_class"
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(tax_class__isnull=True),
                name="tax_rate_unique_standard",
                violation_error_message="This country already has a standard rate.",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.tax_class or 'standard'}: {self.rate}%"
