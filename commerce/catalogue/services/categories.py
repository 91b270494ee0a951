"""Writes to the shop index and the categories, as Wagtail revisions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail.actions.delete_page import DeletePageAction
from wagtail.images import get_image_model
from wagtail.models import Page

from commerce.accounts.models import User
from commerce.catalogue.models import CategoryPage, ShopIndexPage
from commerce.catalogue.services._shared import (
    _child_add,
    _page_fields_apply,
    _page_fresh,
    _page_move,
    _revision_save,
    catalogue_write,
)
from commerce.exceptions import ItemInUseError
from home.models import HomePage


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
