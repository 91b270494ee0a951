"""Products and packages: the pages that are sold, their tags and components."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.http import HttpResponseRedirect
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from commerce.catalogue.admin.stock_panels import (
    PackageAvailabilityPanel,
    ProductPageForm,
    StockPanel,
)
from commerce.catalogue.api.wagtail_fields import CatalogueAPIField
from customization.blocks import AttachedCustomizationsBlock

PRICE_FIELD_OPTIONS: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}


def total_weight_grams(
    lines: Iterable[tuple["SellablePage | None", int]],
) -> int | None:
    """The shipping weight of (item, quantity) lines; None if any item's is unknown."""
    total = 0
    for item, quantity in lines:
        unit = item.unit_weight_grams() if item is not None else None
        if unit is None:
            return None
        total += unit * quantity
    return total


class ProductPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "commerce.ProductPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PackagePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "commerce.PackagePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


@dataclass(frozen=True)
class OrderLineSnapshot:
    """What an order line keeps of its item, whatever later happens to the page."""

    name: str
    sku: str
    unit_price: Decimal
    components: list[dict[str, Any]] = field(default_factory=list)


class SellablePage(Page):
    """Fields and behaviour shared by products and packages.

    Code that sells an item asks the item (``units_needed``, ``available_quantity``,
    ``order_line_snapshot``) instead of branching on its kind; ``kind`` is the wire
    value ("product" or "package") and the name of a cart or order line's foreign key.
    """

    kind: ClassVar[str]

    description = RichTextField(blank=True)
    price = models.DecimalField(**PRICE_FIELD_OPTIONS)
    compare_at_price = models.DecimalField(
        null=True,
        blank=True,
        help_text="The former price shown struck through; above the price when on sale.",
        **PRICE_FIELD_OPTIONS,
    )
    sku = models.CharField("SKU", max_length=64, unique=True)
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive items are kept but not sold."
    )
    is_available = models.BooleanField(
        "available", default=True, help_text="Untick to stop orders for a while."
    )
    tax_class = models.ForeignKey(
        "commerce.TaxClass",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty for the standard rate.",
    )
    customizations = StreamField(
        AttachedCustomizationsBlock(),
        blank=True,
        help_text="What the customer chooses or fills in for this item, in this order.",
    )

    parent_page_types = ["commerce.CategoryPage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_on_sale(self) -> bool:
        """By the editor's prices alone; offers: ``selectors.offers.sellable_pricing``."""
        return self.compare_at_price is not None and self.compare_at_price > self.price

    def units_needed(self, quantity: int) -> dict[int, int]:
        """Units of each product taken from stock to sell ``quantity`` of this item."""
        raise NotImplementedError

    def available_quantity(self) -> int:
        """How many can be sold now, from the stock loaded with the page."""
        raise NotImplementedError

    def unit_weight_grams(self) -> int | None:
        """Shipping weight of one unit, or None when it is not known."""
        raise NotImplementedError

    def order_line_components(self) -> list[dict[str, Any]]:
        """The products an order line of this item contains, as kept on the line."""
        return []

    def order_line_snapshot(self, *, unit_price: Decimal) -> OrderLineSnapshot:
        return OrderLineSnapshot(
            name=self.title,
            sku=self.sku,
            unit_price=unit_price,
            components=self.order_line_components(),
        )

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The page as a shopper sees it, from the catalogue API's own representation.

        Also used for the admin's preview, where ``self`` is the unsaved draft.
        """
        # Imported here: the storefront reads through serializers that import models.
        from commerce.catalogue.storefront import sellable_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(sellable_page_context(page=self, request=request))
        return context

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        """With a storefront configured, the admin previews there first."""
        if settings.HEADLESS_PREVIEW_URL:
            return [("storefront", "Storefront"), ("", "Site template")]
        return list(super().preview_modes)

    def serve_preview(self, request: Any, mode_name: str) -> Any:
        """The storefront mode redirects to the storefront's preview of the saved draft.

        A page never saved has nothing the storefront could read yet: it is shown with
        the site templates.
        """
        from commerce.catalogue.storefront import (
            STOREFRONT_PREVIEW_MODE,
            storefront_preview_url,
        )

        if mode_name == STOREFRONT_PREVIEW_MODE:
            url = storefront_preview_url(page=self)
            if url is not None:
                return HttpResponseRedirect(url)
            mode_name = ""
        return super().serve_preview(request, mode_name)


# Fields of a product's API v2 representation that a package does not have.
PRODUCT_ONLY_API_FIELDS = frozenset({"brand", "materials"})


class ProductPage(SellablePage):
    kind = "product"

    tags = ClusterTaggableManager(through=ProductPageTag, blank=True)
    weight_grams = models.PositiveIntegerField(
        "weight (grams)",
        null=True,
        blank=True,
        help_text="Shipping weight of one unit; shipping methods may limit by weight.",
    )
    brand = models.ForeignKey(
        "commerce.Brand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    materials = ParentalManyToManyField(
        "commerce.Material", blank=True, related_name="products"
    )

    base_form_class = ProductPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("price"),
                FieldPanel("compare_at_price"),
                FieldPanel("sku"),
                FieldPanel("tax_class"),
                FieldPanel("weight_grams"),
            ],
            heading="Pricing",
        ),
        StockPanel(),
        MultiFieldPanel(
            [FieldPanel("is_active"), FieldPanel("is_available")], heading="Sale"
        ),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("brand"), FieldPanel("materials")], heading="Attributes"
        ),
        InlinePanel("gallery_images", label="Gallery images"),
        FieldPanel("customizations"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("sku"),
        index.FilterField("price"),
        index.FilterField("is_active"),
    ]
    api_fields = [
        APIField("name", serializer=CatalogueAPIField("name")),
        APIField("description"),
        APIField("price", serializer=CatalogueAPIField("price")),
        APIField("compare_at_price", serializer=CatalogueAPIField("compare_at_price")),
        APIField("currency", serializer=CatalogueAPIField("get_currency")),
        APIField("is_on_sale", serializer=CatalogueAPIField("is_on_sale")),
        APIField("offer", serializer=CatalogueAPIField("get_offer")),
        APIField("sku"),
        APIField("is_active"),
        APIField("is_available"),
        APIField("stock", serializer=CatalogueAPIField("get_stock")),
        APIField("category", serializer=CatalogueAPIField("get_category")),
        APIField("breadcrumbs", serializer=CatalogueAPIField("get_breadcrumbs")),
        APIField("tags", serializer=CatalogueAPIField("get_tags")),
        APIField("gallery_images"),
        APIField("images", serializer=CatalogueAPIField("get_images")),
        APIField("customizations", serializer=CatalogueAPIField("get_customizations")),
        APIField("brand", serializer=CatalogueAPIField("get_brand")),
        APIField("materials", serializer=CatalogueAPIField("get_materials")),
        APIField("rating_average", serializer=CatalogueAPIField("get_rating_average")),
        APIField("rating_count", serializer=CatalogueAPIField("get_rating_count")),
    ]

    class Meta:
        verbose_name = "product"
        permissions = [("manage_catalogue", "Can manage the catalogue through the API")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="commerce_product_price_not_negative",
                violation_error_code="negative_price",
            ),
        ]
        # The public list's count reads this and Wagtail's live pages (migration
        # 0030) by index alone, rather than joining both tables' rows.
        indexes = [
            models.Index(
                fields=["page_ptr"],
                condition=models.Q(is_active=True),
                name="commerce_product_listed",
            )
        ]

    def units_needed(self, quantity: int) -> dict[int, int]:
        return {self.pk: quantity}

    def available_quantity(self) -> int:
        stock = getattr(self, "stock", None)
        return stock.quantity if stock is not None else 0

    def unit_weight_grams(self) -> int | None:
        return self.weight_grams


class PackagePage(SellablePage):
    """A bundle of products with quantities; available as far as its components are."""

    kind = "package"

    tags = ClusterTaggableManager(through=PackagePageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("price"),
                FieldPanel("compare_at_price"),
                FieldPanel("sku"),
                FieldPanel("tax_class"),
            ],
            heading="Pricing",
        ),
        MultiFieldPanel(
            [FieldPanel("is_active"), FieldPanel("is_available")], heading="Sale"
        ),
        FieldPanel("tags"),
        InlinePanel("components", label="Products in this package", min_num=1),
        PackageAvailabilityPanel(),
        InlinePanel("gallery_images", label="Gallery images"),
        FieldPanel("customizations"),
    ]
    search_fields = ProductPage.search_fields
    api_fields = [
        *(
            api_field
            for api_field in ProductPage.api_fields
            if api_field.name not in PRODUCT_ONLY_API_FIELDS
        ),
        APIField("components"),
    ]

    class Meta:
        verbose_name = "package"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="commerce_package_price_not_negative",
                violation_error_code="negative_price",
            ),
        ]
        indexes = [
            models.Index(
                fields=["page_ptr"],
                condition=models.Q(is_active=True),
                name="commerce_package_listed",
            )
        ]

    def units_needed(self, quantity: int) -> dict[int, int]:
        needed: dict[int, int] = defaultdict(int)
        for component in self.components.all():
            needed[component.product_id] += component.quantity * quantity
        return dict(needed)

    def available_quantity(self) -> int:
        """The minimum over the components (use prefetched components and stock)."""
        components = list(self.components.all())
        if not components:
            return 0
        return min(
            component.product.available_quantity() // component.quantity
            for component in components
        )

    def unit_weight_grams(self) -> int | None:
        """The components' weights; unknown if any component's is."""
        total = 0
        for component in self.components.all():
            weight = component.product.weight_grams
            if weight is None:
                return None
            total += weight * component.quantity
        return total

    def order_line_components(self) -> list[dict[str, Any]]:
        return [
            {
                "product_id": component.product_id,
                "name": component.product.title,
                "sku": component.product.sku,
                "quantity": component.quantity,
            }
            for component in self.components.select_related("product")
        ]


class PackageComponent(Orderable):
    package = ParentalKey(
        PackagePage, on_delete=models.CASCADE, related_name="components"
    )
    # PROTECT: a product in a package is unpublished, never deleted (see product_delete).
    product = models.ForeignKey(
        ProductPage, on_delete=models.PROTECT, related_name="package_components"
    )
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])

    panels = [FieldPanel("product"), FieldPanel("quantity")]
    api_fields = [APIField("product"), APIField("quantity")]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="commerce_package_component_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


# The one mapping from a kind (the wire value) to its page model.
SELLABLE_MODELS: dict[str, type[ProductPage] | type[PackagePage]] = {
    ProductPage.kind: ProductPage,
    PackagePage.kind: PackagePage,
}


def sellable_model(kind: str) -> type[ProductPage] | type[PackagePage]:
    """The page model of ``kind``; an unknown kind is a KeyError."""
    return SELLABLE_MODELS[kind]


def line_kind(line: Any) -> str:
    """The kind of item a cart or order line holds (its key is named after the kind).

    An order line whose item was deleted holds none; it counts as a package, as
    exports have always shown it.
    """
    for kind in SELLABLE_MODELS:
        if getattr(line, f"{kind}_id", None):
            return kind
    return PackagePage.kind
