"""Writes to the catalogue.

Pages change only through Wagtail revisions (so the admin history shows API edits and
drafts are kept); stock changes only under row locks, outside revisioned fields.
Updates record ProductUpdated and stock changes StockChanged (commerce/events.py).
"""

import functools
from collections.abc import Callable, Iterable, Sequence
from io import BytesIO
from typing import IO, Any, ParamSpec, TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Collection, Page

from commerce.accounts.models import User
from commerce.catalogue.models import (
    GALLERY_IMAGE_MODELS,
    CategoryPage,
    PackageComponent,
    PackagePage,
    PackageSales,
    ProductPage,
    ProductStock,
    ShopIndexPage,
)
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.enums import OrderStatus
from commerce.events import ProductUpdated, StockChanged, record
from commerce.exceptions import (
    CatalogueNotFoundError,
    InsufficientStockError,
    ItemInUseError,
)
from customization.models import Customization
from customization.selectors import attached_entries
from customization.services import image_upload_check
from home.models import HomePage

PageT = TypeVar("PageT", bound=Page)

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


# SERIALIZED TREE WRITES

P = ParamSpec("P")
R = TypeVar("R")
# pg_advisory_xact_lock key of catalogue page writes ("FANT" in ASCII).
CATALOGUE_WRITE_LOCK = 0x46414E54


def catalogue_write(service: Callable[P, R]) -> Callable[P, R]:
    """Run a catalogue page write in a transaction, one at a time (PostgreSQL).

    Wagtail's tree writes lock rows in orders that depend on the operation:
    ``add_child`` updates the parent's ``numchild`` and takes the next path after
    the last sibling, a move rewrites the paths of a subtree and both parents, a
    publish updates the page and its descendants' URL paths. Concurrent edits of
    one category deadlocked (and collided on paths), so every catalogue page write
    first takes one transaction-level advisory lock; the lock is released at commit
    or rollback. SQLite serializes writes by itself.
    """

    @functools.wraps(service)
    def serialized(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s)", [CATALOGUE_WRITE_LOCK]
                    )
            return service(*args, **kwargs)

    return serialized


def _page_fresh(page: PageT) -> PageT:
    """``page`` as stored now, read under the lock: another write may have moved it."""
    fresh: PageT | None = type(page).objects.filter(pk=page.pk).first()
    if fresh is None:
        raise CatalogueNotFoundError("The page was deleted meanwhile.")
    return fresh


# SHOP INDEX AND CATEGORIES


@catalogue_write
def shop_index_get_or_create() -> ShopIndexPage:
    existing: ShopIndexPage | None = ShopIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first() or Page.get_first_root_node()
    shop = ShopIndexPage(title="Shop", slug="shop")
    home.add_child(instance=shop)
    shop.save_revision(log_action=True).publish()
    return shop


def _category_parent(category_id: int | None) -> Page:
    if category_id is None:
        return shop_index_get_or_create()
    parent = CategoryPage.objects.filter(pk=category_id).first()
    if parent is None:
        raise ValidationError({"parent": ["Unknown category."]})
    return parent


def _sellable_parent(category_id: int) -> CategoryPage:
    category: CategoryPage | None = CategoryPage.objects.filter(pk=category_id).first()
    if category is None:
        raise ValidationError({"category": ["Unknown category."]})
    return category


def rich_text_clean(html: str) -> str:
    """Keep only the elements and attributes Wagtail's rich text editor allows."""
    return str(EditorHTMLConverter().to_database_format(html or ""))


def _page_fields_apply(page: Page, data: dict[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(
                page, name, rich_text_clean(value) if name == "description" else value
            )
    if "title" in data and not data.get("slug") and not page.slug:
        page.slug = slugify(data["title"])[:255]


def _child_add(*, parent: Page, page: Page, user: User | None) -> None:
    """Add ``page`` under ``parent`` and log its creation as the admin would."""
    try:
        with transaction.atomic():
            parent.add_child(instance=page)
    except IntegrityError as error:
        # A concurrent request took the same SKU or slug between check and insert.
        raise ValidationError(
            {"sku": ["This SKU or slug is already in use."]}
        ) from error
    log(instance=page, action="wagtail.create", user=user)


def _sku_check(page: ProductPage | PackagePage) -> None:
    duplicate = type(page).objects.filter(sku=page.sku).exclude(pk=page.pk)
    if page.sku and duplicate.exists():
        raise ValidationError({"sku": [f"The SKU {page.sku} is already in use."]})


def _revision_save(*, page: PageT, publish: bool, user: User | None) -> PageT:
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page


def _page_move(*, page: Page, parent: Page, user: User | None) -> None:
    if page.get_parent().pk != parent.pk:
        MovePageAction(page, parent, pos="last-child", user=user).execute(
            skip_permission_checks=True
        )
        page.refresh_from_db()


def _category_image_apply(category: CategoryPage, data: dict[str, Any]) -> None:
    if "image" not in data:
        return
    image_id = data["image"]
    image = None
    if image_id is not None:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None:
            raise ValidationError({"image": [f"Unknown image id: {image_id}."]})
    category.image = image


@catalogue_write
def category_create(
    *, parent_id: int | None, data: dict[str, Any], publish: bool, user: User | None
) -> CategoryPage:
    parent = _category_parent(parent_id)
    category = CategoryPage(
        title=data["title"], slug=data.get("slug") or slugify(data["title"]), live=False
    )
    _page_fields_apply(
        category, data, ("description", "seo_title", "search_description")
    )
    _category_image_apply(category, data)
    if not category.slug:
        raise ValidationError(
            {"slug": ["Give a slug: none can be made from the name."]}
        )
    _child_add(parent=parent, page=category, user=user)
    return _revision_save(page=category, publish=publish, user=user)


@catalogue_write
def category_update(
    *, category: CategoryPage, data: dict[str, Any], publish: bool, user: User | None
) -> CategoryPage:
    category = _page_fresh(category)
    if "parent" in data:
        parent = _category_parent(data["parent"])
        if parent.pk == category.pk or parent.is_descendant_of(category):
            raise ValidationError(
                {"parent": ["A category cannot be moved under itself."]}
            )
        _page_move(page=category, parent=parent, user=user)
    draft: CategoryPage = category.get_latest_revision_as_object()
    _page_fields_apply(
        draft, data, ("title", "slug", "description", "seo_title", "search_description")
    )
    _category_image_apply(draft, data)
    return _revision_save(page=draft, publish=publish, user=user)


@catalogue_write
def category_delete(*, category: CategoryPage, user: User | None) -> None:
    """Delete an empty category; one that still holds pages is refused."""
    category = _page_fresh(category)
    if category.get_children().exists():
        raise ItemInUseError(
            "The category still holds subcategories, products or packages."
        )
    DeletePageAction(category, user=user).execute(skip_permission_checks=True)


# PRODUCTS AND PACKAGES


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


def _sellable_fields_apply(
    page: ProductPage | PackagePage, data: dict[str, Any]
) -> None:
    _page_fields_apply(page, data, SELLABLE_FIELDS)
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
def product_delete(*, product: ProductPage, force: bool, user: User | None) -> str:
    """Delete a product, or unpublish it when it must stay for packages or orders.

    Returns "deleted" or "unpublished". A product in a package or an open order is
    refused with ItemInUseError unless ``force`` (administrators), which unpublishes it.
    """
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
    package = _page_fresh(package)
    in_use = "an open order" if sellable_open_order_exists(item=package) else ""
    return _sellable_delete(item=package, in_use=in_use, force=force, user=user)


# CUSTOMIZATIONS ATTACHED TO ITEMS


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


# IMAGES


@transaction.atomic
def catalogue_image_create(
    *,
    file: IO[bytes],
    title: str,
    alt_text: str = "",
    collection_id: int | None = None,
    user: User | None,
) -> AbstractImage:
    """Create a Wagtail image from a staff upload, for products, packages, categories.

    The upload goes through the same checks as a customer's photo (size while
    reading, type from the content, pixel ceiling); nothing is stored when they
    fail. The image lands in ``collection_id`` or the root collection.
    """
    checked = image_upload_check(file=file)
    if collection_id is None:
        collection = Collection.get_first_root_node()
    else:
        collection = Collection.objects.filter(pk=collection_id).first()
        if collection is None:
            raise ValidationError({"collection": ["Unknown collection."]})
    extension = "jpg" if checked.format == "JPEG" else checked.format.lower()
    name = f"{slugify(title)[:80] or 'image'}.{extension}"
    image = get_image_model()(
        title=title,
        description=alt_text,
        collection=collection,
        uploaded_by_user=user,
        file=ImageFile(BytesIO(checked.data), name=name),
    )
    image._set_image_file_metadata()
    image.save()
    log(instance=image, action="wagtail.create", user=user)
    return image


# STOCK


def product_stock_qs_select_for_update(
    product_ids: Iterable[int],
) -> QuerySet[ProductStock]:
    """Lock the stock rows of ``product_ids`` in primary-key order (no deadlocks)."""
    return (
        ProductStock.objects.select_for_update()
        .filter(product_id__in=sorted(set(product_ids)))
        .order_by("pk")
    )


def _product_lock(product_id: int) -> None:
    """Lock the product row, so the product cannot be deleted under a stock write."""
    found = list(
        ProductPage.objects.select_for_update(of=("self",))
        .filter(pk=product_id)
        .values_list("pk", flat=True)
    )
    if not found:
        raise ValidationError(
            {"stock_quantity": ["The product was deleted; its stock cannot be set."]}
        )


@transaction.atomic
def stock_set(
    *,
    product_id: int,
    quantity: int,
    user: User | None = None,
    expected_quantity: int | None = None,
) -> ProductStock:
    """Set the units on hand; a change is logged on the product's history.

    With ``expected_quantity`` (the figure the editor saw), the write is refused when
    orders or another editor changed the stock since, so no change is lost.
    """
    if quantity < 0:
        raise ValidationError({"stock_quantity": ["Stock cannot be negative."]})
    _product_lock(product_id)
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    previous = stock.quantity
    if expected_quantity is not None and previous != expected_quantity:
        raise ValidationError(
            {
                "stock_quantity": [
                    f"The stock changed from {expected_quantity} to {previous} while "
                    "you were editing (orders or another editor); check the figure "
                    "and save again."
                ]
            }
        )
    stock.quantity = quantity
    stock.save(update_fields=["quantity", "updated_at"])
    catalogue_cache_invalidate(product_ids=[product_id])
    if previous != quantity:
        log(
            instance=stock.product,
            action="commerce.stock.set",
            user=user,
            data={"from_quantity": previous, "to_quantity": quantity},
        )
        _stock_changed_record(stock, previous=previous)
    return stock


def _stock_changed_record(stock: ProductStock, *, previous: int) -> None:
    record(
        StockChanged(
            product_id=stock.product_id,
            sku=stock.product.sku,
            quantity=stock.quantity,
            previous_quantity=previous,
        )
    )


@transaction.atomic
def stock_threshold_set(
    *, product_id: int, threshold: int | None, user: User | None = None
) -> ProductStock:
    """Set (or, with None, clear) the product's own low-stock threshold; logged."""
    if threshold is not None and threshold < 0:
        raise ValidationError(
            {"low_stock_threshold": ["The threshold cannot be negative."]}
        )
    _product_lock(product_id)
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    previous = stock.low_stock_threshold
    if previous != threshold:
        stock.low_stock_threshold = threshold
        stock.save(update_fields=["low_stock_threshold", "updated_at"])
        log(
            instance=stock.product,
            action="commerce.stock.threshold_set",
            user=user,
            data={"from_threshold": previous, "to_threshold": threshold},
        )
    return stock


@transaction.atomic
def stock_adjust(*, product_id: int, delta: int) -> ProductStock:
    """Add (or, with a negative delta, remove) units; never below zero."""
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    if stock.quantity + delta < 0:
        raise InsufficientStockError(
            f"Only {stock.quantity} in stock.", extra={"available": stock.quantity}
        )
    previous = stock.quantity
    ProductStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + delta)
    catalogue_cache_invalidate(product_ids=[product_id])
    stock.refresh_from_db()
    if delta:
        _stock_changed_record(stock, previous=previous)
    return stock


# HEADLESS PREVIEW

PREVIEW_SALT = "fantasize.catalogue.preview"


def preview_token_create(*, kind: str, page_id: int) -> str:
    """A signed token that lets a headless frontend fetch the latest draft of a page."""
    return signing.dumps(
        {"kind": kind, "id": page_id}, salt=PREVIEW_SALT, compress=True
    )


def preview_token_read(*, token: str) -> tuple[str, int]:
    try:
        data = signing.loads(
            token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature as error:
        raise CatalogueNotFoundError(
            "The preview link is invalid or has expired."
        ) from error
    return str(data["kind"]), int(data["id"])
