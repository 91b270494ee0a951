"""Catalogue images as the API shows them (renditions with absolute URLs), uploads."""

from typing import Any

from rest_framework import serializers

from commerce.catalogue.models import IMAGE_RENDITIONS
from config.images import rendition_or_none

# OUTPUT


def _absolute(request: Any, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def rendition_body(request: Any, rendition: Any) -> dict[str, Any]:
    """``{url, width, height}`` of a rendition, its URL absolute."""
    return {
        "url": _absolute(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


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
        renditions[name] = rendition_body(request, rendition)
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


# INPUT


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
