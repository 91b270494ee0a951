"""What the catalogue's page-writing services share.

Pages change only through Wagtail revisions (so the admin history shows API edits and
drafts are kept), one catalogue page write at a time (``catalogue_write``).
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify
from wagtail.actions.move_page import MovePageAction
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.log_actions import log
from wagtail.models import Page

from commerce.accounts.models import User
from commerce.exceptions import CatalogueNotFoundError

PageT = TypeVar("PageT", bound=Page)


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


# PAGE FIELDS AND REVISIONS


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
