"""Money on the shop pages: ``{{ item.price|money:currency }}`` → ``€12.50``.

Formatting (symbol, its place, separators, the currency's minor digits) is
Babel's, through py-moneyed, in the active language: ``¥1,200`` for JPY in English.
Amounts are rounded to the currency's minor unit as the shop rounds them.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.core import UnknownLocaleError
from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale
from moneyed import Money
from moneyed.l10n import format_money

from commerce.money import money_round, shop_currency

register = template.Library()

FALLBACK_LOCALE = "en"


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


@register.filter
def money(value: Any, currency: str | None = None) -> str:
    """``value`` in ``currency`` (the shop's by default) as the active language writes it."""
    amount = _amount(value)
    if amount is None:
        return ""
    currency = currency or shop_currency()
    # Rounded as the shop rounds (half up), not as Babel would (half even).
    price = Money(money_round(amount, currency), currency)
    try:
        return str(format_money(price, locale=_locale()))
    except UnknownLocaleError:
        return str(format_money(price, locale=FALLBACK_LOCALE))


@register.filter
def price_delta(value: Any, currency: str | None = None) -> str:
    """``+€4.50`` or ``−€1.00``; nothing for a zero delta."""
    amount = _amount(value)
    if not amount:
        return ""
    sign = "+" if amount > 0 else "−"
    return f"{sign}{money(abs(amount), currency)}"
