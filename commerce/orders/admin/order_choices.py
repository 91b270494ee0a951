"""An order line's customization choices as staff see them, from the order's snapshot.

The snapshot is all an order keeps (``customization.services.choices_validate``):
a customization, option or image deleted since still shows what the customer chose,
and a snapshot in any other shape shows as text rather than failing the page.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from commerce.catalogue.selectors.line_images import (
    image_renditions_get,
    snapshot_choices,
    snapshot_image_id,
)
from commerce.orders.models import OrderLine
from customization.enums import CustomizationKind
from customization.models import CustomerUpload

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
UUID_TEXT = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE
)
THUMBNAIL_SPEC = "max-160x160"
SMALL_THUMBNAIL_SPEC = "fill-40x40"


@dataclass(frozen=True)
class ChoiceDisplay:
    kind: str
    label: str
    text: str
    price_delta: str = ""
    swatch: str = ""
    image_url: str = ""
    image_missing: bool = False
    upload_id: str = ""
    upload_missing: bool = False


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _upload_id(choice: dict[str, Any]) -> str:
    value = _text(choice.get("upload_id")).lower()
    return value if UUID_TEXT.match(value) else ""


def _price_delta(choice: dict[str, Any]) -> str:
    delta = _text(choice.get("price_delta"))
    return "" if delta in ("", "0", "0.00", "-0.00") else delta


def _display(choice: Any, images: dict[int, str], uploads: set[str]) -> ChoiceDisplay:
    if not isinstance(choice, dict):
        return ChoiceDisplay(kind="", label="Choice", text=_text(choice))
    kind = _text(choice.get("kind"))
    label = _text(choice.get("label") or choice.get("name")) or "Choice"
    option = _text(choice.get("option_label"))
    value = _text(choice.get("value"))
    base: dict[str, Any] = {
        "kind": kind,
        "label": label,
        "price_delta": _price_delta(choice),
    }
    if kind == CustomizationKind.COLOR:
        swatch = value if HEX_COLOUR.match(value) else ""
        return ChoiceDisplay(**base, text=option or value, swatch=swatch)
    if kind == CustomizationKind.IMAGE:
        image_id = snapshot_image_id(choice)
        url = images.get(image_id, "") if image_id is not None else ""
        return ChoiceDisplay(
            **base, text=option or value, image_url=url, image_missing=not url
        )
    if kind == CustomizationKind.UPLOAD:
        upload_id = _upload_id(choice)
        found = bool(upload_id) and upload_id in uploads
        return ChoiceDisplay(
            **base,
            text=f"{_text(choice.get('format'))} "
            f"{_text(choice.get('width'))}×{_text(choice.get('height'))}".strip(" ×"),
            upload_id=upload_id if found else "",
            upload_missing=not found,
        )
    if kind == CustomizationKind.BUTTON:
        text = f"{option} ({value})" if option and value and option != value else ""
        return ChoiceDisplay(**base, text=text or option or value)
    return ChoiceDisplay(**base, text=value or option)


def line_choices(
    lines: Iterable[OrderLine], *, spec: str = THUMBNAIL_SPEC
) -> dict[int, list[ChoiceDisplay]]:
    """Every line's choices by line pk, with image renditions and uploads in bulk."""
    lines = list(lines)
    snapshots = {
        line.pk: line.customizations if isinstance(line.customizations, list) else []
        for line in lines
    }
    choices = [c for s in snapshots.values() for c in snapshot_choices(s)]
    image_ids = {
        image_id
        for choice in choices
        if choice.get("kind") == CustomizationKind.IMAGE
        and (image_id := snapshot_image_id(choice)) is not None
    }
    upload_ids = {upload for c in choices if (upload := _upload_id(c))}
    images = {
        pk: rendition.url
        for pk, rendition in image_renditions_get(
            image_ids=image_ids, spec=spec
        ).items()
    }
    uploads = (
        {
            str(pk)
            for pk in CustomerUpload.objects.filter(pk__in=upload_ids).values_list(
                "pk", flat=True
            )
        }
        if upload_ids
        else set()
    )
    return {
        pk: [_display(choice, images, uploads) for choice in snapshot]
        for pk, snapshot in snapshots.items()
    }
