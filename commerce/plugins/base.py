"""What a plugin can implement. Every hook has a pass-through default."""

from decimal import Decimal
from typing import Any

from config.exceptions import ApplicationError


class PluginValidationError(ApplicationError):
    code = "plugin_validation_failed"
    default_message = "The order was refused."


class PluginResultError(TypeError):
    """A chained hook returned a value of the wrong shape: a bug in a plugin."""


class BasePlugin:
    """Subclass, set ``identifier`` and ``name``, and override the hooks you need.

    ``configuration`` is the admin-edited JSON of this plugin (``default_configuration``
    until an administrator changes it).
    """

    identifier: str = ""
    name: str = ""
    default_configuration: dict[str, Any] = {}
    default_active: bool = True

    def __init__(self, *, configuration: dict[str, Any]):
        self.configuration = configuration

    # Chained hooks: return the (possibly changed) previous value.

    def line_unit_price(
        self, previous: Decimal, *, kind: str, item_id: int, sku: str, quantity: int
    ) -> Decimal:
        """The unit price of an order or cart line before customization deltas."""
        return previous

    def tax_calculate(
        self,
        previous: Any,
        *,
        country: str | None,
        lines: list[Any],
        shipping: Decimal,
        prices_include_tax: bool,
        currency: str,
    ) -> Any:
        """The taxes of a cart or order: a ``commerce.taxes.services.TaxResult``.

        ``previous`` is the default calculation (or the previous plugin's result) for
        ``lines`` (``TaxLineInput``: key, amount, tax_class_id) and the ``shipping``
        price in ``currency``. Return a ``TaxResult`` with one ``TaxedAmount`` per
        line, with the lines' keys in their order; anything else is refused.
        """
        return previous

    def order_validate(self, previous: None, *, order: dict[str, Any]) -> None:
        """Raise PluginValidationError to refuse an order before anything is written."""
        return previous

    # Events, after commit, at least once (make them idempotent on the payload's ids).
    # Each receives the event's payload (commerce/events.py, listed in the README).

    def order_created(self, payload: dict[str, Any]) -> None: ...

    def order_status_changed(self, payload: dict[str, Any]) -> None: ...

    def order_payment_status_changed(self, payload: dict[str, Any]) -> None: ...

    def product_published(self, payload: dict[str, Any]) -> None: ...

    def customer_created(self, payload: dict[str, Any]) -> None: ...

    def product_unpublished(self, payload: dict[str, Any]) -> None: ...

    def product_updated(self, payload: dict[str, Any]) -> None: ...

    def stock_changed(self, payload: dict[str, Any]) -> None: ...
