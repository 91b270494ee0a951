"""Payments: taking and returning money for orders.

Owns the gateway interface and the built-in gateways, paying, capture and refund,
and the payment API. Capture on delivery and refund on cancel join the order
lifecycle as registered transition steps. May import orders and everything below.

Payment gateways are plugins.

A gateway is a class implementing :class:`commerce.payments.base.PaymentGateway`;
``settings.PAYMENT_GATEWAYS`` lists the dotted paths of the enabled ones. The order
services talk to gateways only through this interface, so a real provider is one more
class and one more settings entry.
"""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from commerce.payments.base import (
    PaymentDataError,
    PaymentGateway,
    PaymentRequest,
    PaymentResult,
)

__all__ = [
    "PaymentDataError",
    "PaymentGateway",
    "PaymentRequest",
    "PaymentResult",
    "gateway_get",
    "gateways_enabled",
]


@cache
def gateways_enabled() -> dict[str, PaymentGateway]:
    """The enabled gateways by id, in the order settings list them."""
    from django.conf import settings

    gateways: dict[str, PaymentGateway] = {}
    for path in settings.PAYMENT_GATEWAYS:
        gateway = import_string(path)()
        if not isinstance(gateway, PaymentGateway):
            raise TypeError(f"{path} is not a PaymentGateway.")
        gateways[gateway.id] = gateway
    return gateways


def gateway_get(gateway_id: str) -> PaymentGateway | None:
    return gateways_enabled().get(gateway_id)


@receiver(setting_changed)
def _gateways_reload(*, setting: str, **kwargs: object) -> None:
    if setting == "PAYMENT_GATEWAYS":
        gateways_enabled.cache_clear()
