"""Brands and materials: catalogue attributes that shoppers filter products by.

Both are snippets managed in the admin's Shop menu; products refer to them (a brand,
any number of materials) through revisioned page fields.
"""

from django.db import models

# The rendition of a brand's logo in API responses and the product page.
BRAND_LOGO_RENDITION = "max-200x100"


class Brand(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in filters: ?brand=<slug>."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in filters: ?material=<slug>."
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
