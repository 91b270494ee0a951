"""Demo reviews for ``seed_catalogue``: the demo customers rate what was delivered.

Every delivered line of a demo customer (products, and the package of the first
demo order) gets a review, most of them good; the harshest review is hidden by the
demo manager, so the admin shows both statuses.
Reviews go through the review services, so the ratings are those the API shows.
"""

import random

from django.db import transaction

from commerce.accounts.models import User
from commerce.catalogue.models import line_kind
from commerce.enums import ReviewStatus, UserRole
from commerce.management.demo_orders import DEMO_CUSTOMER_DOMAIN
from commerce.orders.models import OrderLine
from commerce.reviews.models import Review
from commerce.reviews.selectors import RECEIVED_ORDER_STATUSES
from commerce.reviews.services import review_status_set, review_submit

REVIEW_TEXTS = {
    5: ("Perfect", "Arrived fresh and looked just like the photos."),
    4: ("Very nice", "Lovely, and the delivery was on time."),
    3: ("Fine", "Nice enough, though smaller than I expected."),
    2: ("Disappointing", "Some flowers had wilted after two days."),
    1: ("Not again", "Arrived late and damaged."),
}
RATINGS = [5, 5, 5, 4, 4, 4, 3, 2]


def demo_reviews_exist() -> bool:
    return Review.objects.filter(
        customer__email__endswith=f"@{DEMO_CUSTOMER_DOMAIN}"
    ).exists()


def demo_reviews_seed(*, rng: random.Random) -> int:
    """Review what the demo customers received; returns how many reviews were written."""
    manager = (
        User.objects.filter(groups__name=UserRole.MANAGER.value).order_by("pk").first()
    )
    lines = list(
        OrderLine.objects.filter(
            order__customer__email__endswith=f"@{DEMO_CUSTOMER_DOMAIN}",
            order__status__in=RECEIVED_ORDER_STATUSES,
        )
        .select_related("order__customer")
        .order_by("pk")
    )
    if manager is None or not lines:
        return 0
    written: dict[tuple[int, str, int], Review] = {}
    with transaction.atomic():
        for line in lines:
            kind, customer = line_kind(line), line.order.customer
            item_id = getattr(line, f"{kind}_id")
            if item_id is None or customer is None:  # the item was deleted since
                continue
            rating = rng.choice(RATINGS)
            title, text = REVIEW_TEXTS[rating]
            written[(customer.pk, kind, item_id)] = review_submit(
                customer=customer,
                kind=kind,
                item_id=item_id,
                rating=rating,
                title=title,
                text=text,
            ).review
        if written:
            harshest = min(
                written.values(), key=lambda review: (review.rating, review.pk)
            )
            review_status_set(
                review_id=harshest.pk, status=ReviewStatus.HIDDEN, actor=manager
            )
    return len(written)
