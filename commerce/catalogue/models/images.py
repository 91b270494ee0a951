"""Gallery pictures of products and packages, and the renditions the API serves."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable

from commerce.catalogue.api.wagtail_fields import rendition_field
from commerce.catalogue.models.sellables import PackagePage, ProductPage

# Rendition specs every catalogue response carries (DRF and Wagtail API v2 alike),
# prefetched in one query per page of items.
IMAGE_RENDITIONS = {"thumbnail": "fill-400x300", "large": "max-1200x1200"}


# What Wagtail API v2 gives for a gallery picture (products and packages alike).
GALLERY_IMAGE_API_FIELDS = [
    APIField("image"),
    APIField("caption"),
    APIField(
        "thumbnail", serializer=rendition_field(IMAGE_RENDITIONS["thumbnail"], "image")
    ),
    APIField("large", serializer=rendition_field(IMAGE_RENDITIONS["large"], "image")),
]


class SellablePageImage(Orderable):
    """A gallery picture of a product or package; subclasses add the ``page`` key."""

    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    api_fields = GALLERY_IMAGE_API_FIELDS

    class Meta(Orderable.Meta):
        abstract = True


class ProductPageImage(SellablePageImage):
    page = ParentalKey(
        ProductPage, on_delete=models.CASCADE, related_name="gallery_images"
    )


class PackagePageImage(SellablePageImage):
    page = ParentalKey(
        PackagePage, on_delete=models.CASCADE, related_name="gallery_images"
    )


GALLERY_IMAGE_MODELS: dict[str, type[SellablePageImage]] = {
    ProductPage.kind: ProductPageImage,
    PackagePage.kind: PackagePageImage,
}
