"""Reads of customizations, and of which pages attach them.

Pages are found generically (any Wagtail page model with a ``customizations``
StreamField), so this app never imports the catalogue.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.functions import Cast
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

from customization.enums import AttachmentRequirement
from customization.exceptions import CustomizationNotFoundError
from customization.models import CustomerUpload, Customization

ATTACHMENT_FIELD = "customizations"


@dataclass(frozen=True)
class AttachedCustomization:
    """A customization as one item offers it: in order, with the item's overrides."""

    customization: Customization
    is_required: bool
    label: str
    position: int


def attachment_page_models() -> list[type[Page]]:
    """Every page model that can attach customizations."""
    found = []
    for model in get_page_models():
        try:
            field = model._meta.get_field(ATTACHMENT_FIELD)
        except FieldDoesNotExist:
            continue
        if isinstance(field, StreamField):
            found.append(model)
    return found


def attached_entries(*, raw_stream: Any) -> list[dict[str, Any]]:
    """``[{"customization": id, "requirement": ..., "label": ...}]`` from a page's raw stream."""
    entries = []
    for block in raw_stream or []:
        if block.get("type") != "customization":
            continue
        value = block.get("value") or {}
        if value.get("customization"):
            entries.append(
                {
                    "customization": int(value["customization"]),
                    "requirement": value.get("requirement")
                    or AttachmentRequirement.DEFAULT,
                    "label": value.get("label") or "",
                }
            )
    return entries


def customizations_by_id(
    *, raw_streams: list[Any], include_drafts: bool = False
) -> dict[int, Customization]:
    """Every customization the given items attach, in one query (for list pages)."""
    ids = {
        entry["customization"]
        for raw_stream in raw_streams
        for entry in attached_entries(raw_stream=_raw(raw_stream))
    }
    if not ids:
        return {}
    queryset = (
        Customization.objects.all()
        if include_drafts
        else Customization.objects.filter(live=True)
    )
    return queryset.in_bulk(list(ids))


def item_customizations(
    *,
    raw_stream: Any,
    include_drafts: bool = False,
    preloaded: dict[int, Customization] | None = None,
) -> list[AttachedCustomization]:
    """The customizations an item offers, in order.

    Unpublished customizations are left out unless ``include_drafts``. Pass
    ``preloaded`` (from ``customizations_by_id``) to avoid a query per item.
    """
    entries = attached_entries(raw_stream=_raw(raw_stream))
    if preloaded is None:
        preloaded = customizations_by_id(
            raw_streams=[raw_stream], include_drafts=include_drafts
        )
    found = {
        pk: customization
        for pk, customization in preloaded.items()
        if include_drafts or customization.live
    }
    attached = []
    for position, entry in enumerate(entries):
        customization = found.get(entry["customization"])
        if customization is None:
            continue
        requirement = entry["requirement"]
        is_required = (
            customization.is_required
            if requirement == AttachmentRequirement.DEFAULT
            else requirement == AttachmentRequirement.REQUIRED
        )
        attached.append(
            AttachedCustomization(
                customization=customization,
                is_required=is_required,
                label=entry["label"] or customization.name,
                position=position,
            )
        )
    return attached


def _contains_query(customization_ids: list[int]) -> models.Q:
    query = models.Q()
    for customization_id in customization_ids:
        query |= models.Q(
            customizations_json__contains=[
                {"type": "customization", "value": {"customization": customization_id}}
            ]
        )
    return query


def pages_with_customizations(
    *,
    model: type[Page],
    customization_ids: list[int],
    queryset: QuerySet[Any] | None = None,
) -> QuerySet[Any]:
    """Pages of ``model`` attaching any of ``customization_ids``.

    PostgreSQL answers with a JSONB containment (``@>``) query; other databases scan
    the pages that have any customization in Python.
    """
    pages: QuerySet[Any] = model.objects.all() if queryset is None else queryset
    if not customization_ids:
        return pages.none()
    if connection.vendor == "postgresql":
        containing: QuerySet[Any] = pages.annotate(
            customizations_json=Cast(ATTACHMENT_FIELD, output_field=models.JSONField())
        ).filter(_contains_query(customization_ids))
        return containing
    wanted = set(customization_ids)
    matching = [
        pk
        for pk, raw in model.objects.values_list("pk", ATTACHMENT_FIELD)
        if wanted
        & {entry["customization"] for entry in attached_entries(raw_stream=_raw(raw))}
    ]
    return pages.filter(pk__in=matching)


def _raw(value: Any) -> Any:
    if hasattr(value, "raw_data"):
        return list(value.raw_data)
    if isinstance(value, str):
        return json.loads(value or "[]")
    return value or []


def customization_attachment_exists(*, customization_id: int) -> bool:
    return any(
        pages_with_customizations(
            model=model, customization_ids=[customization_id]
        ).exists()
        for model in attachment_page_models()
    )


def customization_list(
    *, kind: str | None = None, page_id: int | None = None, include_drafts: bool = False
) -> QuerySet[Customization]:
    queryset = (
        Customization.objects.all()
        if include_drafts
        else Customization.objects.filter(live=True)
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if page_id is not None:
        page = Page.objects.filter(pk=page_id).first()
        specific = page.specific if page is not None else None
        raw = getattr(specific, ATTACHMENT_FIELD, None)
        if raw is None or (not include_drafts and not page.live):
            return queryset.none()
        ids = [
            entry["customization"] for entry in attached_entries(raw_stream=_raw(raw))
        ]
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("name", "pk")


def customization_get(
    *, customization_id: int, include_drafts: bool = False
) -> Customization:
    customization = (
        customization_list(include_drafts=include_drafts)
        .filter(pk=customization_id)
        .first()
    )
    if customization is None:
        raise CustomizationNotFoundError()
    return customization


def customization_ids_of_kind(*, kind: str) -> list[int]:
    return list(
        Customization.objects.filter(live=True)
        .filter(kind=kind)
        .values_list("pk", flat=True)
    )


def upload_get(
    *,
    upload_id: Any,
    viewer_id: int | None,
    viewer_is_staff: bool,
    guest_token: uuid.UUID | None = None,
) -> CustomerUpload:
    """The upload ``upload_id`` if the viewer may see it; else not found.

    The viewer may when they own it, are staff, or hold the guest cart token it was
    uploaded with (``guest_token``, already checked live by the caller). Anyone else
    gets not found, so an upload's existence is not revealed.
    """
    upload: CustomerUpload | None = CustomerUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        raise CustomizationNotFoundError()
    is_owner = viewer_id is not None and upload.owner_id == viewer_id
    is_guest = guest_token is not None and upload.guest_token == guest_token
    if not (is_owner or is_guest or viewer_is_staff):
        raise CustomizationNotFoundError()
    return upload
