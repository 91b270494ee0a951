"""Customizations attached to products and packages, as page revisions."""

from django.core.exceptions import ValidationError

from commerce.accounts.models import User
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.services._shared import (
    _page_fresh,
    _revision_save,
    catalogue_write,
)
from commerce.exceptions import CatalogueNotFoundError
from customization.models import Customization
from customization.selectors import attached_entries


@catalogue_write
def item_customization_attach(
    *,
    item: ProductPage | PackagePage,
    customization_id: int,
    requirement: str,
    label: str,
    publish: bool,
    user: User | None,
) -> ProductPage | PackagePage:
    """Append a customization to the item's list, as a new page revision."""
    item = _page_fresh(item)
    if not Customization.objects.filter(pk=customization_id).exists():
        raise ValidationError({"customization": ["Unknown customization."]})
    draft: ProductPage | PackagePage = item.get_latest_revision_as_object()
    raw = list(draft.customizations.raw_data)
    if any(
        entry["customization"] == customization_id
        for entry in attached_entries(raw_stream=raw)
    ):
        raise ValidationError({"customization": ["Already attached to this item."]})
    raw.append(
        {
            "type": "customization",
            "value": {
                "customization": customization_id,
                "requirement": requirement,
                "label": label,
            },
        }
    )
    draft.customizations = raw
    return _revision_save(page=draft, publish=publish, user=user)


@catalogue_write
def item_customization_detach(
    *,
    item: ProductPage | PackagePage,
    customization_id: int,
    publish: bool,
    user: User | None,
) -> ProductPage | PackagePage:
    item = _page_fresh(item)
    draft: ProductPage | PackagePage = item.get_latest_revision_as_object()
    raw = list(draft.customizations.raw_data)
    kept = [
        block
        for block in raw
        if (block.get("value") or {}).get("customization") != customization_id
    ]
    if len(kept) == len(raw):
        raise CatalogueNotFoundError("The customization is not attached to this item.")
    draft.customizations = kept
    return _revision_save(page=draft, publish=publish, user=user)
