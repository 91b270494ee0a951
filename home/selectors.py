"""Reads of the home app: the home page's carousels and tiles, contact pages."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.forms import MultipleChoiceField
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.rich_text import expand_db_html

from commerce.catalogue.models import CategoryPage, PackagePage, ProductPage
from commerce.catalogue.selectors.categories import (
    CategoryCounts,
    category_counts,
    category_list,
)
from commerce.catalogue.selectors.cursors import EPOCH
from commerce.catalogue.selectors.sellables import (
    CatalogueFilters,
    package_list,
    package_queryset,
    product_list,
    product_queryset,
)
from home.enums import CarouselRule
from home.models import ContactPage

Sellable = ProductPage | PackagePage

# HOME PAGE

CAROUSEL_LIMIT_DEFAULT = 8
CAROUSEL_LIMIT_MAX = 24


def carousel_limit(value: Any) -> int:
    """A carousel's size from stored block data, kept within 1..24 whatever it holds."""
    if isinstance(value, bool) or not isinstance(value, int):
        return CAROUSEL_LIMIT_DEFAULT
    return min(max(value, 1), CAROUSEL_LIMIT_MAX)


@dataclass(frozen=True)
class CarouselSpec:
    """What one carousel asks for; ``item_ids`` are the hand-picked pages."""

    rule: str
    limit: int = CAROUSEL_LIMIT_DEFAULT
    category: CategoryPage | None = None
    item_ids: tuple[int, ...] = ()


def _newest_first(item: Sellable) -> tuple[float, int]:
    return (-(item.first_published_at or EPOCH).timestamp(), -item.pk)


def _best_selling_first(item: Sellable) -> tuple[int, int]:
    return (-item.units_sold_count, item.pk)


# Each rule: the catalogue sort of its queries, and the same order for merging the
# products and packages found (see SORTS: "newest" and "popularity").
CAROUSEL_ORDERS: dict[str, tuple[str, Callable[[Sellable], Any]]] = {
    CarouselRule.NEW_ARRIVALS: ("newest", _newest_first),
    CarouselRule.ON_SALE: ("newest", _newest_first),
    CarouselRule.CATEGORY: ("newest", _newest_first),
    CarouselRule.BEST_SELLERS: ("popularity", _best_selling_first),
}


def _carousel_candidate_ids(spec: CarouselSpec) -> list[int]:
    """Ids of up to ``limit`` products and ``limit`` packages the rule picks."""
    if spec.rule == CarouselRule.HAND_PICKED:
        return list(dict.fromkeys(spec.item_ids))
    if spec.rule not in CAROUSEL_ORDERS:
        return []
    sort = CAROUSEL_ORDERS[spec.rule][0]
    if spec.rule == CarouselRule.CATEGORY:
        if spec.category is None or not spec.category.live:
            return []
        filters = CatalogueFilters(category=spec.category.pk, sort=sort)
    else:
        # On sale: the catalogue's own filter (a running offer or a compare-at price).
        on_sale = True if spec.rule == CarouselRule.ON_SALE else None
        filters = CatalogueFilters(sort=sort, on_sale=on_sale)
    ids: list[int] = []
    querysets: list[QuerySet[Any]] = [
        product_list(filters=filters),
        package_list(filters=filters),
    ]
    for queryset in querysets:
        ids += queryset.prefetch_related(None).values_list("pk", flat=True)[
            : spec.limit
        ]
    return ids


def carousels_load(*, specs: Sequence[CarouselSpec]) -> list[list[Sellable]]:
    """The live, active items of each carousel, in its order.

    Two id queries per carousel, then every carousel's items are loaded together
    (stock, gallery renditions, components): the queries do not grow with the
    number of items. Deleted, unpublished or inactive hand-picked items are left out.
    """
    wanted = [_carousel_candidate_ids(spec) for spec in specs]
    ids = {pk for group in wanted for pk in group}
    loaded: dict[int, Sellable] = {}
    if ids:
        loaded.update({item.pk: item for item in product_queryset().filter(pk__in=ids)})
        loaded.update({item.pk: item for item in package_queryset().filter(pk__in=ids)})
    carousels = []
    for spec, group in zip(specs, wanted, strict=True):
        items = [loaded[pk] for pk in group if pk in loaded]
        if spec.rule in CAROUSEL_ORDERS:
            items.sort(key=CAROUSEL_ORDERS[spec.rule][1])
        carousels.append(items[: spec.limit])
    return carousels


@dataclass(frozen=True)
class CategoryTiles:
    tiles: list[list[CategoryPage]]
    counts: dict[str, CategoryCounts]


def category_tiles_load(*, chosen: Sequence[Sequence[int | None]]) -> CategoryTiles:
    """The live categories of each tiles section, with images and item counts.

    An empty choice means the top categories; chosen categories deleted or
    unpublished since are left out. A constant number of queries.
    """
    categories = list(category_list())
    by_pk = {category.pk: category for category in categories}
    top_depth = min((category.depth for category in categories), default=0)
    top = [category for category in categories if category.depth == top_depth]
    tiles = [
        [by_pk[pk] for pk in dict.fromkeys(ids) if pk in by_pk] if ids else top
        for ids in chosen
    ]
    shown = list(
        {category.pk: category for tile in tiles for category in tile}.values()
    )
    return CategoryTiles(
        tiles=tiles, counts=category_counts(categories=shown) if shown else {}
    )


# CONTACT PAGES

CHOICE_TYPES = ("checkboxes", "dropdown", "multiselect", "radio")


def contact_page_get(*, page_id: int) -> ContactPage | None:
    """A live contact page without view restrictions, else None."""
    page: ContactPage | None = (
        ContactPage.objects.live().public().filter(pk=page_id).first()
    )
    return page


def contact_form_describe(*, page: ContactPage) -> dict[str, Any]:
    """The page's form as a headless frontend renders it."""
    fields = list(page.get_form_fields())
    builder = FormBuilder(fields)
    return {
        "id": page.pk,
        "title": page.title,
        "intro": expand_db_html(page.intro),
        "fields": [
            {
                "name": field.clean_name or field.get_field_clean_name(),
                "label": field.label,
                "field_type": field.field_type,
                "required": field.required,
                "choices": (
                    [value for value, _ in builder.get_formatted_field_choices(field)]
                    if field.field_type in CHOICE_TYPES
                    else []
                ),
                "help_text": field.help_text,
                "default": field.default_value,
            }
            for field in fields
        ],
    }


def contact_form_bind(
    *, page: ContactPage, data: Any
) -> tuple[Any, dict[str, list[str]]]:
    """The page's Wagtail form bound to a JSON body, and the body's shape errors.

    JSON values must be scalars (a list for fields with several values); anything
    else is refused before the form sees it, so it never becomes a string.
    """
    if not isinstance(data, dict):
        return None, {"non_field_errors": ["Send a JSON object of field values."]}
    form = page.get_form(data={}, page=page)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if isinstance(field, MultipleChoiceField):
            if not isinstance(value, list) or not all(
                isinstance(item, str) for item in value
            ):
                errors[name] = ["Enter a list of values."]
                continue
        elif not isinstance(value, str | int | float | bool):
            errors[name] = ["Enter a single value."]
            continue
        values[name] = value
    return page.get_form(data=values, page=page), errors
