"""Voucher reads: a code's voucher, its terms, and what it takes off a cart or order.

The discount is computed before tax: a percentage or fixed amount of the
qualifying lines' total (never more than that total) is spread over those lines in
proportion to their totals, to the cent; free shipping takes off the shipping price.
Taxes are then computed on the discounted amounts.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from commerce.money import minor_digits, money_round, shop_currency
from commerce.vouchers.enums import VoucherKind
from commerce.vouchers.models import CODE_MAX_LENGTH, HUNDRED, Voucher, VoucherUsage

ZERO = Decimal("0.00")
# The one answer to a code that cannot be applied, whatever the reason, so that
# neither the text nor the work done tells which codes exist.
CODE_INVALID_MESSAGE = "This code is not valid."


@dataclass(frozen=True)
class VoucherTerms:
    """A voucher with the ids of its products and the tree paths of its categories."""

    voucher: Voucher
    product_ids: frozenset[int]
    category_paths: tuple[str, ...]

    @property
    def is_restricted(self) -> bool:
        return bool(self.product_ids or self.category_paths)

    def qualifies(self, *, product_id: int | None, item_path: str) -> bool:
        """Whether an item (a product, or a package when ``product_id`` is None) qualifies."""
        if not self.is_restricted:
            return True
        if product_id is not None and product_id in self.product_ids:
            return True
        return any(item_path.startswith(path) for path in self.category_paths)


@dataclass(frozen=True)
class DiscountLine:
    key: str
    amount: Decimal  # the line's total before the discount
    product_id: int | None  # None for a package
    item_path: str  # the item page's tree path, for category restrictions


@dataclass(frozen=True)
class VoucherDiscount:
    """What a voucher takes off: per line key, and off the shipping; or why not."""

    lines: dict[str, Decimal] = field(default_factory=dict)
    shipping: Decimal = ZERO
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.lines.values(), self.shipping)

    def line(self, key: str) -> Decimal:
        return self.lines.get(key, ZERO)


NO_DISCOUNT = VoucherDiscount()


def _terms(voucher: Voucher) -> VoucherTerms:
    return VoucherTerms(
        voucher=voucher,
        product_ids=frozenset(voucher.products.values_list("pk", flat=True)),
        category_paths=tuple(voucher.categories.values_list("path", flat=True)),
    )


def voucher_terms_get(
    *, voucher_id: int, for_update: bool = False
) -> VoucherTerms | None:
    """The voucher's terms (three queries); ``for_update`` locks its row first."""
    vouchers: QuerySet[Voucher] = Voucher.objects.all()
    if for_update:
        vouchers = vouchers.select_for_update()
    voucher = vouchers.filter(pk=voucher_id).first()
    return None if voucher is None else _terms(voucher)


def voucher_unusable_reason(voucher: Voucher, *, now: datetime | None = None) -> str:
    """Why nobody can use the voucher now (inactive, dates, used up), or ""."""
    now = now or timezone.now()
    if not voucher.is_active:
        return "This voucher is no longer valid."
    if voucher.starts_at is not None and now < voucher.starts_at:
        return "This voucher is not valid yet."
    if voucher.ends_at is not None and now >= voucher.ends_at:
        return "This voucher has expired."
    if voucher.usage_limit is not None and voucher.uses >= voucher.usage_limit:
        return "This voucher has been used up."
    return ""


def voucher_for_code(*, code: str) -> Voucher:
    """The voucher a shopper's ``code`` names, if it can be used now.

    Unknown, inactive, not yet started, expired and used-up codes all raise the same
    ValidationError after the same single query.
    """
    normalized = code.strip()
    voucher = (
        Voucher.objects.filter(code__iexact=normalized).first()
        if 0 < len(normalized) <= CODE_MAX_LENGTH
        else None
    )
    if voucher is None or voucher_unusable_reason(voucher):
        raise ValidationError({"code": [CODE_INVALID_MESSAGE]}, code="invalid")
    return voucher


def voucher_uses_by(*, voucher_id: int, customer_id: int | None, email: str) -> int:
    """Orders with the voucher by the customer or, for anyone, the contact email."""
    who = Q(email=email.strip().lower()) if email else Q(pk__in=[])
    if customer_id is not None:
        who |= Q(customer_id=customer_id)
    return VoucherUsage.objects.filter(who, voucher_id=voucher_id).count()


def _spread(
    total: Decimal, lines: list[DiscountLine], digits: int
) -> dict[str, Decimal]:
    """``total`` over ``lines`` in proportion to their amounts, in whole minor units.

    Largest remainder: each line gets its share rounded down, and the units left go
    one each to the lines with the largest remainders (the first on a tie), so the
    shares add up to ``total`` and none exceeds its line.
    """
    unit = Decimal(1).scaleb(-digits)
    base = sum((line.amount for line in lines), ZERO)
    exact = [total * line.amount / base for line in lines]
    shares = [share.quantize(unit, rounding=ROUND_FLOOR) for share in exact]
    left = int((total - sum(shares, ZERO)) / unit)
    by_remainder = sorted(
        range(len(lines)), key=lambda index: (shares[index] - exact[index], index)
    )
    for index in by_remainder[:left]:
        shares[index] += unit
    return {line.key: share for line, share in zip(lines, shares, strict=True)}


def voucher_discount(
    *,
    terms: VoucherTerms,
    lines: Iterable[DiscountLine],
    subtotal: Decimal,
    shipping: Decimal,
    uses_by_buyer: int = 0,
    now: datetime | None = None,
    currency: str | None = None,
) -> VoucherDiscount:
    """What the voucher takes off these lines and this shipping price, or why nothing.

    ``subtotal`` is the total of every line before the discount (for the minimum
    order value); ``uses_by_buyer`` the orders the buyer already placed with it.
    """
    voucher = terms.voucher
    currency = currency or shop_currency()
    reason = voucher_unusable_reason(voucher, now=now)
    if reason:
        return VoucherDiscount(problem=reason)
    limit = voucher.usage_limit_per_customer
    if limit is not None and uses_by_buyer >= limit:
        return VoucherDiscount(
            problem="You have already used this voucher as often as it allows."
        )
    minimum = voucher.min_order_value
    if minimum is not None and subtotal < minimum:
        return VoucherDiscount(
            problem=f"Spend at least {minimum} {currency} (before the discount) to "
            "use this voucher."
        )
    eligible = [
        line
        for line in lines
        if line.amount > 0
        and terms.qualifies(product_id=line.product_id, item_path=line.item_path)
    ]
    if not eligible:
        return VoucherDiscount(
            problem="None of the items in the cart qualifies for this voucher."
        )
    if voucher.kind == VoucherKind.FREE_SHIPPING:
        return VoucherDiscount(shipping=shipping)
    base = sum((line.amount for line in eligible), ZERO)
    if voucher.kind == VoucherKind.PERCENTAGE:
        off = money_round(base * voucher.value / HUNDRED, currency)
    else:
        off = money_round(voucher.value, currency)
    off = min(off, base)
    return VoucherDiscount(lines=_spread(off, eligible, minor_digits(currency)))
