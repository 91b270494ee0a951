"""Reads of the catalogue: what the public sees, what staff see, and availability."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Length, Substr
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
    ShopIndexPage,
)
from commerce.exceptions import CatalogueNotFoundError
from config.fields import DATABASE_INTEGER_MAX
from customization.selectors import customization_ids_of_kind, pages_with_customizations

# Products without a threshold of their own are low at this many units or fewer.
LOW_STOCK_THRESHOLD = 5
SORTS = {
    "price": ("price", "pk"),
    "-price": ("-price", "pk"),
    "name": ("title", "pk"),
    "-name": ("-title", "pk"),
    "newest": ("-first_published_at", "-pk"),
    "oldest": ("first_published_at", "pk"),
    "popularity": ("-units_sold_count", "pk"),
}
DEFAULT_SORT = "newest"
# Keyset pagination: the value each sort orders by, and how a cursor stores it.
# first_published_at is null for drafts (staff lists), so it is ordered as the epoch.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEYSET_VALUES: dict[str, tuple[Any, Any]] = {
    "price": (F("price"), Decimal),
    "title": (F("title"), str),
    "first_published_at": (
        Coalesce(F("first_published_at"), Value(EPOCH), output_field=DateTimeField()),
        datetime.fromisoformat,
    ),
    "units_sold_count": (F("units_sold_count"), int),
}

SellableT = TypeVar("SellableT", ProductPage, PackagePage)


@dataclass(frozen=True)
class CatalogueFilters:
    category: int | str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    tags: list[str] = field(default_factory=list)
    customization_kind: str = ""
    search: str = ""
    sort: str = DEFAULT_SORT


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
    if filters.price_min is not None:
        queryset = queryset.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price__lte=filters.price_max)
    if filters.tags:
        queryset = queryset.filter(tagged_items__tag__slug__in=filters.tags).distinct()
    if filters.customization_kind:
        queryset = pages_with_customizations(
            model=model,
            customization_ids=customization_ids_of_kind(
                kind=filters.customization_kind
            ),
            queryset=queryset,
        )
    if filters.search:
        matches = model.objects.filter(pk__in=queryset.values("pk")).search(
            filters.search, operator="and"
        )
        queryset = queryset.filter(pk__in=[page.pk for page in matches])
    ordering = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return queryset.order_by(*ordering)


def _product_related(queryset: QuerySet[ProductPage]) -> QuerySet[ProductPage]:
    related: QuerySet[ProductPage] = (
        queryset.select_related("stock")
        .annotate(
            stock_quantity=Coalesce(
                F("stock__quantity"), Value(0), output_field=IntegerField()
            ),
            units_sold_count=Coalesce(
                F("stock__units_sold"), Value(0), output_field=IntegerField()
            ),
        )
        .prefetch_related("tags", _images_prefetch(ProductPageImage))
    )
    return related


def product_queryset(*, include_unpublished: bool = False) -> QuerySet[ProductPage]:
    """Products with stock, tags and images loaded in a constant number of queries."""
    queryset = _product_related(ProductPage.objects.all())
    return _visible(queryset, include_unpublished=include_unpublished)


def product_list(
    *, filters: CatalogueFilters, include_unpublished: bool = False
) -> QuerySet[ProductPage]:
    queryset = _filters_apply(
        product_queryset(include_unpublished=include_unpublished),
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


def _package_related(queryset: QuerySet[PackagePage]) -> QuerySet[PackagePage]:
    short_component = PackageComponent.objects.filter(package=OuterRef("pk")).exclude(
        product__stock__quantity__gte=F("quantity")
    )
    related: QuerySet[PackagePage] = (
        queryset.select_related("sales")
        .annotate(
            has_short_component=Exists(short_component),
            units_sold_count=Coalesce(
                F("sales__units_sold"), Value(0), output_field=IntegerField()
            ),
        )
        .prefetch_related(
            "tags", _images_prefetch(PackagePageImage), package_components_prefetch()
        )
    )
    return related


def package_queryset(*, include_unpublished: bool = False) -> QuerySet[PackagePage]:
    queryset = _package_related(PackagePage.objects.all())
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
    *, filters: CatalogueFilters, include_unpublished: bool = False
) -> QuerySet[PackagePage]:
    queryset = _filters_apply(
        package_queryset(include_unpublished=include_unpublished),
        filters,
        model=PackagePage,
    )
    return _in_stock_apply(queryset, filters.in_stock, has_short_component=False)


@dataclass(frozen=True)
class KeysetPosition:
    """The last row of a keyset page: its sort, sort value (as text) and pk."""

    sort: str
    value: str
    pk: int


def catalogue_keyset_position_parse(
    *, sort: str, value: Any, pk: Any
) -> KeysetPosition:
    """Validate a position read from a client's cursor; ValueError when malformed."""
    if sort not in SORTS or not isinstance(value, str):
        raise ValueError("bad cursor")
    field_name = SORTS[sort][0].lstrip("-")
    try:
        KEYSET_VALUES[field_name][1](value)
    except (ArithmeticError, TypeError) as error:  # decimal.InvalidOperation
        raise ValueError("bad cursor") from error
    return KeysetPosition(sort=sort, value=value, pk=int(pk))


def catalogue_keyset_page(
    queryset: QuerySet[SellableT],
    *,
    sort: str,
    after: KeysetPosition | None,
    size: int,
) -> tuple[list[SellableT], KeysetPosition | None]:
    """A page of ``queryset`` after ``after``, by (sort value, pk); no OFFSET, no COUNT.

    Returns the items and the position of the next page (None on the last page).
    The order is that of ``SORTS``, so a keyset page lists what the numbered page
    would list.
    """
    value_spec, pk_spec = SORTS[sort]
    field_name = value_spec.lstrip("-")
    value_descending = value_spec.startswith("-")
    pk_descending = pk_spec.startswith("-")
    expression, parse = KEYSET_VALUES[field_name]
    queryset = queryset.annotate(keyset_value=expression)
    if after is not None:
        value = parse(after.value)
        beyond = "lt" if value_descending else "gt"
        beyond_pk = "lt" if pk_descending else "gt"
        queryset = queryset.filter(
            Q(**{f"keyset_value__{beyond}": value})
            | Q(keyset_value=value, **{f"pk__{beyond_pk}": after.pk})
        )
    ordering = [
        F("keyset_value").desc() if value_descending else F("keyset_value").asc(),
        "-pk" if pk_descending else "pk",
    ]
    rows = list(queryset.order_by(*ordering)[: size + 1])
    items, more = rows[:size], len(rows) > size
    if not more:
        return items, None
    last = items[-1]
    raw = last.keyset_value
    text = raw.isoformat() if isinstance(raw, datetime) else str(raw)
    return items, KeysetPosition(sort=sort, value=text, pk=last.pk)


def package_available_quantity(*, package: PackagePage) -> int:
    """How many of the package can be sold now: the minimum over its components.

    Uses the prefetched components and their stock (``package_queryset``).
    """
    return package.available_quantity()


def _lookup_get(queryset: QuerySet[SellableT], lookup: str) -> SellableT:
    item = (
        queryset.filter(pk=int(lookup)).first()
        if lookup.isdigit()
        else queryset.filter(slug=lookup).first()
    )
    if item is None:
        raise CatalogueNotFoundError()
    return item


def product_get(*, lookup: str, include_unpublished: bool = False) -> ProductPage:
    """A product by id or slug."""
    return _lookup_get(
        product_queryset(include_unpublished=include_unpublished), lookup
    )


def package_get(*, lookup: str, include_unpublished: bool = False) -> PackagePage:
    """A package by id or slug."""
    return _lookup_get(
        package_queryset(include_unpublished=include_unpublished), lookup
    )


def sellable_latest_draft(*, item: SellableT) -> SellableT:
    """The latest revision of a product or package, with the item's live stock figures.

    Stock and sales are not revisioned, so the annotations of ``item`` (from
    ``product_queryset``/``package_queryset``) are copied onto the draft.
    """
    draft: SellableT = item.get_latest_revision_as_object()
    for attribute in ("stock_quantity", "units_sold_count", "has_short_component"):
        if hasattr(item, attribute):
            setattr(draft, attribute, getattr(item, attribute))
    return draft


def category_of(
    *, page: Page, categories: dict[str, CategoryPage]
) -> CategoryPage | None:
    """The category a product or package sits in, from a {path: category} map."""
    return categories.get(page.path[: -Page.steplen])


def category_map() -> dict[str, CategoryPage]:
    """Every category keyed by tree path, for resolving parents without a query per item."""
    return {category.path: category for category in CategoryPage.objects.all()}


@dataclass(frozen=True)
class Breadcrumb:
    id: int
    name: str
    slug: str


def catalogue_breadcrumbs(
    *, page: Page, categories: dict[str, CategoryPage] | None = None
) -> list[Breadcrumb]:
    """The categories above ``page``, from the top category down to its own.

    For products, packages and categories alike (a category's own entry is not
    included). With ``categories`` (from ``category_map``) no query is made, which is
    how lists stay at a constant number of queries; without it, one query.
    """
    steplen = Page.steplen
    if categories is None:
        ancestors = list(
            CategoryPage.objects.filter(
                path__in=[
                    page.path[:length]
                    for length in range(steplen, len(page.path), steplen)
                ]
            ).order_by("path")
        )
    else:
        ancestors = [
            categories[page.path[:length]]
            for length in range(steplen, len(page.path), steplen)
            if page.path[:length] in categories
        ]
    return [
        Breadcrumb(id=category.pk, name=category.title, slug=category.slug)
        for category in ancestors
    ]


@dataclass(frozen=True)
class CategoryCounts:
    products: int = 0
    packages: int = 0


def _live_counts_by_parent(model: type[Page]) -> dict[str, int]:
    """{parent path: live, active items of ``model`` directly below it}, one query."""
    rows = (
        model.objects.live()
        .filter(is_active=True)
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("parent_path")
        .annotate(total=Count("pk"))
        .values_list("parent_path", "total")
    )
    return dict(rows)


def category_counts(
    *, categories: list[CategoryPage] | None = None
) -> dict[str, CategoryCounts]:
    """Live products and packages per category path, subcategories included.

    Two aggregate queries whatever the number of categories: items are counted per
    direct parent, then each count is added to every category above it.
    """
    products = _live_counts_by_parent(ProductPage)
    packages = _live_counts_by_parent(PackagePage)
    wanted = {category.path for category in categories} if categories else None
    totals: dict[str, list[int]] = {}
    for index, by_parent in enumerate((products, packages)):
        for parent_path, total in by_parent.items():
            for length in range(Page.steplen, len(parent_path) + 1, Page.steplen):
                path = parent_path[:length]
                if wanted is None or path in wanted:
                    totals.setdefault(path, [0, 0])[index] += total
    return {
        path: CategoryCounts(products=pair[0], packages=pair[1])
        for path, pair in totals.items()
    }


def category_list(*, include_unpublished: bool = False) -> QuerySet[CategoryPage]:
    """Categories in tree order, with their image renditions prefetched."""
    images = get_image_model().objects.prefetch_renditions(*IMAGE_RENDITIONS.values())
    queryset: QuerySet[CategoryPage] = CategoryPage.objects.order_by(
        "path"
    ).prefetch_related(Prefetch("image", queryset=images))
    if include_unpublished:
        return queryset
    pages: PageQuerySet = queryset
    live: QuerySet[CategoryPage] = pages.live()
    return live


def _category_by_lookup(
    queryset: QuerySet[CategoryPage], lookup: str
) -> CategoryPage | None:
    if lookup.isdigit():
        pk = int(lookup)
        if pk > DATABASE_INTEGER_MAX:
            return None
        return queryset.filter(pk=pk).first()
    # Slugs are unique among siblings only: the first in tree order wins.
    return queryset.filter(slug=lookup).order_by("path").first()


def category_get(*, lookup: str, include_unpublished: bool = False) -> CategoryPage:
    """A category by id or slug."""
    category = _category_by_lookup(
        category_list(include_unpublished=include_unpublished), lookup
    )
    if category is None:
        raise CatalogueNotFoundError()
    return category


def shop_index_get() -> ShopIndexPage | None:
    shop_index: ShopIndexPage | None = ShopIndexPage.objects.first()
    return shop_index
