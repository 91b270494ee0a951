"""Products and packages as the API shows them, and their input."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from commerce.catalogue.api.serializers.attributes import (
    BrandOutputSerializer,
    MaterialOutputSerializer,
)
from commerce.catalogue.api.serializers.common import PRICE
from commerce.catalogue.api.serializers.images import GalleryImageOutputSerializer
from commerce.catalogue.models import (
    CategoryPage,
    PackagePage,
    ProductPage,
)
from commerce.catalogue.selectors.categories import catalogue_breadcrumbs, category_of
from commerce.catalogue.selectors.offers import SellablePricing, sellable_pricing
from commerce.catalogue.selectors.stock import package_available_quantity
from commerce.money import shop_currency
from config.fields import IdField
from customization.api.serializers import AttachedCustomizationOutputSerializer
from customization.selectors import item_customizations

# OUTPUT

RATING_AVERAGE_FIELD = serializers.DecimalField(
    max_digits=3, decimal_places=2, allow_null=True
)


def rating_figures(item: Any) -> tuple[Any, int]:
    """(average, count) of an item's published reviews.

    Annotated by the selectors, else read from the item's rating row (none yet: no
    average, no reviews).
    """
    if hasattr(item, "rating_count"):
        return getattr(item, "rating_average", None), int(item.rating_count)
    if item.pk is None:
        return None, 0
    try:
        rating = item.rating
    except ObjectDoesNotExist:
        return None, 0
    return rating.average, rating.count


class BreadcrumbOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()


class OfferSummaryOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    ends_at = serializers.DateTimeField(
        allow_null=True, help_text="When the offer price ends; null: open-ended."
    )


def offer_summary(pricing: SellablePricing | None) -> dict[str, Any] | None:
    """The offer of ``pricing`` as the API shows it; None without one."""
    if pricing is None or not pricing.has_offer:
        return None
    return dict(
        OfferSummaryOutputSerializer(
            {"name": pricing.offer_name, "ends_at": pricing.offer_ends_at}
        ).data
    )


class PricingFieldMixin:
    """Reads one attribute of the item's pricing now (``sellable_pricing``)."""

    def __init__(self, attribute: str, **kwargs: Any) -> None:
        self.pricing_attribute = attribute
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return getattr(sellable_pricing(item=instance), self.pricing_attribute)


class PricingDecimalField(PricingFieldMixin, serializers.DecimalField):
    pass


class PricingBooleanField(PricingFieldMixin, serializers.BooleanField):
    pass


class SellableOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="title")
    slug = serializers.SlugField()
    sku = serializers.CharField()
    description = serializers.SerializerMethodField()
    price = PricingDecimalField(
        "price",
        max_digits=10,
        decimal_places=2,
        help_text="What the shopper pays now for one unit: the offer price while "
        "an offer applies.",
    )
    compare_at_price = PricingDecimalField(
        "compare_at_price",
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="The former price shown struck through: the regular price while "
        "an offer applies.",
    )
    currency = serializers.SerializerMethodField(
        help_text="ISO 4217 code of price and compare_at_price."
    )
    is_on_sale = PricingBooleanField("is_on_sale")
    offer = serializers.SerializerMethodField(
        help_text="The offer giving the price now; null when none applies."
    )
    is_active = serializers.BooleanField()
    is_available = serializers.BooleanField()
    live = serializers.BooleanField()
    has_unpublished_changes = serializers.BooleanField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    units_sold = serializers.IntegerField(source="units_sold_count")
    rating_average = serializers.SerializerMethodField(
        help_text="Average of the published reviews' ratings (1-5); null without any."
    )
    rating_count = serializers.SerializerMethodField(
        help_text="How many published reviews the item has."
    )
    category = serializers.SerializerMethodField()
    breadcrumbs = serializers.SerializerMethodField(
        help_text="The categories above the item, from the top one to its own."
    )
    tags = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    customizations = serializers.SerializerMethodField()
    is_favourite = serializers.SerializerMethodField(
        help_text="Whether the caller keeps this item in their favourites (always "
        "false for anonymous callers)."
    )

    @extend_schema_field(RATING_AVERAGE_FIELD)
    def get_rating_average(self, item: Any) -> Any:
        average = rating_figures(item)[0]
        return (
            None if average is None else RATING_AVERAGE_FIELD.to_representation(average)
        )

    def get_rating_count(self, item: Any) -> int:
        return rating_figures(item)[1]

    def get_description(self, item: Any) -> str:
        return expand_db_html(item.description or "")

    def get_currency(self, item: Any) -> str:
        return shop_currency()

    @extend_schema_field(OfferSummaryOutputSerializer(allow_null=True))
    def get_offer(self, item: Any) -> dict[str, Any] | None:
        return offer_summary(sellable_pricing(item=item))

    def get_category(self, item: Any) -> dict[str, Any] | None:
        categories = self.context.get("categories")
        if categories is None:
            parent = item.get_parent()
            category = parent.specific if parent is not None else None
        else:
            category = category_of(page=item, categories=categories)
        if not isinstance(category, CategoryPage):
            return None
        return {"id": category.pk, "name": category.title, "slug": category.slug}

    @extend_schema_field(BreadcrumbOutputSerializer(many=True))
    def get_breadcrumbs(self, item: Any) -> list[dict[str, Any]]:
        crumbs = catalogue_breadcrumbs(
            page=item, categories=self.context.get("categories")
        )
        return [
            {"id": crumb.id, "name": crumb.name, "slug": crumb.slug} for crumb in crumbs
        ]

    def get_tags(self, item: Any) -> list[str]:
        return sorted(tag.name for tag in item.tags.all())

    def get_images(self, item: Any) -> list[dict[str, Any]]:
        serializer = GalleryImageOutputSerializer(context=self.context)
        shown = (
            serializer.to_representation(image) for image in item.gallery_images.all()
        )
        return [image for image in shown if image is not None]

    @extend_schema_field(AttachedCustomizationOutputSerializer(many=True))
    def get_customizations(self, item: Any) -> list[dict[str, Any]]:
        attached = item_customizations(
            raw_stream=item.customizations.raw_data,
            preloaded=self.context.get("customizations"),
        )
        serializer = AttachedCustomizationOutputSerializer(context=self.context)
        return [serializer.to_representation(entry) for entry in attached]

    def get_is_favourite(self, item: Any) -> bool:
        """From the context's ``favourite_ids``; the views overlay it per caller."""
        return item.pk in self.context.get("favourite_ids", ())


class StockOutputSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField()
    in_stock = serializers.BooleanField()


class ProductOutputSerializer(SellableOutputSerializer):
    stock = serializers.SerializerMethodField()
    brand = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    @extend_schema_field(BrandOutputSerializer(allow_null=True))
    def get_brand(self, product: ProductPage) -> dict[str, Any] | None:
        try:
            brand = product.brand
        except ObjectDoesNotExist:  # a draft naming a brand deleted since
            return None
        if brand is None:
            return None
        return BrandOutputSerializer(brand, context=self.context).data

    @extend_schema_field(MaterialOutputSerializer(many=True))
    def get_materials(self, product: ProductPage) -> list[dict[str, Any]]:
        materials = sorted(product.materials.all(), key=lambda m: (m.name, m.pk))
        return [dict(MaterialOutputSerializer(m).data) for m in materials]

    def get_stock(self, product: ProductPage) -> dict[str, Any]:
        quantity = getattr(product, "stock_quantity", None)
        if quantity is None:
            stock = getattr(product, "stock", None)
            quantity = stock.quantity if stock is not None else 0
        return {"quantity": quantity, "in_stock": quantity > 0 and product.is_available}


class ComponentProductOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    sku = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField(help_text="ISO 4217 code of price.")
    live = serializers.BooleanField()


class PackageComponentOutputSerializer(serializers.Serializer[Any]):
    product = ComponentProductOutputSerializer()
    quantity = serializers.IntegerField()
    in_stock = serializers.BooleanField()

    def to_representation(self, component: Any) -> dict[str, Any]:
        product = component.product
        stock = getattr(product, "stock", None)
        on_hand = stock.quantity if stock is not None else 0
        return {
            "product": {
                "id": product.pk,
                "name": product.title,
                "slug": product.slug,
                "sku": product.sku,
                "price": str(product.price),
                "currency": shop_currency(),
                "live": product.live,
            },
            "quantity": component.quantity,
            "in_stock": on_hand >= component.quantity,
        }


class PackageOutputSerializer(SellableOutputSerializer):
    stock = serializers.SerializerMethodField()
    components = serializers.SerializerMethodField()

    def get_stock(self, package: PackagePage) -> dict[str, Any]:
        quantity = package_available_quantity(package=package)
        return {"quantity": quantity, "in_stock": quantity > 0 and package.is_available}

    @extend_schema_field(PackageComponentOutputSerializer(many=True))
    def get_components(self, package: PackagePage) -> list[dict[str, Any]]:
        serializer = PackageComponentOutputSerializer()
        return [serializer.to_representation(c) for c in package.components.all()]


def output_serializer_for(item: Any) -> type[SellableOutputSerializer]:
    """The output serializer of a product or a package."""
    if isinstance(item, PackagePage):
        return PackageOutputSerializer
    return ProductOutputSerializer


# INPUT


class SellableInputSerializer(serializers.Serializer[Any]):
    category = IdField()
    name = serializers.CharField(max_length=255, source="title")
    slug = serializers.SlugField(max_length=255, required=False)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=20000
    )
    price = serializers.DecimalField(**PRICE)
    compare_at_price = serializers.DecimalField(
        required=False, allow_null=True, **PRICE
    )
    sku = serializers.CharField(max_length=64)
    is_active = serializers.BooleanField(required=False)
    is_available = serializers.BooleanField(required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    images = serializers.ListField(child=IdField(), required=False, max_length=50)
    publish = serializers.BooleanField(
        default=True,
        help_text="Publish the change now, or keep it as a draft revision.",
    )


class ProductInputSerializer(SellableInputSerializer):
    stock_quantity = serializers.IntegerField(
        required=False, min_value=0, max_value=10_000_000
    )
    brand = IdField(
        required=False, allow_null=True, help_text="A brand id; null removes it."
    )
    materials = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=50,
        help_text="Material ids; replaces the product's materials.",
    )


class PackageComponentInputSerializer(serializers.Serializer[Any]):
    product = IdField()
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)


class PackageInputSerializer(SellableInputSerializer):
    components = PackageComponentInputSerializer(
        many=True, allow_empty=False, max_length=100
    )


class ProductDeleteInputSerializer(serializers.Serializer[Any]):
    force = serializers.BooleanField(
        default=False,
        help_text="Administrators only: unpublish a product that is in a package or an open order.",
    )
