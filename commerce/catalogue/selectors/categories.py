"""Reads of the shop index and the categories: tree, breadcrumbs and counts."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.query import PageQuerySet

from commerce.catalogue.models import (
    IMAGE_RENDITIONS,
    CategoryPage,
    PackagePage,
    ProductPage,
    ShopIndexPage,
)
from commerce.catalogue.selectors._shared import _category_by_lookup
from commerce.exceptions import CatalogueNotFoundError


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
