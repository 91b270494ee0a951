"""Reads of products and packages: what the public sees and what staff see."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.query import PageQuerySet

from commerce.catalogue.models import (
    IMAGE_RENDITIONS,
    CategoryPage,
    PackageComponent,
    PackagePage,
    PackagePageImage,
    ProductPage,
    ProductPageImage,
)
from commerce.catalogue.selectors._shared import SellableT, _category_by_lookup
from commerce.catalogue.selectors.attributes import (
    brand_logo_prefetch,
    material_list,
)
from commerce.catalogue.selectors.cursors import DEFAULT_SORT, SORTS
from commerce.catalogue.selectors.offers import (
    OFFER_PRICE_RELATED,
    current_price_expression,
)
from commerce.catalogue.selectors.search import (
    search_relevance_ordering,
    sellable_search_filter,
)
from commerce.exceptions import CatalogueNotFoundError
from config.fields import DATABASE_INTEGER_MAX
from customization.selectors import customization_ids_of_kind, pages_with_customizations

# The annotations of an item that come from outside its revisioned fields.
SELLABLE_LIVE_FIGURES = (
    "stock_quantity",
    "units_sold_count",
    "has_short_component",
    "rating_average",
    "rating_count",
    "rating_rank",
)


@dataclass(frozen=True)
class CatalogueFilters:
    category: int | str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    on_sale: bool | None = None
    tags: list[str] = field(default_factory=list)
    customization_kind: str = ""
    # Slugs; an item matches any of them. Packages match through their products.
    brand: list[str] = field(default_factory=list)
    material: list[str] = field(default_factory=list)
    search: str = ""
    # Empty: not chosen. A search then lists the best matches first, else the newest.
    sort: str = ""

    @property
    def keyset_sort(self) -> str:
        """The sort of a keyset page: relevance has no keyset, so the default."""
        return self.sort or DEFAULT_SORT


def _images_prefetch(
    image_model: type[ProductPageImage] | type[PackagePageImage],
) -> Prefetch[Any]:
    images = get_image_model().objects.prefetch_renditions(*IMAGE_RENDITIONS.values())
    return Prefetch(
        "gallery_images",
        queryset=image_model.objects.order_by("sort_order", "pk").prefetch_related(
            Prefetch("image", queryset=images)
        ),
    )


def _visible(
    queryset: QuerySet[SellableT], *, include_unpublished: bool
) -> QuerySet[SellableT]:
    if include_unpublished:
        return queryset
    pages: PageQuerySet = queryset
    visible: QuerySet[SellableT] = pages.live().filter(is_active=True)
    return visible


def _filters_apply(
    queryset: QuerySet[Any], filters: CatalogueFilters, *, model: type[Page]
) -> QuerySet[Any]:
    if filters.category is not None:
        category = _category_by_lookup(
            CategoryPage.objects.all(), str(filters.category)
        )
        if category is None:
            return queryset.none()
        pages: PageQuerySet = queryset
        queryset = pages.descendant_of(category)
    # Prices and sales as the shopper sees them: offers included (current_price).
    if filters.price_min is not None:
        queryset = queryset.filter(current_price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(current_price__lte=filters.price_max)
    if filters.on_sale is not None:
        on_sale = Q(offer_price__sale_price__lt=F("price")) | Q(
            offer_price__isnull=True, compare_at_price__gt=F("price")
        )
        queryset = queryset.filter(on_sale if filters.on_sale else ~on_sale)
    if filters.tags:
        queryset = queryset.filter(tagged_items__tag__slug__in=filters.tags).distinct()
    queryset = _attributes_apply(queryset, filters, model=model)
    if filters.customization_kind:
        queryset = pages_with_customizations(
            model=model,
            customization_ids=customization_ids_of_kind(
                kind=filters.customization_kind
            ),
            queryset=queryset,
        )
    default_ordering = SORTS[DEFAULT_SORT]
    if filters.search:
        queryset = sellable_search_filter(queryset, text=filters.search, model=model)
        if not filters.sort:
            return queryset.order_by(*search_relevance_ordering(), *default_ordering)
    return queryset.order_by(*SORTS.get(filters.sort, default_ordering))


def _attributes_apply(
    queryset: QuerySet[Any], filters: CatalogueFilters, *, model: type[Page]
) -> QuerySet[Any]:
    """Keep items of any of the brands and any of the materials asked for (by slug).

    A package matches when one of its products does. An unknown slug matches nothing.
    """
    matches: dict[str, QuerySet[Any]] = {}
    if filters.brand:
        matches["brand"] = ProductPage.objects.filter(brand__slug__in=filters.brand)
    if filters.material:
        matches["material"] = ProductPage.objects.filter(
            materials__slug__in=filters.material
        )
    for products in matches.values():
        if issubclass(model, PackagePage):
            queryset = queryset.filter(
                pk__in=PackageComponent.objects.filter(
                    product__in=products.values("pk")
                ).values("package_id")
            )
        else:
            queryset = queryset.filter(pk__in=products.values("pk"))
    return queryset


def _rating_annotations() -> dict[str, Any]:
    """The item's rating figures (no row: no rating yet), from a join, not a query."""
    return {
        "rating_average": F("rating__average"),
        "rating_count": Coalesce(
            F("rating__count"), Value(0), output_field=IntegerField()
        ),
        "rating_rank": Coalesce(
            F("rating__rank"), Value(0), output_field=BigIntegerField()
        ),
    }


def _product_related(
    queryset: QuerySet[ProductPage], *, loaded: bool = True
) -> QuerySet[ProductPage]:
    """The figures lists filter and sort by; with ``loaded``, what the API shows."""
    annotated: QuerySet[ProductPage] = queryset.annotate(
        **_rating_annotations(),
        current_price=current_price_expression(),
        stock_quantity=Coalesce(
            F("stock__quantity"), Value(0), output_field=IntegerField()
        ),
        units_sold_count=Coalesce(
            F("stock__units_sold"), Value(0), output_field=IntegerField()
        ),
    )
    if not loaded:
        return annotated
    related: QuerySet[ProductPage] = annotated.select_related(
        "stock", "brand", *OFFER_PRICE_RELATED
    ).prefetch_related(
        "tags",
        _images_prefetch(ProductPageImage),
        brand_logo_prefetch("brand__logo"),
        Prefetch("materials", queryset=material_list()),
    )
    return related


def product_queryset(
    *, include_unpublished: bool = False, loaded: bool = True
) -> QuerySet[ProductPage]:
    """Products with stock, tags and images loaded in a constant number of queries.

    ``loaded`` False: the rows only, with the figures lists filter and sort by (the
    read model's cards show the rest).
    """
    queryset = _product_related(ProductPage.objects.all(), loaded=loaded)
    return _visible(queryset, include_unpublished=include_unpublished)


def product_list(
    *, filters: CatalogueFilters, include_unpublished: bool = False, loaded: bool = True
) -> QuerySet[ProductPage]:
    queryset = _filters_apply(
        product_queryset(include_unpublished=include_unpublished, loaded=loaded),
        filters,
        model=ProductPage,
    )
    return _in_stock_apply(queryset, filters.in_stock, stock_quantity__gt=0)


def _in_stock_apply(
    queryset: QuerySet[SellableT], in_stock: bool | None, **in_stock_lookup: Any
) -> QuerySet[SellableT]:
    """Keep what can (True) or cannot (False) be ordered now; None keeps all."""
    if in_stock is True:
        return queryset.filter(**in_stock_lookup, is_available=True)
    if in_stock is False:
        return queryset.exclude(**in_stock_lookup, is_available=True)
    return queryset


def package_components_prefetch() -> "Prefetch[Any]":
    """A package's components in their order, with each product and its stock."""
    return Prefetch(
        "components",
        queryset=PackageComponent.objects.order_by("sort_order", "pk").select_related(
            "product", "product__stock"
        ),
    )


def _package_related(
    queryset: QuerySet[PackagePage], *, loaded: bool = True
) -> QuerySet[PackagePage]:
    """The figures lists filter and sort by; with ``loaded``, what the API shows."""
    short_component = PackageComponent.objects.filter(package=OuterRef("pk")).exclude(
        product__stock__quantity__gte=F("quantity")
    )
    annotated: QuerySet[PackagePage] = queryset.annotate(
        **_rating_annotations(),
        current_price=current_price_expression(),
        has_short_component=Exists(short_component),
        units_sold_count=Coalesce(
            F("sales__units_sold"), Value(0), output_field=IntegerField()
        ),
    )
    if not loaded:
        return annotated
    related: QuerySet[PackagePage] = annotated.select_related(
        "sales", *OFFER_PRICE_RELATED
    ).prefetch_related(
        "tags", _images_prefetch(PackagePageImage), package_components_prefetch()
    )
    return related


def package_queryset(
    *, include_unpublished: bool = False, loaded: bool = True
) -> QuerySet[PackagePage]:
    """Packages with their components, tags and images (``loaded``: as products)."""
    queryset = _package_related(PackagePage.objects.all(), loaded=loaded)
    return _visible(queryset, include_unpublished=include_unpublished)


def catalogue_api_queryset(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Products or packages of Wagtail's API v2, loaded as the DRF lists load them.

    ``queryset`` is already filtered to what the API may show; stock, tags, gallery
    renditions and components are added, so a listing's queries do not grow with it.
    """
    queryset = queryset.select_related("locale")
    if issubclass(queryset.model, PackagePage):
        return _package_related(queryset)
    return _product_related(queryset)


def package_list(
    *, filters: CatalogueFilters, include_unpublished: bool = False, loaded: bool = True
) -> QuerySet[PackagePage]:
    queryset = _filters_apply(
        package_queryset(include_unpublished=include_unpublished, loaded=loaded),
        filters,
        model=PackagePage,
    )
    return _in_stock_apply(queryset, filters.in_stock, has_short_component=False)


def sellable_lookup(queryset: QuerySet[SellableT], lookup: str) -> SellableT:
    """The item of ``queryset`` with this id or slug; CatalogueNotFoundError if none."""
    if lookup.isascii() and lookup.isdigit():
        # An id beyond the database's integers is nobody's (on every database).
        pk = int(lookup)
        item = queryset.filter(pk=pk).first() if pk <= DATABASE_INTEGER_MAX else None
    else:
        item = queryset.filter(slug=lookup).first()
    if item is None:
        raise CatalogueNotFoundError()
    return item


def product_get(*, lookup: str, include_unpublished: bool = False) -> ProductPage:
    """A product by id or slug."""
    return sellable_lookup(
        product_queryset(include_unpublished=include_unpublished), lookup
    )


def package_get(*, lookup: str, include_unpublished: bool = False) -> PackagePage:
    """A package by id or slug."""
    return sellable_lookup(
        package_queryset(include_unpublished=include_unpublished), lookup
    )


def sellable_latest_draft(*, item: SellableT) -> SellableT:
    """The latest revision of a product or package, with the item's live stock figures.

    Stock, sales and ratings are not revisioned, so the annotations of ``item`` (from
    ``product_queryset``/``package_queryset``) are copied onto the draft.
    """
    draft: SellableT = item.get_latest_revision_as_object()
    for attribute in SELLABLE_LIVE_FIGURES:
        if hasattr(item, attribute):
            setattr(draft, attribute, getattr(item, attribute))
    return draft
