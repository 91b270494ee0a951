"""Signal receivers: framework glue only (business logic never runs here).

Wagtail announces publishing, unpublishing (also sent before a live page is deleted)
and moves of pages, and publishing of snippets, through signals; catalogue writes go
through these actions (also from the admin and the scheduler), so this is where the
public catalogue cache learns of them and where "product published" and "product
unpublished" are recorded.
"""

from typing import Any

from django.db import transaction

from commerce.accounts.models import User
from commerce.accounts.services.tokens import user_tokens_revoke
from commerce.catalogue.models import (
    Brand,
    CategoryPage,
    PackagePage,
    PackagePageImage,
    ProductPage,
    ProductPageImage,
    ShopIndexPage,
)
from commerce.catalogue.services.cache import (
    catalogue_cache_invalidate,
    catalogue_cache_invalidate_for_page,
)
from commerce.catalogue.services.offers import offer_prices_refresh
from commerce.catalogue.services.sellables import sellable_event_fields
from commerce.events import ProductPublished, ProductUnpublished, record
from commerce.tasks import catalogue_cards_render_task

CATALOGUE_PAGE_MODELS = (ShopIndexPage, CategoryPage, ProductPage, PackagePage)


def catalogue_page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(sender, type) and issubclass(sender, CATALOGUE_PAGE_MODELS):
        catalogue_cache_invalidate_for_page(page_model=sender, page_id=instance.pk)
        # A new price or a new category changes the offer prices (derived data).
        if issubclass(sender, ProductPage | PackagePage | CategoryPage):
            offer_prices_refresh()


def customization_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    catalogue_cache_invalidate(all_details=True)


def catalogue_attribute_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A brand or material saved or deleted: every item may show it, and the lists."""
    catalogue_cache_invalidate(all_details=True)


def catalogue_cards_stale(
    sender: Any, page_ids: list[int] | None, **kwargs: Any
) -> None:
    """A committed change made cards stale: the queue renders them again."""
    catalogue_cards_render_task(page_ids)


IMAGE_BOOKKEEPING = frozenset({"file_size", "file_hash"})


def catalogue_image_changed(
    sender: Any, instance: Any, created: bool = False, **kwargs: Any
) -> None:
    """A Wagtail image edited (title, alt text, focal point, file) or deleted.

    The items whose gallery shows it are made stale, so their cards never link
    renditions that are gone; every item when it is a brand's logo. A new image is
    nobody's yet; Wagtail recording a file's size or hash changes nothing shown.
    """
    update_fields = kwargs.get("update_fields")
    if created or (update_fields and set(update_fields) <= IMAGE_BOOKKEEPING):
        return
    if Brand.objects.filter(logo_id=instance.pk).exists():
        catalogue_cache_invalidate(all_details=True)
        return
    catalogue_cache_invalidate(
        product_ids=ProductPageImage.objects.filter(image_id=instance.pk).values_list(
            "page_id", flat=True
        ),
        package_ids=PackagePageImage.objects.filter(image_id=instance.pk).values_list(
            "page_id", flat=True
        ),
    )


def sellable_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Record ProductPublished for products and packages."""
    if not isinstance(instance, ProductPage | PackagePage):
        return
    with transaction.atomic():
        record(ProductPublished(**sellable_event_fields(instance)))


def sellable_page_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Record ProductUnpublished for products and packages (also before a deletion)."""
    if not isinstance(instance, ProductPage | PackagePage):
        return
    with transaction.atomic():
        record(ProductUnpublished(**sellable_event_fields(instance)))


CREDENTIAL_FIELDS = frozenset({"password", "is_active"})


def user_credentials_changed(
    sender: Any, instance: User, raw: bool = False, **kwargs: Any
) -> None:
    """Revoke every token when a save changes the password or deactivates the account.

    The API's services revoke explicitly; this catches the framework's own routes
    (Wagtail's account page, Django's password forms, the admin's user editor), so
    no session outlives a credential change whichever screen made it. It runs in
    the saving transaction, before a service issues the caller a fresh pair.
    """
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None:
        return
    if update_fields is not None and not CREDENTIAL_FIELDS & set(update_fields):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    ):
        user_tokens_revoke(user=instance)
