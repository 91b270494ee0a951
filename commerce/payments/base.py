"""The interface every payment gateway implements."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class PaymentDataError(ValueError):
    """The payment details are malformed; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class PaymentRequest:
    order_number: str
    amount: Decimal
    currency: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentResult:
    succeeded: bool
    reference: str = ""
    message: str = ""


class PaymentGateway(ABC):
    """A payment provider.

    ``authorize`` reserves the amount; when ``captures_on_authorize`` is true the
    gateway also takes the money in that call (a sale). ``capture`` takes an authorized
    amount; ``refund`` returns captured money or releases an authorization.
    Gateways never raise for a declined payment: they answer ``succeeded=False``.
    """

    id: str
    name: str
    captures_on_authorize: bool = False

    def data_validate(self, data: dict[str, Any]) -> dict[str, Any]:
        """Check the gateway-specific payment details; raise PaymentDataError."""
        return {}

    @abstractmethod
    def authorize(self, request: PaymentRequest) -> PaymentResult: ...

    @abstractmethod
    def capture(self, *, reference: str, amount: Decimal) -> PaymentResult: ...

    @abstractmethod
    def refund(self, *, reference: str, amount: Decimal) -> PaymentResult: ...
