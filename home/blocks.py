"""The sections an editor composes the home page from (its ``body`` StreamField).

In Wagtail API v2 each section resolves what it refers to: a hero's image as
renditions, a carousel's products and packages as cards, tiles as categories with
images and counts. ``HomeBodyBlock`` loads every carousel and every tiles section of
the page together, so the response's queries do not grow with their items. A
reference deleted or unpublished since is left out (or null), never an error.
"""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from home.enums import CarouselRule

PRELOAD_KEY = "home_sections"
SELLABLE_PAGE_TYPES = ["commerce.ProductPage", "commerce.PackagePage"]


def _request(context: dict[str, Any] | None) -> Any:
    from home.api.sections import site_request

    return site_request((context or {}).get("request"))


class HeroBlock(blocks.StructBlock):
    image = ImageChooserBlock(required=False)
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=500)
    link_page = blocks.PageChooserBlock(
        required=False, help_text="Where the button leads; or give a URL below."
    )
    link_url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")
    button_label = blocks.CharBlock(required=False, max_length=40)

    class Meta:
        icon = "image"
        label = "Hero banner"

    def get_api_representation(
        self, value: Any, context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from home.api.sections import hero_image, page_url

        request = _request(context)
        link = (
            page_url(value.get("link_page"), request) or value.get("link_url") or None
        )
        return {
            "heading": value.get("heading") or "",
            "text": value.get("text") or "",
            "image": hero_image(value.get("image"), request=request),
            "link": link,
            "button_label": value.get("button_label") or "",
        }


def carousel_spec(value: Any) -> Any:
    """What a carousel block's value asks ``carousels_load`` for."""
    from home.selectors import CarouselSpec, carousel_limit

    items = value.get("items") or []
    return CarouselSpec(
        rule=str(value.get("rule") or ""),
        limit=carousel_limit(value.get("limit")),
        category=value.get("category"),
        item_ids=tuple(item.pk for item in items if item is not None),
    )


class ProductCarouselBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    rule = blocks.ChoiceBlock(
        choices=CarouselRule.choices, default=CarouselRule.NEW_ARRIVALS
    )
    category = blocks.PageChooserBlock(
        page_type="commerce.CategoryPage",
        required=False,
        help_text='For "A category": its products and packages, subcategories too.',
    )
    items = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=SELLABLE_PAGE_TYPES),
        default=[],
        help_text='For "Hand-picked items", in this order.',
    )
    limit = blocks.IntegerBlock(
        min_value=1, max_value=24, default=8, help_text="At most this many items."
    )

    class Meta:
        icon = "list-ul"
        label = "Product carousel"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value.get("rule") == CarouselRule.CATEGORY and not value.get("category"):
            raise StructBlockValidationError(
                block_errors={"category": ValidationError("Choose the category.")}
            )
        if value.get("rule") == CarouselRule.HAND_PICKED and not value.get("items"):
            raise StructBlockValidationError(
                block_errors={"items": ValidationError("Choose at least one item.")}
            )
        return value

    def get_api_representation(
        self, value: Any, context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from home.api.sections import category_ref, sellable_card
        from home.selectors import carousels_load

        preloaded = (context or {}).get(PRELOAD_KEY, {}).get(id(value))
        spec = carousel_spec(value)
        if preloaded is None:
            preloaded = carousels_load(specs=[spec])[0]
        request = _request(context)
        category = spec.category if spec.rule == CarouselRule.CATEGORY else None
        return {
            "title": value.get("title") or "",
            "rule": spec.rule,
            "limit": spec.limit,
            "category": category_ref(category),
            "items": [sellable_card(item, request=request) for item in preloaded],
        }


def tiles_choice(value: Any) -> list[int | None]:
    """The categories a tiles block's value names (None for deleted ones)."""
    return [
        category.pk if category is not None else None
        for category in value.get("categories") or []
    ]


class CategoryTilesBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    categories = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="commerce.CategoryPage"),
        default=[],
        help_text="Leave empty to show the top categories.",
    )

    class Meta:
        icon = "table"
        label = "Category tiles"

    def get_api_representation(
        self, value: Any, context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from home.api.sections import category_tile
        from home.selectors import category_tiles_load

        preloaded = (context or {}).get(PRELOAD_KEY, {}).get(id(value))
        if preloaded is None:
            loaded = category_tiles_load(chosen=[tiles_choice(value)])
            preloaded = (loaded.tiles[0], loaded.counts)
        categories, counts = preloaded
        request = _request(context)
        return {
            "title": value.get("title") or "",
            "categories": [
                category_tile(category, counts=counts, request=request)
                for category in categories
            ],
        }


class HomeRichTextBlock(blocks.RichTextBlock):
    """Rich text whose API value is HTML, links and images expanded."""

    def get_api_representation(
        self, value: Any, context: dict[str, Any] | None = None
    ) -> str:
        from home.api.sections import rich_text_html

        return rich_text_html(value)


class HomeBodyBlock(blocks.StreamBlock):
    hero = HeroBlock()
    product_carousel = ProductCarouselBlock()
    category_tiles = CategoryTilesBlock()
    rich_text = HomeRichTextBlock(label="Rich text")

    def get_api_representation(
        self, value: Any, context: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        from home.selectors import carousels_load, category_tiles_load

        if value is None:
            return []
        carousels = [c.value for c in value if c.block_type == "product_carousel"]
        tiles = [c.value for c in value if c.block_type == "category_tiles"]
        preload: dict[int, Any] = {}
        if carousels:
            loaded = carousels_load(specs=[carousel_spec(v) for v in carousels])
            preload.update(zip(map(id, carousels), loaded, strict=True))
        if tiles:
            found = category_tiles_load(chosen=[tiles_choice(v) for v in tiles])
            preload.update(
                (id(v), (categories, found.counts))
                for v, categories in zip(tiles, found.tiles, strict=True)
            )
        context = {**(context or {}), PRELOAD_KEY: preload}
        representation: list[dict[str, Any]] = super().get_api_representation(
            value, context
        )
        return representation
