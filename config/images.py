"""Image renditions that never fail a page or a response."""

import logging
from typing import Any

from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)


def rendition_or_none(image: Any, spec: str) -> Any:
    """``image``'s rendition, or None when its file is missing or unreadable.

    An order outlives the images it shows: a picture whose file has gone shows as
    missing instead of failing the page or the response.

    A rendition the caller prefetched is used as it is: Wagtail's ``get_rendition``
    would also write it to the renditions cache, a round trip to Redis for every
    image of every card of a list.
    """
    try:
        filter_ = image.clean_filter_for_svg(Filter(spec=spec))
        # Wagtail's prefetch_renditions() keeps them in ``prefetched_renditions``.
        if hasattr(image, "prefetched_renditions") or "renditions" in getattr(
            image, "_prefetched_objects_cache", {}
        ):
            existing = image.find_existing_renditions(filter_).get(filter_)
            if existing is not None:
                return existing
        return image.get_rendition(filter_)
    except (SourceImageIOError, OSError, ValueError):
        logger.warning("No %s rendition of image %s", spec, image.pk)
        return None
