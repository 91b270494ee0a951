"""Money in the shop's currency: the ISO 4217 code and rounding to its minor unit.

The currency is ``settings.SHOP_CURRENCY``; its minor unit (cents, or none for JPY)
comes from py-moneyed's currency table, never from a table of our own. Amounts travel
as Decimal strings with a ``currency`` field beside them in every payload.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from moneyed import CurrencyDoesNotExist, get_currency

# Amount columns hold two decimal places: currencies with more minor digits
# (e.g. KWD, three) are refused by the system check in ``commerce.checks``.
MAX_MINOR_DIGITS = 2


def shop_currency() -> str:
    """The ISO 4217 code every price of the shop is in."""
    return str(settings.SHOP_CURRENCY)


def minor_digits(currency: str | None = None) -> int:
    """Decimal places of the currency's minor unit: 2 for EUR, 0 for JPY."""
    sub_unit = get_currency(currency or shop_currency()).sub_unit
    return len(str(sub_unit)) - 1 if sub_unit > 1 else 0


def money_round(amount: Decimal, currency: str | None = None) -> Decimal:
    """``amount`` rounded half up to the currency's minor unit."""
    exponent = Decimal(1).scaleb(-minor_digits(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def currency_check(code: str) -> str | None:
    """Why ``code`` cannot be the shop's currency, or None when it can."""
    try:
        digits = minor_digits(code)
    except CurrencyDoesNotExist:
        return f"{code!r} is not an ISO 4217 currency code."
    if digits > MAX_MINOR_DIGITS:
        return f"{code} has {digits} minor digits; at most {MAX_MINOR_DIGITS} are kept."
    return None
