"""Customizations of every kind, attached to real catalogue items."""

import uuid
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commerce.catalogue.services.customizations import item_customization_attach
from customization.models import CustomerUpload, Customization
from customization.services import customization_create, upload_create
from tests.commerce.catalogue_factories import image_create

OPTIONS: dict[str, list[dict[str, Any]]] = {
    "button": [
        {
            "type": "button",
            "value": {"label": "Small", "value": "S", "price_delta": "0"},
        },
        {
            "type": "button",
            "value": {"label": "Large", "value": "L", "price_delta": "4.50"},
        },
    ],
    "color": [
        {
            "type": "color",
            "value": {"label": "Red", "value": "#ff0000", "price_delta": "1.25"},
        },
        {
            "type": "color",
            "value": {"label": "Blue", "value": "#0000ff", "price_delta": "0"},
        },
    ],
    "text": [
        {
            "type": "text",
            "value": {"label": "Message", "max_length": 12, "price_delta": "2.00"},
        }
    ],
    "upload": [
        {
            "type": "upload",
            "value": {
                "label": "Photo",
                "allowed_formats": ["PNG"],
                "max_size_kb": 50,
                "max_width": 100,
                "max_height": 100,
                "price_delta": "5.00",
            },
        }
    ],
}


def customization_make(
    kind: str, *, name: str | None = None, **fields: Any
) -> Customization:
    options = fields.pop("options", None)
    if options is None and kind == "image":
        options = [
            {
                "type": "image",
                "value": {
                    "label": "Hearts",
                    "image": image_create("hearts").pk,
                    "price_delta": "3.00",
                },
            },
            {
                "type": "image",
                "value": {
                    "label": "Stars",
                    "image": image_create("stars").pk,
                    "price_delta": "0",
                },
            },
        ]
    data = {
        "name": name or f"{kind.title()} choice",
        "kind": kind,
        "options": options or OPTIONS[kind],
        **fields,
    }
    return customization_create(data=data, publish=True, user=None)


def attach(
    item: Any,
    customization: Customization,
    requirement: str = "default",
    label: str = "",
) -> Any:
    return item_customization_attach(
        item=item,
        customization_id=customization.pk,
        requirement=requirement,
        label=label,
        publish=True,
        user=None,
    )


def png_bytes(size: tuple[int, int] = (1, 1), mode: str = "RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (4, 4), exif: bool = False) -> bytes:
    buffer = BytesIO()
    image = Image.new("RGB", size, (10, 200, 10))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x0131] = "Secret software"  # Software
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def upload_make(
    owner: Any, data: bytes | None = None, name: str = "photo.png"
) -> CustomerUpload:
    file = SimpleUploadedFile(name, data if data is not None else png_bytes())
    return upload_create(owner_id=owner.pk, file=file, original_name=name)


def guest_upload_make(
    guest_token: uuid.UUID, data: bytes | None = None, name: str = "photo.png"
) -> CustomerUpload:
    """An upload of the guest cart holding ``guest_token``."""
    file = SimpleUploadedFile(name, data if data is not None else png_bytes())
    return upload_create(guest_token=guest_token, file=file, original_name=name)
