"""What the catalogue views share: the product/package kinds and serializer context."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from commerce.catalogue.api.permissions import is_catalogue_staff
from commerce.catalogue.api.serializers.common import (
    DRAFT_VERSION,
    CatalogueVersionSerializer,
)
from commerce.catalogue.api.serializers.sellables import (
    PackageInputSerializer,
    PackageOutputSerializer,
    ProductInputSerializer,
    ProductOutputSerializer,
)
from commerce.catalogue.selectors.categories import category_map
from commerce.catalogue.selectors.sellables import (
    package_get,
    package_list,
    package_queryset,
    product_get,
    product_list,
    product_queryset,
    sellable_latest_draft,
)
from commerce.catalogue.services.sellables import (
    package_create,
    package_delete,
    package_update,
    product_create,
    product_delete,
    product_update,
)
from commerce.exceptions import CatalogueNotFoundError
from customization.selectors import customizations_by_id

PUBLISH_NOTE = (
    "Changes are saved as a Wagtail revision; with publish=false they stay a draft. "
    "The answer shows the revision saved (a draft has has_unpublished_changes=true; "
    "the live version is unchanged until published). Managers and administrators only."
)


@dataclass(frozen=True)
class SellableKind:
    """What differs between the product and the package endpoints."""

    name: str
    plural: str
    list: Callable[..., Any]
    get: Callable[..., Any]
    # The public items (live, active), loaded for the serializers.
    queryset: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., str]
    output: type[serializers.Serializer[Any]]
    input: type[serializers.Serializer[Any]]


PRODUCTS = SellableKind(
    name="product",
    plural="products",
    list=product_list,
    get=product_get,
    queryset=product_queryset,
    create=lambda *, data, publish, user: product_create(
        data=data, publish=publish, user=user
    ),
    update=lambda *, item, data, publish, user: product_update(
        product=item, data=data, publish=publish, user=user
    ),
    delete=lambda *, item, force, user: product_delete(
        product=item, force=force, user=user
    ),
    output=ProductOutputSerializer,
    input=ProductInputSerializer,
)
PACKAGES = SellableKind(
    name="package",
    plural="packages",
    list=package_list,
    get=package_get,
    queryset=package_queryset,
    create=lambda *, data, publish, user: package_create(
        data=data, publish=publish, user=user
    ),
    update=lambda *, item, data, publish, user: package_update(
        package=item, data=data, publish=publish, user=user
    ),
    delete=lambda *, item, force, user: package_delete(
        package=item, force=force, user=user
    ),
    output=PackageOutputSerializer,
    input=PackageInputSerializer,
)
SELLABLE_KINDS = {kind.name: kind for kind in (PRODUCTS, PACKAGES)}


def serializer_context(
    request: Request, items: Any = None, *, include_drafts: bool = False
) -> dict[str, Any]:
    """Serializer context with the lookups a whole page of items shares."""
    context: dict[str, Any] = {"request": request, "categories": category_map()}
    if items is not None:
        context["customizations"] = customizations_by_id(
            raw_streams=[item.customizations.raw_data for item in items],
            include_drafts=include_drafts,
        )
    return context


def numeric_id(lookup: str) -> str:
    """A write addresses an item by id only; a slug there is not found."""
    if not (lookup.isascii() and lookup.isdigit()):
        raise CatalogueNotFoundError()
    return str(int(lookup))


def version_requested(request: Request) -> str:
    """``live`` (the default) or ``draft``; drafts are for catalogue staff only.

    Anyone else asking for a draft is refused with 403, anonymous callers included,
    before the shared cache is consulted, so a draft can never be served from it.
    """
    serializer = CatalogueVersionSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    version = str(serializer.validated_data["version"])
    if version == DRAFT_VERSION and not is_catalogue_staff(request):
        raise PermissionDenied("Only managers and administrators may read drafts.")
    return version


def draft_body(request: Request, kind: SellableKind, item_id: Any) -> Any:
    """The latest revision of an item as the API shows it, live stock included."""
    item = kind.get(lookup=str(item_id), include_unpublished=True)
    draft = sellable_latest_draft(item=item)
    context = serializer_context(request, [draft], include_drafts=True)
    return kind.output(draft, context=context).data
