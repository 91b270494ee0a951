"""How cart and order lines show their images (URLs absolute when there is a request)."""

from typing import Any

from rest_framework import serializers

from commerce.catalogue.selectors.line_images import (
    LineImages,
    snapshot_choices,
    snapshot_image_id,
)
from customization.enums import CustomizationKind


def _url(request: Any, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def thumbnail_body(rendition: Any, request: Any) -> dict[str, Any] | None:
    if rendition is None:
        return None
    return {
        "url": _url(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def choices_body(
    choices: list[dict[str, Any]], images: LineImages, request: Any, *, currency: str
) -> list[dict[str, Any]]:
    """The choices, each with the ``currency`` of its price delta.

    Each image-kind choice has ``image: {id, url}`` (or null).
    """
    body = []
    for choice in snapshot_choices(choices):
        choice = {**choice, "currency": currency}
        if choice.get("kind") == CustomizationKind.IMAGE:
            image_id = snapshot_image_id(choice)
            rendition = images.choice_images.get(image_id) if image_id else None
            choice = {
                **choice,
                "image": None
                if rendition is None
                else {"id": image_id, "url": _url(request, rendition.url)},
            }
        body.append(choice)
    return body


class LineThumbnailOutputSerializer(serializers.Serializer[Any]):
    """For the schema: the item's first gallery image, as a thumbnail rendition."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
