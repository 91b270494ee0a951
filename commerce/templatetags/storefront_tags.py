"""Money on the shop pages: ``{{ item.price|money:currency }}`` → ``€12.50``."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def money(value: Any, currency: str = "EUR") -> str:
    amount = _amount(value)
    if amount is None:
        return ""
    symbol = SYMBOLS.get(currency)
    text = f"{amount:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


@register.filter
def price_delta(value: Any, currency: str = "EUR") -> str:
    """``+€4.50`` or ``−€1.00``; nothing for a zero delta."""
    amount = _amount(value)
    if not amount:
        return ""
    sign = "+" if amount > 0 else "−"
    return f"{sign}{money(abs(amount), currency)}"
