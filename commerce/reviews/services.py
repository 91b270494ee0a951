"""Writes of reviews: a customer's review of what they received, staff moderation.

Every change recomputes the item's rating figures from its published reviews in the
same transaction, under the lock of the item's rating row.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.catalogue.models import line_kind
from commerce.catalogue.services.ratings import (
    sellable_rating_lock,
    sellable_rating_set,
)
from commerce.enums import ReviewStatus
from commerce.exceptions import ItemNotReceivedError
from commerce.reviews.models import Review
from commerce.reviews.selectors import (
    review_get,
    review_order_line_received,
    review_totals,
)


@dataclass(frozen=True)
class ReviewSubmitted:
    review: Review
    created: bool


def review_item(review: Review) -> tuple[str, int]:
    """The kind and id of the reviewed item."""
    kind = line_kind(review)
    return kind, int(getattr(review, f"{kind}_id"))


def _rating_refresh(*, kind: str, item_id: int) -> None:
    total, count = review_totals(kind=kind, item_id=item_id)
    sellable_rating_set(kind=kind, item_id=item_id, total=total, count=count)


@transaction.atomic
def review_submit(
    *,
    customer: User,
    kind: str,
    item_id: int,
    rating: int,
    title: str = "",
    text: str = "",
) -> ReviewSubmitted:
    """Create the customer's review of an item they received, or edit the one they wrote.

    A customer has one review per item: a second submission replaces its rating,
    title and text (and keeps its status, so a hidden review stays hidden).
    Refused with ``ItemNotReceivedError`` unless an order of the item was delivered
    to the customer (``RECEIVED_ORDER_STATUSES``).
    """
    line = review_order_line_received(customer=customer, kind=kind, item_id=item_id)
    if line is None:
        raise ItemNotReceivedError(
            extra={"errors": {"item": [ItemNotReceivedError.default_message]}}
        )
    sellable_rating_lock(kind=kind, item_id=item_id)
    item: dict[str, Any] = {f"{kind}_id": item_id}
    review, created = Review.objects.update_or_create(
        customer=customer,
        **item,
        defaults={"rating": rating, "title": title, "text": text, "order_line": line},
    )
    log(
        instance=review,
        action="wagtail.create" if created else "wagtail.edit",
        user=customer,
        data={"rating": rating},
    )
    _rating_refresh(kind=kind, item_id=item_id)
    return ReviewSubmitted(review=review, created=created)


@transaction.atomic
def review_status_set(*, review_id: int, status: str, actor: User) -> Review:
    """Publish or hide a review (staff); logged, and the item's rating recomputed.

    Setting the status it already has changes and logs nothing.
    """
    kind, item_id = review_item(review_get(review_id=review_id))
    sellable_rating_lock(kind=kind, item_id=item_id)
    review = Review.objects.select_for_update().get(pk=review_id)
    if review.status == status:
        return review
    from_status = review.status
    review.status = status
    review.save(update_fields=["status", "updated_at"])
    action = (
        "commerce.review.hide"
        if status == ReviewStatus.HIDDEN
        else "commerce.review.publish"
    )
    log(
        instance=review,
        action=action,
        user=actor,
        data={"from_status": from_status, "to_status": status},
    )
    _rating_refresh(kind=kind, item_id=item_id)
    return review
