"""Writes of customizations, validation of a customer's choices, and customer uploads."""

import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.blocks import StreamBlockValidationError, StreamValue
from wagtail.log_actions import log

from customization.blocks import CustomizationOptionsBlock
from customization.enums import CustomizationKind
from customization.exceptions import CustomizationInUseError, UploadsBusyError
from customization.models import CustomerUpload, Customization
from customization.selectors import (
    AttachedCustomization,
    customization_attachment_exists,
)

CENTS = Decimal("0.01")
DEFINITION_FIELDS = ("name", "kind", "help_text", "is_required", "needs_approval")


# DEFINITIONS


def _block_errors(error: Exception) -> list[str]:
    """Flatten a StreamField validation error into readable messages."""
    if isinstance(error, StreamBlockValidationError):
        messages = [str(e) for e in error.non_block_errors]
        for index, block_error in error.block_errors.items():
            detail = getattr(block_error, "block_errors", None)
            if isinstance(detail, dict):
                for name, errors in detail.items():
                    messages.append(f"option {index + 1}, {name}: {_message(errors)}")
            else:
                messages.append(f"option {index + 1}: {_message(block_error)}")
        return messages or ["Invalid options."]
    return [_message(error)]


def _message(error: Any) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, list):
        return "; ".join(_message(item) for item in error)
    return str(error)


def _options_parse(raw_options: list[dict[str, Any]]) -> StreamValue:
    block = CustomizationOptionsBlock()
    try:
        value = block.to_python(raw_options)
        return block.clean(value)
    except (ValidationError, StreamBlockValidationError) as error:
        raise ValidationError({"options": _block_errors(error)}) from error
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise ValidationError({"options": ["Malformed options."]}) from error


def _definition_apply(customization: Customization, data: dict[str, Any]) -> None:
    for name in DEFINITION_FIELDS:
        if name in data:
            setattr(customization, name, data[name])
    if "options" in data:
        customization.options = _options_parse(data["options"])
    customization.full_clean()


def _revision_save(
    customization: Customization, *, publish: bool, user: Any
) -> Customization:
    revision = customization.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        customization.refresh_from_db()
    return customization


@transaction.atomic
def customization_create(
    *, data: dict[str, Any], publish: bool, user: Any
) -> Customization:
    customization = Customization(live=False)
    _definition_apply(customization, data)
    customization.save()
    log(instance=customization, action="wagtail.create", user=user)
    return _revision_save(customization, publish=publish, user=user)


@transaction.atomic
def customization_update(
    *, customization: Customization, data: dict[str, Any], publish: bool, user: Any
) -> Customization:
    """Save changes as a new revision of the latest draft; published on request."""
    draft = customization.get_latest_revision_as_object()
    _definition_apply(draft, data)
    return _revision_save(draft, publish=publish, user=user)


@transaction.atomic
def customization_delete(*, customization: Customization, user: Any) -> None:
    if customization_attachment_exists(customization_id=customization.pk):
        raise CustomizationInUseError()
    log(instance=customization, action="wagtail.delete", user=user, deleted=True)
    customization.delete()


# GUEST TOKENS

GuestTokenValidator = Callable[[uuid.UUID], bool]

_guest_token_validator: GuestTokenValidator | None = None


def guest_token_validator_register(validator: GuestTokenValidator) -> None:
    """Set the check that says whether a guest token is a live guest cart's token.

    The app that owns carts registers it at start-up (this app never imports it).
    Until one is registered every guest token is refused; registering again replaces
    the previous check.
    """
    global _guest_token_validator
    _guest_token_validator = validator


def guest_token_is_live(*, guest_token: uuid.UUID) -> bool:
    """Whether ``guest_token`` may upload and see its uploads (refused if no check)."""
    validator = _guest_token_validator
    return validator is not None and bool(validator(guest_token))


# CHOICES


@dataclass(frozen=True)
class ValidatedChoices:
    """A customer's choices for one item, as an order keeps them.

    ``snapshot`` copies names, labels, values and price deltas, so later edits of the
    definitions never change a placed order.
    """

    snapshot: list[dict[str, Any]] = field(default_factory=list)
    price_delta_total: Decimal = Decimal("0.00")
    needs_approval: bool = False
    upload_ids: list[str] = field(default_factory=list)


def _option_of(customization: Customization, option_id: Any) -> Any:
    for block in customization.options:
        if str(block.id) == str(option_id):
            return block
    return None


def _choice_error(label: str, message: str) -> ValidationError:
    return ValidationError({"customizations": [f"{label}: {message}"]})


def _upload_check(
    *,
    label: str,
    option: Any,
    upload_id: Any,
    owner_id: int | None,
    guest_token: uuid.UUID | None,
) -> CustomerUpload:
    upload_pk = _uuid_or_none(upload_id)
    upload = None
    if upload_pk is not None:
        uploads = CustomerUpload.objects.filter(pk=upload_pk)
        if owner_id is not None:
            uploads = uploads.filter(owner_id=owner_id)
        else:
            uploads = uploads.filter(guest_token=guest_token, owner__isnull=True)
        upload = uploads.first()
    if upload is None:
        raise _choice_error(label, "unknown upload.")
    rules = option.value
    if upload.format not in (rules["allowed_formats"] or []):
        raise _choice_error(label, f"{upload.format} images are not accepted here.")
    if upload.size > rules["max_size_kb"] * 1024:
        raise _choice_error(label, "the photo is too large.")
    if upload.width > rules["max_width"] or upload.height > rules["max_height"]:
        raise _choice_error(label, "the photo has too many pixels.")
    return upload


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _choice_normalize(
    *,
    attached: AttachedCustomization,
    value: Any,
    owner_id: int | None,
    guest_token: uuid.UUID | None,
) -> tuple[dict[str, Any], Decimal, str | None]:
    customization = attached.customization
    label = attached.label
    base = {
        "customization_id": customization.pk,
        "name": customization.name,
        "label": label,
        "kind": customization.kind,
        "needs_approval": customization.needs_approval,
    }
    kind = customization.kind
    if kind in (
        CustomizationKind.BUTTON,
        CustomizationKind.COLOR,
        CustomizationKind.IMAGE,
    ):
        option = _option_of(customization, value)
        if option is None:
            raise _choice_error(label, "choose one of the offered options.")
        delta = Decimal(option.value["price_delta"] or 0).quantize(CENTS)
        chosen: dict[str, Any] = {
            "option_id": str(option.id),
            "option_label": option.value["label"],
        }
        if kind == CustomizationKind.IMAGE:
            chosen["image_id"] = (
                option.value["image"].pk if option.value["image"] else None
            )
        else:
            chosen["value"] = option.value["value"]
        return {**base, **chosen, "price_delta": str(delta)}, delta, None
    option = customization.options[0]
    delta = Decimal(option.value["price_delta"] or 0).quantize(CENTS)
    if kind == CustomizationKind.TEXT:
        if not isinstance(value, str) or not value.strip():
            raise _choice_error(label, "enter some text.")
        if "\x00" in value:
            # PostgreSQL cannot store NUL in text or JSON.
            raise _choice_error(label, "the text contains a null character.")
        if len(value) > option.value["max_length"]:
            raise _choice_error(
                label, f"at most {option.value['max_length']} characters are allowed."
            )
        return {**base, "value": value, "price_delta": str(delta)}, delta, None
    if owner_id is None and guest_token is None:
        raise _choice_error(
            label, "log in or upload the photo with your cart token first."
        )
    upload = _upload_check(
        label=label,
        option=option,
        upload_id=value,
        owner_id=owner_id,
        guest_token=guest_token,
    )
    snapshot = {
        **base,
        "upload_id": str(upload.pk),
        "format": upload.format,
        "width": upload.width,
        "height": upload.height,
        "price_delta": str(delta),
    }
    return snapshot, delta, str(upload.pk)


def choices_validate(
    *,
    attached: list[AttachedCustomization],
    choices: list[dict[str, Any]],
    owner_id: int | None,
    guest_token: uuid.UUID | None = None,
) -> ValidatedChoices:
    """Check a customer's choices against what the item offers.

    ``choices`` is ``[{"customization": id, "value": ...}]``: an option id for button,
    colour and image; the text for text; an upload id for upload. The upload must
    belong to ``owner_id`` when it is given, else to the guest cart ``guest_token``;
    with neither, upload choices are refused. Every required customization must be
    answered; unknown ones are refused. Raises ValidationError naming the
    customization.
    """
    offered = {entry.customization.pk: entry for entry in attached}
    given: dict[int, Any] = {}
    for choice in choices:
        customization_id = choice.get("customization")
        if customization_id not in offered:
            raise ValidationError(
                {
                    "customizations": [
                        f"Customization {customization_id} is not offered here."
                    ]
                }
            )
        if customization_id in given:
            raise _choice_error(offered[customization_id].label, "answered twice.")
        given[customization_id] = choice.get("value")
    snapshot, total, needs_approval, uploads = [], Decimal("0.00"), False, []
    for entry in attached:
        value = given.get(entry.customization.pk)
        if value in (None, ""):
            if entry.is_required:
                raise _choice_error(entry.label, "this customization is required.")
            continue
        line, delta, upload_id = _choice_normalize(
            attached=entry, value=value, owner_id=owner_id, guest_token=guest_token
        )
        snapshot.append(line)
        total += delta
        needs_approval = needs_approval or entry.customization.needs_approval
        if upload_id:
            uploads.append(upload_id)
    return ValidatedChoices(
        snapshot=snapshot,
        price_delta_total=total.quantize(Decimal("0.01")),
        needs_approval=needs_approval,
        upload_ids=uploads,
    )


# UPLOADS

ALLOWED_UPLOAD_FORMATS = ("JPEG", "PNG", "WEBP")
# Modes each format stores as they are; anything else is converted once.
KEPT_MODES = {
    "JPEG": ("L", "RGB"),
    "PNG": ("1", "L", "LA", "RGB", "RGBA"),
    "WEBP": ("RGB", "RGBA"),
}
JPEG_DRAFT_SCALES = (2, 4, 8)


def _upload_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded photo: the pixels only, no EXIF, GPS, ICC or text chunks."""

    format: str
    width: int
    height: int
    content: bytes


_decode_slots: dict[int, threading.BoundedSemaphore] = {}
_decode_slots_lock = threading.Lock()


def upload_decode_slot() -> threading.BoundedSemaphore:
    """The per-process semaphore that caps concurrent decodes (one per setting)."""
    size = max(1, settings.CUSTOMER_UPLOAD_CONCURRENT_DECODES)
    with _decode_slots_lock:
        return _decode_slots.setdefault(size, threading.BoundedSemaphore(size))


@contextmanager
def _decode_slot_held() -> Iterator[None]:
    """Hold a decode slot, waiting up to CUSTOMER_UPLOAD_DECODE_WAIT_SECONDS."""
    slot = upload_decode_slot()
    if not slot.acquire(timeout=settings.CUSTOMER_UPLOAD_DECODE_WAIT_SECONDS):
        raise UploadsBusyError()
    try:
        yield
    finally:
        slot.release()


def _jpeg_draft_scale(width: int, height: int, max_pixels: int) -> int:
    """The smallest DCT scale (1, 2, 4, 8) that brings a JPEG within ``max_pixels``."""
    if width * height <= max_pixels:
        return 1
    for scale in JPEG_DRAFT_SCALES:
        if (width // scale) * (height // scale) <= max_pixels:
            return scale
    return 0


def _image_open(
    data: bytes,
    *,
    max_pixels: int,
    fit: tuple[int, int] | None = None,
    reduce: bool = True,
) -> Image.Image:
    """Open and decode an image once, refusing anything that is not a safe raster.

    The pixel limit is checked on the header, before any pixel is decoded. With
    ``reduce``, a JPEG above it is decoded at 1/2, 1/4 or 1/8 of its size
    (``Image.draft``), which costs less memory than a full decode, when that brings
    it within the limit.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(BytesIO(data))
            if image.format not in ALLOWED_UPLOAD_FORMATS:
                raise _upload_error("Upload a JPEG, PNG or WebP photo.")
            scale = 1
            if image.format == "JPEG" and reduce:
                scale = _jpeg_draft_scale(image.width, image.height, max_pixels)
            elif image.width * image.height > max_pixels:
                scale = 0
            if scale == 0:
                raise _upload_error("The photo has too many pixels.")
            if image.format == "JPEG" and (scale > 1 or fit is not None):
                mode = "L" if image.mode == "L" else "RGB"
                size = fit or (image.width // scale, image.height // scale)
                image.draft(mode, size)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _upload_error("The photo has too many pixels.") from error
        except (UnidentifiedImageError, SyntaxError, OSError, ValueError) as error:
            raise _upload_error("The file is not a supported image.") from error
    return image


def _image_clean(image: Image.Image, *, image_format: str) -> Image.Image:
    """Upright, in a mode the format stores, without metadata; at most one copy alive.

    Each step that needs a new image replaces the previous one, so the decoded
    pixels exist at most twice, and only for the duration of that step.
    """
    # In place: without an orientation tag nothing is copied (the default copies).
    ImageOps.exif_transpose(image, in_place=True)
    if image.mode not in KEPT_MODES[image_format]:
        has_alpha = image.has_transparency_data and image_format != "JPEG"
        converted = image.convert("RGBA" if has_alpha else "RGB")
        image.close()
        image = converted
    # A fresh save writes only what ``info`` still holds (PNG falls back to its ICC).
    image.info = {}
    return image


def image_reencode(
    *, data: bytes, max_pixels: int, fit: tuple[int, int] | None = None
) -> CleanImage:
    """Decode ``data`` once and write a clean copy in its own format.

    ``fit`` shrinks the image to fit in that box (avatars); photos keep their size.
    At most CUSTOMER_UPLOAD_CONCURRENT_DECODES decodes run at once per process; a
    caller waits up to CUSTOMER_UPLOAD_DECODE_WAIT_SECONDS for a slot, then gets
    UploadsBusyError. Raises ValidationError ``{"file": [...]}`` for a bad image.
    """
    with _decode_slot_held():
        image = _image_open(data, max_pixels=max_pixels, fit=fit)
        image_format = str(image.format)
        image = _image_clean(image, image_format=image_format)
        if fit is not None:
            image.thumbnail(fit)
        output = BytesIO()
        options: dict[str, Any] = (
            {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        )
        image.save(output, format=image_format, **options)
        width, height = image.size
        image.close()
    return CleanImage(
        format=image_format, width=width, height=height, content=output.getvalue()
    )


@dataclass(frozen=True)
class CheckedImage:
    """An uploaded file that passed the image checks, kept as it was uploaded."""

    data: bytes
    format: str
    width: int
    height: int


def _upload_read(file: IO[bytes]) -> bytes:
    limit = settings.CUSTOMER_UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _upload_error(f"The file is larger than {limit // 1024} KB.")
    return data


def image_upload_check(*, file: IO[bytes]) -> CheckedImage:
    """The checks every image upload goes through (customers' photos, staff images).

    The size limit (``CUSTOMER_UPLOAD_MAX_BYTES``) is enforced while reading, at most
    one byte past it, so an oversized file is refused without being loaded whole; the
    type is sniffed from the content (JPEG, PNG, WebP), never from the name; more
    pixels than ``CUSTOMER_UPLOAD_MAX_PIXELS`` (decompression bombs) are refused
    before decoding. The file is decoded once (in a decode slot) to prove it is whole.
    Raises ValidationError on ``file``.
    """
    data = _upload_read(file)
    with _decode_slot_held():
        image = _image_open(
            data, max_pixels=settings.CUSTOMER_UPLOAD_MAX_PIXELS, reduce=False
        )
        checked = CheckedImage(
            data=data, format=str(image.format), width=image.width, height=image.height
        )
        image.close()
    return checked


def upload_create(
    *,
    owner_id: int | None = None,
    guest_token: uuid.UUID | None = None,
    file: IO[bytes],
    original_name: str = "",
) -> CustomerUpload:
    """Store a photo after checking its content, and strip its metadata.

    The upload belongs to the customer ``owner_id`` or to the guest cart
    ``guest_token``: exactly one is given (ValueError otherwise); callers check that
    a guest token is live (``guest_token_is_live``). Reads at most one byte past the
    size limit, so an oversized file is refused without being loaded whole. The
    decode runs before any transaction opens.
    """
    if (owner_id is None) == (guest_token is None):
        raise ValueError("Give exactly one of owner_id and guest_token.")
    data = _upload_read(file)
    clean = image_reencode(data=data, max_pixels=settings.CUSTOMER_UPLOAD_MAX_PIXELS)
    del data
    upload = CustomerUpload(
        owner_id=owner_id,
        guest_token=guest_token,
        original_name=original_name[:255],
        format=clean.format,
        width=clean.width,
        height=clean.height,
        size=len(clean.content),
        expires_at=timezone.now() + timedelta(hours=settings.CUSTOMER_UPLOAD_TTL_HOURS),
    )
    with transaction.atomic():
        upload.file.save(
            f"{upload.pk}.{clean.format.lower()}",
            ContentFile(clean.content),
            save=False,
        )
        upload.save()
    return upload


def uploads_guest_adopt(*, guest_token: uuid.UUID, owner_id: int) -> int:
    """Give a guest cart's uploads to the customer it merges into; returns how many.

    Called when a guest cart is merged into a customer's cart at login: the uploads
    its lines refer to then validate as the customer's. The token no longer reaches
    them.
    """
    return CustomerUpload.objects.filter(
        guest_token=guest_token, owner__isnull=True
    ).update(owner_id=owner_id, guest_token=None)


def uploads_expired_delete(*, now: datetime | None = None) -> int:
    """Remove uploads that no order used before they expired; returns how many."""
    now = now or timezone.now()
    expired = CustomerUpload.objects.filter(used_at__isnull=True, expires_at__lt=now)
    count = 0
    for upload in expired.iterator():
        upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
