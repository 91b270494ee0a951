"""Built-in gateways: cash on delivery, and a dummy card gateway for testing."""

import re
import uuid
from decimal import Decimal
from typing import Any

from commerce.payments.base import (
    PaymentDataError,
    PaymentGateway,
    PaymentRequest,
    PaymentResult,
)


class CashOnDeliveryGateway(PaymentGateway):
    """The courier collects the money: authorized at checkout, captured on delivery."""

    id = "cash_on_delivery"
    name = "Cash on delivery"

    def authorize(self, request: PaymentRequest) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=f"cod-{request.order_number}")

    def capture(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=reference)

    def refund(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=reference)


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


class DummyCardGateway(PaymentGateway):
    """A card gateway for tests and demos; the card number decides the outcome.

    Every Luhn-valid number succeeds except the decline numbers below.
    """

    id = "dummy_card"
    name = "Test card (dummy)"
    captures_on_authorize = True

    DECLINES = {
        "4000000000000002": "The card was declined.",
        "4000000000009995": "Insufficient funds.",
        "4000000000000069": "The card has expired.",
    }

    def data_validate(self, data: dict[str, Any]) -> dict[str, Any]:
        number = re.sub(r"[ -]", "", str(data.get("card_number") or ""))
        if not number:
            raise PaymentDataError({"card_number": ["This field is required."]})
        if not re.fullmatch(r"[0-9]{12,19}", number) or not luhn_valid(number):
            raise PaymentDataError({"card_number": ["Enter a valid card number."]})
        return {"card_number": number}

    def authorize(self, request: PaymentRequest) -> PaymentResult:
        number = request.data["card_number"]
        if number in self.DECLINES:
            return PaymentResult(succeeded=False, message=self.DECLINES[number])
        return PaymentResult(succeeded=True, reference=f"dummy-{uuid.uuid4().hex[:16]}")

    def capture(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=reference)

    def refund(self, *, reference: str, amount: Decimal) -> PaymentResult:
        return PaymentResult(succeeded=True, reference=reference)
