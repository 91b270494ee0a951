"""Demo vouchers for ``seed_catalogue``: one of each kind and state.

Each is looked up by its code and created only when missing: running again changes
nothing, and what staff edited in the admin stays.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commerce.catalogue.models import CategoryPage
from commerce.vouchers.enums import VoucherKind
from commerce.vouchers.models import Voucher

RESTRICTED_CATEGORY = "Flowers"


def _vouchers() -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "code": "WELCOME10",
            "description": "10 % off your first order.",
            "kind": VoucherKind.PERCENTAGE,
            "value": Decimal("10"),
            "usage_limit_per_customer": 1,
        },
        {
            "code": "FREESHIP",
            "description": "Free shipping on orders from €30.",
            "kind": VoucherKind.FREE_SHIPPING,
            "min_order_value": Decimal("30.00"),
        },
        {
            "code": "SAVE5",
            "description": "€5 off orders from €25, for the first 500 orders.",
            "kind": VoucherKind.FIXED,
            "value": Decimal("5.00"),
            "min_order_value": Decimal("25.00"),
            "usage_limit": 500,
        },
        {
            "code": "FLOWERS15",
            "description": "15 % off flowers.",
            "kind": VoucherKind.PERCENTAGE,
            "value": Decimal("15"),
            "categories": [RESTRICTED_CATEGORY],
        },
        {
            "code": "SOLDOUT",
            "description": "A flash sale for 3 orders, all used.",
            "kind": VoucherKind.FIXED,
            "value": Decimal("20.00"),
            "usage_limit": 3,
            "uses": 3,
        },
        {
            "code": "SPRING",
            "description": "Last spring's sale, expired.",
            "kind": VoucherKind.PERCENTAGE,
            "value": Decimal("20"),
            "starts_at": now - timedelta(days=300),
            "ends_at": now - timedelta(days=200),
        },
        {
            "code": "BLACKFRIDAY",
            "description": "Scheduled: from next month.",
            "kind": VoucherKind.PERCENTAGE,
            "value": Decimal("25"),
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=33),
        },
    ]


@transaction.atomic
def demo_vouchers_seed() -> dict[str, int]:
    """Create the missing demo vouchers; returns how many."""
    created = 0
    for data in _vouchers():
        data = dict(data)
        if Voucher.objects.filter(code__iexact=data["code"]).exists():
            continue
        categories = CategoryPage.objects.filter(title__in=data.pop("categories", []))
        uses = data.pop("uses", 0)
        voucher = Voucher(**data)
        voucher.full_clean()
        voucher.uses = uses  # a demo of a used-up code, without its orders
        voucher.save()
        voucher.categories.set(categories)
        created += 1
    return {"vouchers": created}
