"""The shop index and the categories."""

from typing import Any

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from commerce.catalogue.api.wagtail_fields import CategoryCountField, rendition_field
from commerce.catalogue.models.images import IMAGE_RENDITIONS


class ShopIndexPage(Page):
    """The root of the catalogue; categories hang beneath it."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["commerce.CategoryPage"]
    max_count = 1

    class Meta:
        verbose_name = "shop index"


class CategoryPage(Page):
    """A category; categories nest, and hold products and packages."""

    description = RichTextField(blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on category tiles and at the top of the category.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("image"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    api_fields = [
        APIField("description"),
        APIField("image"),
        APIField(
            "image_thumbnail",
            serializer=rendition_field(IMAGE_RENDITIONS["thumbnail"], "image"),
        ),
        APIField(
            "image_large",
            serializer=rendition_field(IMAGE_RENDITIONS["large"], "image"),
        ),
        APIField("product_count", serializer=CategoryCountField("products")),
        APIField("package_count", serializer=CategoryCountField("packages")),
    ]
    parent_page_types = ["commerce.ShopIndexPage", "commerce.CategoryPage"]
    subpage_types = [
        "commerce.CategoryPage",
        "commerce.ProductPage",
        "commerce.PackagePage",
    ]

    class Meta:
        verbose_name = "category"
        verbose_name_plural = "categories"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from commerce.catalogue.storefront import category_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(category_page_context(page=self, request=request))
        return context
