"""Image renditions that never fail a page or a response."""

import logging
from typing import Any

from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)


def rendition_or_none(image: Any, spec: str) -> Any:
    """``image``'s rendition, or None when its file is missing or unreadable.

    An order outlives the images it shows: a picture whose file has gone shows as
    missing instead of failing the page or the response.
    """
    try:
        return image.get_rendition(spec)
    except (SourceImageIOError, OSError, ValueError):
        logger.warning("No %s rendition of image %s", spec, image.pk)
        return None
