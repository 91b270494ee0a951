"""Voucher writes: usages counted at order placement and given back on cancellation.

Both run inside the caller's transaction and change ``Voucher.uses`` only under the
voucher's row lock (taken after the stock rows, as placement and cancellation do),
with ``F()``: concurrent orders never use a voucher more often than it allows.
"""

from typing import Any

from django.db import transaction
from django.db.models import F

from commerce.accounts.models import User
from commerce.vouchers.models import Voucher, VoucherUsage


@transaction.atomic(savepoint=False)
def voucher_usage_record(
    *, voucher: Voucher, order: Any, customer: User | None, email: str
) -> VoucherUsage:
    """Count ``order`` as a use of ``voucher``, whose row the caller has locked."""
    usage = VoucherUsage.objects.create(
        voucher=voucher, order=order, customer=customer, email=email.strip().lower()
    )
    Voucher.objects.filter(pk=voucher.pk).update(uses=F("uses") + 1)
    return usage


@transaction.atomic
def voucher_usage_release(*, order_id: int) -> bool:
    """Give back the use a cancelled order made of its voucher; False when none."""
    usage = VoucherUsage.objects.filter(order_id=order_id).first()
    if usage is None:
        return False
    Voucher.objects.select_for_update().filter(pk=usage.voucher_id).first()
    if VoucherUsage.objects.filter(pk=usage.pk).delete()[0]:
        Voucher.objects.filter(pk=usage.voucher_id, uses__gt=0).update(
            uses=F("uses") - 1
        )
    return True
