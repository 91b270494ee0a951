"""Categories as the API shows them, and their input."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from commerce.catalogue.api.serializers.images import (
    CategoryImageOutputSerializer,
    image_body,
)
from commerce.catalogue.models import CategoryPage
from commerce.catalogue.selectors.categories import CategoryCounts, category_counts

# OUTPUT


class CategoryRefSerializer(serializers.Serializer[CategoryPage]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="title")
    slug = serializers.SlugField()


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


# INPUT


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
