"""Images of cart and order lines: the item's thumbnail and chosen image options.

Loaded for a whole cart or page of orders at once (a constant number of queries,
renditions prefetched), so a frontend needs no request per line.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from wagtail.images import get_image_model

from commerce.catalogue.models import (
    GALLERY_IMAGE_MODELS,
    IMAGE_RENDITIONS,
    PackagePage,
    ProductPage,
    SellablePageImage,
)
from config.images import rendition_or_none
from customization.enums import CustomizationKind

LINE_THUMBNAIL_SPEC = IMAGE_RENDITIONS["thumbnail"]
# The same rendition as the option images of a customization (customization/api).
CHOICE_IMAGE_SPEC = "fill-200x200"


@dataclass(frozen=True)
class LineImages:
    """Renditions by ``(kind, item id)`` and by chosen image id."""

    thumbnails: dict[tuple[str, int], Any] = field(default_factory=dict)
    choice_images: dict[int, Any] = field(default_factory=dict)

    def thumbnail(self, *, kind: str, item_id: int | None) -> Any:
        if item_id is None:
            return None
        return self.thumbnails.get((kind, item_id))


def image_renditions_get(*, image_ids: set[int], spec: str) -> dict[int, Any]:
    """Renditions of the images ``image_ids`` by image id, in two queries."""
    if not image_ids:
        return {}
    images = get_image_model().objects.filter(pk__in=image_ids)
    renditions = {
        image.pk: rendition_or_none(image, spec)
        for image in images.prefetch_renditions(spec)
    }
    return {pk: rendition for pk, rendition in renditions.items() if rendition}


def _first_images(model: type[SellablePageImage], page_ids: set[int]) -> dict[int, Any]:
    if not page_ids:
        return {}
    images = get_image_model().objects.prefetch_renditions(LINE_THUMBNAIL_SPEC)
    first: dict[int, Any] = {}
    gallery = (
        model.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "sort_order", "pk")
        .prefetch_related(Prefetch("image", queryset=images))
    )
    for entry in gallery:
        if entry.page_id not in first and entry.image is not None:
            first[entry.page_id] = rendition_or_none(entry.image, LINE_THUMBNAIL_SPEC)
    return {page_id: rendition for page_id, rendition in first.items() if rendition}


# The attribute of an item loaded with its first gallery image's id (or None).
FIRST_IMAGE = "first_gallery_image_id"


def first_image_id_subquery(*, kind: str, page: str = "pk") -> Subquery:
    """The id of the first gallery image of the ``kind`` item at ``page``, or None.

    Annotated as ``FIRST_IMAGE`` where the items are loaded, so their line images
    need no gallery query (``line_images_of_items``).
    """
    gallery = GALLERY_IMAGE_MODELS[kind]
    return Subquery(
        gallery.objects.filter(page_id=OuterRef(page), image__isnull=False)
        .order_by("sort_order", "pk")
        .values("image_id")[:1]
    )


def line_images_of_items(
    *, items: Iterable[ProductPage | PackagePage], image_ids: set[int]
) -> LineImages | None:
    """``line_images_get`` for items loaded with ``FIRST_IMAGE``: no gallery query.

    None when an item was loaded without it.
    """
    first: dict[tuple[str, int], int | None] = {}
    for item in items:
        if not hasattr(item, FIRST_IMAGE):
            return None
        first[(item.kind, item.pk)] = getattr(item, FIRST_IMAGE)
    renditions = image_renditions_get(
        image_ids={image_id for image_id in first.values() if image_id is not None},
        spec=LINE_THUMBNAIL_SPEC,
    )
    return LineImages(
        thumbnails={
            key: renditions[image_id]
            for key, image_id in first.items()
            if image_id in renditions
        },
        choice_images=image_renditions_get(image_ids=image_ids, spec=CHOICE_IMAGE_SPEC),
    )


MAX_IMAGE_ID = 2**63 - 1
DIGITS = re.compile(r"^[0-9]{1,19}$")


def snapshot_choices(value: Any) -> list[dict[str, Any]]:
    """The choices of an order or cart line's snapshot; anything else is left out."""
    if not isinstance(value, list):
        return []
    return [choice for choice in value if isinstance(choice, dict)]


def snapshot_image_id(choice: dict[str, Any]) -> int | None:
    """The image id an image-kind choice names, when it can be a database id."""
    value = choice.get("image_id")
    if isinstance(value, str) and DIGITS.match(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_IMAGE_ID else None
    return None


def chosen_image_ids(choices: Iterable[dict[str, Any]]) -> set[int]:
    return {
        image_id
        for choice in choices
        if choice.get("kind") == CustomizationKind.IMAGE
        and (image_id := snapshot_image_id(choice)) is not None
    }


def line_images_get(
    *, product_ids: set[int], package_ids: set[int], image_ids: set[int]
) -> LineImages:
    """Thumbnails of the items' first gallery image, and the chosen option images."""
    thumbnails: dict[tuple[str, int], Any] = {}
    for kind, page_ids in (
        (ProductPage.kind, product_ids),
        (PackagePage.kind, package_ids),
    ):
        gallery = GALLERY_IMAGE_MODELS[kind]
        for page_id, rendition in _first_images(gallery, page_ids).items():
            thumbnails[(kind, page_id)] = rendition
    choice_images = image_renditions_get(image_ids=image_ids, spec=CHOICE_IMAGE_SPEC)
    return LineImages(thumbnails=thumbnails, choice_images=choice_images)
