"""Writes to products and packages: pages, galleries, a package's components.

Changes are saved as Wagtail revisions; updates record ProductUpdated
(commerce/events.py).
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.actions.delete_page import DeletePageAction
from wagtail.images import get_image_model

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.catalogue.models import (
    GALLERY_IMAGE_MODELS,
    Brand,
    CategoryPage,
    Material,
    PackageComponent,
    PackagePage,
    PackageSales,
    ProductPage,
    ProductStock,
)
from commerce.catalogue.services._shared import (
    _child_add,
    _page_fields_apply,
    _page_fresh,
    _page_move,
    _revision_save,
    catalogue_write,
)
from commerce.catalogue.services.stock import stock_set
from commerce.enums import OrderStatus, UserRole
from commerce.events import ProductUpdated, record
from commerce.exceptions import ItemInUseError
from commerce.money import shop_currency

SELLABLE_FIELDS = (
    "title",
    "slug",
    "description",
    "price",
    "compare_at_price",
    "sku",
    "is_active",
    "is_available",
    "seo_title",
    "search_description",
)
PRODUCT_FIELDS = ("weight_grams",)


def _sellable_parent(category_id: int) -> CategoryPage:
    category: CategoryPage | None = CategoryPage.objects.filter(pk=category_id).first()
    if category is None:
        raise ValidationError({"category": ["Unknown category."]})
    return category


def _sku_check(page: ProductPage | PackagePage) -> None:
    duplicate = type(page).objects.filter(sku=page.sku).exclude(pk=page.pk)
    if page.sku and duplicate.exists():
        raise ValidationError({"sku": [f"The SKU {page.sku} is already in use."]})


def _gallery_set(page: ProductPage | PackagePage, image_ids: Sequence[int]) -> None:
    images = get_image_model().objects.in_bulk(image_ids)
    missing = [image_id for image_id in image_ids if image_id not in images]
    if missing:
        raise ValidationError({"images": [f"Unknown image ids: {missing}."]})
    image_model = GALLERY_IMAGE_MODELS[page.kind]
    page.gallery_images = [
        image_model(image=images[image_id], sort_order=position)
        for position, image_id in enumerate(image_ids)
    ]


def _tax_class_set(page: ProductPage | PackagePage, tax_class_id: int | None) -> None:
    # By app registry: taxes sit above the catalogue in the packages' import order.
    tax_class_model = apps.get_model("commerce", "TaxClass")
    if tax_class_id is not None and not (
        tax_class_model.objects.filter(pk=tax_class_id).exists()
    ):
        raise ValidationError({"tax_class": [f"Unknown tax class id: {tax_class_id}."]})
    page.tax_class_id = tax_class_id


def _attributes_set(page: ProductPage, data: dict[str, Any]) -> None:
    """Set the brand (an id or None) and the materials (ids) ``data`` has."""
    brand_id = data.get("brand")
    if brand_id is not None and not Brand.objects.filter(pk=brand_id).exists():
        raise ValidationError({"brand": [f"Unknown brand id: {brand_id}."]})
    if "brand" in data:
        page.brand_id = brand_id
    if "materials" in data:
        material_ids = list(dict.fromkeys(data["materials"]))
        materials = Material.objects.in_bulk(material_ids)
        missing = [pk for pk in material_ids if pk not in materials]
        if missing:
            raise ValidationError({"materials": [f"Unknown material ids: {missing}."]})
        page.materials = [materials[pk] for pk in material_ids]


def _sellable_fields_apply(
    page: ProductPage | PackagePage, data: dict[str, Any]
) -> None:
    """Set the fields ``data`` has; ``tax_class`` is an id (None: standard rate)."""
    _page_fields_apply(page, data, SELLABLE_FIELDS)
    if isinstance(page, ProductPage):
        _page_fields_apply(page, data, PRODUCT_FIELDS)
        _attributes_set(page, data)
    if "tax_class" in data:
        _tax_class_set(page, data["tax_class"])
    if "tags" in data:
        page.tags.set(data["tags"], clear=True)
    if "images" in data:
        _gallery_set(page, data["images"])
    _sku_check(page)
    if page.compare_at_price is not None and page.compare_at_price <= page.price:
        raise ValidationError(
            {"compare_at_price": ["The compare-at price must be above the price."]}
        )


@catalogue_write
def product_create(
    *, data: dict[str, Any], publish: bool, user: User | None
) -> ProductPage:
    """Create a product under its category, with a first revision and a stock row."""
    category = _sellable_parent(data["category"])
    product = ProductPage(
        title=data["title"], price=data["price"], sku=data["sku"], live=False
    )
    _sellable_fields_apply(product, data)
    _child_add(parent=category, page=product, user=user)
    ProductStock.objects.create(product=product, quantity=data.get("stock_quantity", 0))
    return _revision_save(page=product, publish=publish, user=user)


SellableT = TypeVar("SellableT", ProductPage, PackagePage)


def _sellable_update(
    *,
    item: SellableT,
    data: dict[str, Any],
    publish: bool,
    user: User | None,
    draft_apply: Callable[[SellableT], None] | None = None,
) -> SellableT:
    """Move the item if asked, then save its changes as a revision of the latest draft.

    ``draft_apply`` changes what only one kind has (a package's components).
    """
    item = _page_fresh(item)
    if "category" in data:
        _page_move(page=item, parent=_sellable_parent(data["category"]), user=user)
    draft = item.get_latest_revision_as_object()
    _sellable_fields_apply(draft, data)
    if draft_apply is not None:
        draft_apply(draft)
    saved: SellableT = _revision_save(page=draft, publish=publish, user=user)
    _updated_record(saved, live=publish)
    return saved


@catalogue_write
def product_update(
    *, product: ProductPage, data: dict[str, Any], publish: bool, user: User | None
) -> ProductPage:
    """Save the changes as a new revision of the latest draft; publish when asked."""
    product = _sellable_update(item=product, data=data, publish=publish, user=user)
    if "stock_quantity" in data:
        stock_set(product_id=product.pk, quantity=data["stock_quantity"], user=user)
    return product


def sellable_event_fields(page: ProductPage | PackagePage) -> dict[str, Any]:
    """The fields every product event carries (products and packages alike)."""
    return {
        "kind": page.kind,
        "id": page.pk,
        "sku": page.sku,
        "title": page.title,
        "price": str(page.price),
        "currency": shop_currency(),
    }


def _updated_record(page: ProductPage | PackagePage, *, live: bool) -> None:
    record(ProductUpdated(**sellable_event_fields(page), live=live))


OPEN_ORDER_STATUSES = (
    OrderStatus.PENDING,
    OrderStatus.UNDER_REVIEW,
    OrderStatus.PROCESSING,
)


def sellable_open_order_exists(*, item: ProductPage | PackagePage) -> bool:
    """Whether an order that is not finished yet contains the item."""
    return bool(item.order_lines.filter(order__status__in=OPEN_ORDER_STATUSES).exists())


def product_open_order_exists(*, product: ProductPage) -> bool:
    """Whether an order that is not finished yet contains the product."""
    return sellable_open_order_exists(item=product)


def _sellable_delete(
    *, item: ProductPage | PackagePage, in_use: str, force: bool, user: User | None
) -> str:
    """Delete the item, or, when it is in use (``in_use`` says where), unpublish it.

    In use without ``force`` is refused with ItemInUseError. Returns "deleted" or
    "unpublished".
    """
    if not in_use:
        DeletePageAction(item, user=user).execute(skip_permission_checks=True)
        return "deleted"
    if not force:
        raise ItemInUseError(f"The {item.kind} is in {in_use}; unpublish it or force.")
    if item.live:
        item.unpublish(user=user, log_action=True)
    type(item).objects.filter(pk=item.pk).update(is_active=False)
    return "unpublished"


@catalogue_write
def _force_allowed(*, force: bool, user: User | None) -> None:
    """Only administrators may force a delete (``user`` None: the shop itself)."""
    if (
        force
        and user is not None
        and user_role_get(user=user) != UserRole.ADMINISTRATOR
    ):
        raise PermissionDenied("Only administrators can force a delete.")


def product_delete(*, product: ProductPage, force: bool, user: User | None) -> str:
    """Delete a product, or unpublish it when it must stay for packages or orders.

    Returns "deleted" or "unpublished". A product in a package or an open order is
    refused with ItemInUseError unless ``force`` (administrators), which unpublishes it.
    """
    _force_allowed(force=force, user=user)
    product = _page_fresh(product)
    in_use = ""
    if PackageComponent.objects.filter(product=product).exists():
        in_use = "a package"
    elif sellable_open_order_exists(item=product):
        in_use = "an open order"
    return _sellable_delete(item=product, in_use=in_use, force=force, user=user)


def _components_set(package: PackagePage, components: Sequence[dict[str, Any]]) -> None:
    product_ids = [component["product"] for component in components]
    products = ProductPage.objects.in_bulk(product_ids)
    missing = [product_id for product_id in product_ids if product_id not in products]
    if missing:
        raise ValidationError({"components": [f"Unknown product ids: {missing}."]})
    if len(set(product_ids)) != len(product_ids):
        raise ValidationError({"components": ["A product is listed twice."]})
    package.components = [
        PackageComponent(
            product=products[component["product"]],
            quantity=component["quantity"],
            sort_order=position,
        )
        for position, component in enumerate(components)
    ]


@catalogue_write
def package_create(
    *, data: dict[str, Any], publish: bool, user: User | None
) -> PackagePage:
    category = _sellable_parent(data["category"])
    package = PackagePage(
        title=data["title"], price=data["price"], sku=data["sku"], live=False
    )
    _sellable_fields_apply(package, data)
    _components_set(package, data["components"])
    _child_add(parent=category, page=package, user=user)
    PackageSales.objects.create(package=package)
    return _revision_save(page=package, publish=publish, user=user)


@catalogue_write
def package_update(
    *, package: PackagePage, data: dict[str, Any], publish: bool, user: User | None
) -> PackagePage:
    def components_apply(draft: PackagePage) -> None:
        if "components" in data:
            _components_set(draft, data["components"])

    return _sellable_update(
        item=package,
        data=data,
        publish=publish,
        user=user,
        draft_apply=components_apply,
    )


@catalogue_write
def package_delete(*, package: PackagePage, force: bool, user: User | None) -> str:
    """Delete a package, or unpublish it while an open order contains it.

    Returns "deleted" or "unpublished". A package in an open order is refused with
    ItemInUseError unless ``force`` (administrators), which unpublishes it. Finished
    orders keep their snapshot lines either way.
    """
    _force_allowed(force=force, user=user)
    package = _page_fresh(package)
    in_use = "an open order" if sellable_open_order_exists(item=package) else ""
    return _sellable_delete(item=package, in_use=in_use, force=force, user=user)
