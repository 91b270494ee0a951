"""System checks of the shop's settings, run by ``manage.py check`` and at start-up."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from commerce.money import currency_check


@register()
def shop_currency_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse a ``SHOP_CURRENCY`` the shop cannot price in (see ``currency_check``)."""
    code = getattr(settings, "SHOP_CURRENCY", None)
    problem = (
        currency_check(code)
        if isinstance(code, str) and code
        else "SHOP_CURRENCY is not set."
    )
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint=(
                "Set the SHOP_CURRENCY environment variable to an ISO 4217 code "
                "whose minor unit has at most two digits, e.g. EUR, USD, GBP or JPY."
            ),
            obj="settings.SHOP_CURRENCY",
            id="commerce.E001",
        )
    ]
