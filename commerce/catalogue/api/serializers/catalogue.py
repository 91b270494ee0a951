from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from commerce.catalogue.models import (
    IMAGE_RENDITIONS,
    SHOP_CURRENCY,
    CategoryPage,
    PackagePage,
    ProductPage,
)
from commerce.catalogue.selectors.categories import (
    CategoryCounts,
    catalogue_breadcrumbs,
    category_counts,
    category_of,
)
from commerce.catalogue.selectors.cursors import SORTS
from commerce.catalogue.selectors.stock import package_available_quantity
from config.fields import IdField
from config.images import rendition_or_none
from customization.api.serializers import AttachedCustomizationOutputSerializer
from customization.enums import CustomizationKind
from customization.selectors import item_customizations

PRICE: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "min_value": Decimal("0"),
}


# OUTPUT


def _absolute(request: Any, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class CategoryRefSerializer(serializers.Serializer[CategoryPage]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="title")
    slug = serializers.SlugField()


def image_renditions(request: Any, image: Any) -> dict[str, dict[str, Any]] | None:
    """``{"thumbnail": {url, width, height}, "large": {...}}`` with absolute URLs.

    None when the image's file is missing or unreadable: the catalogue then shows the
    item without that picture instead of failing the response.
    """
    renditions = {}
    for name, spec in IMAGE_RENDITIONS.items():
        rendition = rendition_or_none(image, spec)
        if rendition is None:
            return None
        renditions[name] = {
            "url": _absolute(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    return renditions


def image_body(
    request: Any,
    image: Any,
    *,
    before_alt: dict[str, Any] | None = None,
    after_alt: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """An image as the catalogue shows it: id, title, alt and the renditions.

    None when its file is missing or unreadable (see ``image_renditions``).
    ``before_alt``/``after_alt`` are an endpoint's own fields, in their place.
    """
    renditions = image_renditions(request, image)
    if renditions is None:
        return None
    return {
        "id": image.pk,
        "title": image.title,
        **(before_alt or {}),
        "alt": image.default_alt_text,
        **(after_alt or {}),
        **renditions,
    }


class GalleryImageOutputSerializer(serializers.Serializer[Any]):
    """One gallery image with its renditions as absolute URLs."""

    def to_representation(self, item: Any) -> dict[str, Any] | None:
        return image_body(
            self.context.get("request"),
            item.image,
            before_alt={"caption": item.caption},
        )


class BreadcrumbOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()


class RenditionOutputSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class CategoryImageOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    alt = serializers.CharField()
    thumbnail = RenditionOutputSerializer()
    large = RenditionOutputSerializer()


class SellableOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="title")
    slug = serializers.SlugField()
    sku = serializers.CharField()
    description = serializers.SerializerMethodField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    compare_at_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True
    )
    currency = serializers.SerializerMethodField(
        help_text="ISO 4217 code of price and compare_at_price."
    )
    is_on_sale = serializers.BooleanField()
    is_active = serializers.BooleanField()
    is_available = serializers.BooleanField()
    live = serializers.BooleanField()
    has_unpublished_changes = serializers.BooleanField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    units_sold = serializers.IntegerField(source="units_sold_count")
    category = serializers.SerializerMethodField()
    breadcrumbs = serializers.SerializerMethodField(
        help_text="The categories above the item, from the top one to its own."
    )
    tags = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    customizations = serializers.SerializerMethodField()

    def get_description(self, item: Any) -> str:
        return expand_db_html(item.description or "")

    def get_currency(self, item: Any) -> str:
        return SHOP_CURRENCY

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

    def get_customizations(self, item: Any) -> list[dict[str, Any]]:
        attached = item_customizations(
            raw_stream=item.customizations.raw_data,
            preloaded=self.context.get("customizations"),
        )
        serializer = AttachedCustomizationOutputSerializer(context=self.context)
        return [serializer.to_representation(entry) for entry in attached]


class StockOutputSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField()
    in_stock = serializers.BooleanField()


class ProductOutputSerializer(SellableOutputSerializer):
    stock = serializers.SerializerMethodField()

    def get_stock(self, product: ProductPage) -> dict[str, Any]:
        quantity = getattr(product, "stock_quantity", None)
        if quantity is None:
            stock = getattr(product, "stock", None)
            quantity = stock.quantity if stock is not None else 0
        return {"quantity": quantity, "in_stock": quantity > 0 and product.is_available}


class PackageComponentOutputSerializer(serializers.Serializer[Any]):
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

    def get_components(self, package: PackagePage) -> list[dict[str, Any]]:
        serializer = PackageComponentOutputSerializer()
        return [serializer.to_representation(c) for c in package.components.all()]


def output_serializer_for(item: Any) -> type[SellableOutputSerializer]:
    """The output serializer of a product or a package."""
    if isinstance(item, PackagePage):
        return PackageOutputSerializer
    return ProductOutputSerializer


class CategoryOutputSerializer(serializers.Serializer[CategoryPage]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="title")
    slug = serializers.SlugField()
    description = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    depth = serializers.SerializerMethodField()
    live = serializers.BooleanField()
    image = serializers.SerializerMethodField()
    product_count = serializers.SerializerMethodField(
        help_text="Live products in this category and its subcategories."
    )
    package_count = serializers.SerializerMethodField(
        help_text="Live packages in this category and its subcategories."
    )

    def get_description(self, category: CategoryPage) -> str:
        return expand_db_html(category.description or "")

    @extend_schema_field(CategoryImageOutputSerializer(allow_null=True))
    def get_image(self, category: CategoryPage) -> dict[str, Any] | None:
        if category.image is None:
            return None
        return image_body(self.context.get("request"), category.image)

    def _counts(self, category: CategoryPage) -> CategoryCounts:
        counts = self.context.get("category_counts")
        if counts is None:
            counts = category_counts(categories=[category])
            self.context["category_counts"] = counts
        return counts.get(category.path, CategoryCounts())

    def get_product_count(self, category: CategoryPage) -> int:
        return self._counts(category).products

    def get_package_count(self, category: CategoryPage) -> int:
        return self._counts(category).packages

    def get_parent(self, category: CategoryPage) -> int | None:
        parent = self.context.get("categories", {}).get(
            category.path[: -CategoryPage.steplen]
        )
        return parent.pk if parent is not None else None

    def get_depth(self, category: CategoryPage) -> int:
        """1 for a top category, 2 for its subcategories, and so on."""
        return int(category.depth) - 3


class CatalogueImageOutputSerializer(serializers.Serializer[Any]):
    """A Wagtail image as the catalogue uses it; its id goes in ``images`` of a product."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    alt = serializers.CharField()
    collection = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    thumbnail = RenditionOutputSerializer()
    large = RenditionOutputSerializer()

    def to_representation(self, image: Any) -> dict[str, Any]:
        details = {
            "collection": image.collection_id,
            "width": image.width,
            "height": image.height,
        }
        body = image_body(self.context.get("request"), image, after_alt=details)
        assert body is not None  # noqa: S101 - a just-uploaded file is readable
        return body


class PreviewTokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    url = serializers.URLField()
    expires_in = serializers.IntegerField()


# INPUT


LIVE_VERSION = "live"
DRAFT_VERSION = "draft"


class CatalogueVersionSerializer(serializers.Serializer[Any]):
    version = serializers.ChoiceField(
        choices=[LIVE_VERSION, DRAFT_VERSION], required=False, default=LIVE_VERSION
    )


class CatalogueListFilterSerializer(serializers.Serializer[Any]):
    category = serializers.RegexField(
        r"^[-\w]+$",
        required=False,
        max_length=255,
        help_text="A category id or slug; subcategories included.",
        error_messages={
            "invalid": "Give a category id or slug, for example 12 or summer-dresses."
        },
    )
    price_min = serializers.DecimalField(required=False, **PRICE)
    price_max = serializers.DecimalField(required=False, **PRICE)
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    tags = serializers.CharField(
        required=False,
        max_length=500,
        help_text="Comma-separated tag slugs (any of them).",
    )
    customization_kind = serializers.ChoiceField(
        choices=CustomizationKind.choices, required=False
    )
    search = serializers.CharField(required=False, max_length=200)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"price_max": ["Must not be below price_min."]}
            )
        if "tags" in attrs:
            attrs["tags"] = [
                tag.strip() for tag in attrs["tags"].split(",") if tag.strip()
            ]
        return attrs


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


class PackageComponentInputSerializer(serializers.Serializer[Any]):
    product = IdField()
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)


class PackageInputSerializer(SellableInputSerializer):
    components = PackageComponentInputSerializer(
        many=True, allow_empty=False, max_length=100
    )


class CategoryInputSerializer(serializers.Serializer[Any]):
    parent = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Empty for a top category.",
    )
    name = serializers.CharField(max_length=255, source="title")
    slug = serializers.SlugField(max_length=255, required=False)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=20000
    )
    image = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="A Wagtail image id (see POST /api/images); null removes it.",
    )
    publish = serializers.BooleanField(default=True)


class CatalogueImageInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        allow_empty_file=False,
        max_length=255,
        help_text="JPEG, PNG or WebP, checked from the content.",
    )
    title = serializers.CharField(max_length=255)
    alt_text = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Describes the image for screen readers; the title when empty.",
    )
    collection = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="A Wagtail collection id; the root collection when left out.",
    )


class ProductDeleteInputSerializer(serializers.Serializer[Any]):
    force = serializers.BooleanField(
        default=False,
        help_text="Administrators only: unpublish a product that is in a package or an open order.",
    )
