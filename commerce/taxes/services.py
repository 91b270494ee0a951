"""The taxes of a cart or order: per line, then shipping, rounded per line.

The default calculation takes each line's rate from the ``TaxRate`` of the
country and the line's tax class, falling back to the country's standard rate,
else 0; shipping is taxed at the standard rate. Plugins may replace the result
through the chained ``tax_calculate`` hook (``commerce.plugins.BasePlugin``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from commerce.money import money_round, shop_currency
from commerce.plugins import PluginResultError, plugin_manager
from commerce.taxes.models import TaxRate

SHIPPING_KEY = "shipping"
ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class TaxLineInput:
    key: str  # the caller's line key, returned on the line's TaxedAmount
    amount: Decimal  # unit price with customization deltas × quantity, as catalogued
    tax_class_id: int | None


@dataclass(frozen=True)
class TaxedAmount:
    key: str
    rate: Decimal  # percent
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class TaxResult:
    lines: list[TaxedAmount]  # one per input line, in their order
    shipping: TaxedAmount

    @property
    def total_tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), self.shipping.tax)


def tax_amount_split(
    *,
    key: str,
    amount: Decimal,
    rate: Decimal,
    prices_include_tax: bool,
    currency: str,
) -> TaxedAmount:
    """Split ``amount`` at ``rate`` percent into net, tax and gross, rounded once.

    Prices including tax: the gross is the amount and the net is rounded, so that
    net + tax is exactly what the customer sees. Prices excluding tax: the net is the
    amount and the tax is rounded. Rounding is half up to the currency's minor unit;
    ``amount`` itself is rounded first (a plugin's unit price may carry more digits).
    """
    amount = money_round(amount, currency)
    if prices_include_tax:
        net = money_round(amount / (1 + rate / HUNDRED), currency)
        return TaxedAmount(key=key, rate=rate, net=net, tax=amount - net, gross=amount)
    tax = money_round(amount * rate / HUNDRED, currency)
    return TaxedAmount(key=key, rate=rate, net=amount, tax=tax, gross=amount + tax)


def _rates_by_class(country: str | None) -> dict[int | None, Decimal]:
    """The country's rates by tax class id (None: the standard rate). One query."""
    if country is None:
        return {}
    rates = TaxRate.objects.filter(country=country.upper())
    return dict(rates.values_list("tax_class_id", "rate"))


def _result_check(result: object, lines: list[TaxLineInput]) -> TaxResult:
    if not isinstance(result, TaxResult):
        raise PluginResultError(
            f"A tax_calculate plugin hook returned {type(result).__name__}, "
            "not a TaxResult."
        )
    keys = [line.key for line in lines]
    returned = [getattr(line, "key", None) for line in result.lines]
    if returned != keys or not all(
        isinstance(line, TaxedAmount) for line in result.lines
    ):
        raise PluginResultError(
            "A tax_calculate plugin hook must return one TaxedAmount per line, "
            f"in their order: expected the keys {keys}, got {returned}."
        )
    if not isinstance(result.shipping, TaxedAmount):
        raise PluginResultError(
            "A tax_calculate plugin hook returned a shipping that is not a TaxedAmount."
        )
    return result


def tax_calculate(
    *,
    country: str | None,
    lines: list[TaxLineInput],
    shipping: Decimal,
    prices_include_tax: bool | None = None,
    currency: str | None = None,
) -> TaxResult:
    """Tax ``lines`` and the ``shipping`` price for delivery to ``country``.

    ``prices_include_tax`` defaults to ``settings.PRICES_INCLUDE_TAX`` and
    ``currency`` to the shop's. No country (no address yet) means no tax. The
    plugins' ``tax_calculate`` hooks may then replace the result; one that is not a
    ``TaxResult`` with one ``TaxedAmount`` per line raises PluginResultError.
    """
    if prices_include_tax is None:
        prices_include_tax = bool(settings.PRICES_INCLUDE_TAX)
    currency = currency or shop_currency()
    rates = _rates_by_class(country)
    standard = rates.get(None, ZERO)
    result = TaxResult(
        lines=[
            tax_amount_split(
                key=line.key,
                amount=line.amount,
                rate=rates.get(line.tax_class_id, standard),
                prices_include_tax=prices_include_tax,
                currency=currency,
            )
            for line in lines
        ],
        shipping=tax_amount_split(
            key=SHIPPING_KEY,
            amount=shipping,
            rate=standard,
            prices_include_tax=prices_include_tax,
            currency=currency,
        ),
    )
    replaced = plugin_manager().chain(
        "tax_calculate",
        result,
        country=country,
        lines=lines,
        shipping=shipping,
        prices_include_tax=prices_include_tax,
        currency=currency,
    )
    return _result_check(replaced, lines)
