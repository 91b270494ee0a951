"""What an order's emails show: plain data for the notify templates.

Everything comes from the order's own snapshot (lines with their choices, addresses,
shipping method, totals), so an email says what was bought whatever the catalogue has
become since. Money is a string with two decimals; the currency is given once.
"""

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings

from commerce.enums import OrderStatus, PaymentStatus
from commerce.orders.models import Order, OrderLine

CENTS = Decimal("0.01")
DEFAULT_ORDER_PATH = "/api/orders/{token}"
# Older orders name the street lines line1/line2; a migration renames them, but a
# snapshot written by an older release may still carry them.
ADDRESS_KEYS = (
    ("name",),
    ("company",),
    ("street_address_1", "line1"),
    ("street_address_2", "line2"),
)


def order_url(order: Order) -> str:
    """The link to ``order`` in its emails: ``ORDER_URL``, or the API's order page."""
    template = settings.ORDER_URL or (
        settings.WAGTAILADMIN_BASE_URL.rstrip("/") + DEFAULT_ORDER_PATH
    )
    return template.replace("{token}", str(order.token)).replace(
        "{number}", quote(order.number, safe="")
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def address_lines(address: Any) -> list[str]:
    """An address as the lines of a label: name, company, street, town, region, country."""
    if not isinstance(address, dict):
        return []
    lines = [
        next((_text(address.get(key)) for key in keys if _text(address.get(key))), "")
        for keys in ADDRESS_KEYS
    ]
    town = f"{_text(address.get('postal_code'))} {_text(address.get('city'))}"
    lines += [town.strip(), _text(address.get("region")), _text(address.get("country"))]
    return [line for line in lines if line]


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENTS))


def _choice(choice: dict[str, Any]) -> dict[str, str]:
    label = choice.get("label") or choice.get("name") or "Choice"
    if choice.get("upload_id"):
        value = "your photo"
    else:
        value = choice.get("option_label") or choice.get("value") or ""
    return {
        "label": str(label),
        "value": str(value),
        "price_delta": str(choice.get("price_delta") or "0.00"),
    }


def _line(line: OrderLine) -> dict[str, Any]:
    snapshot = line.customizations if isinstance(line.customizations, list) else []
    components = line.components if isinstance(line.components, list) else []
    return {
        "name": line.name,
        "sku": line.sku,
        "quantity": line.quantity,
        "unit_price": _money(line.unit_price + line.price_delta),
        "line_total": _money(line.line_total),
        "tax_rate": str(line.tax_rate),
        "choices": [_choice(choice) for choice in snapshot if isinstance(choice, dict)],
        "components": [
            {"name": str(part.get("name", "")), "quantity": part.get("quantity", 0)}
            for part in components
            if isinstance(part, dict)
        ],
    }


def _shipping_method(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    return {"name": str(value["name"]), "price": str(value.get("price", ""))}


def order_email_context(*, order_id: int) -> dict[str, Any] | None:
    """The ``order`` of an order email's context; None when the order is gone.

    Its keys are those of ``notify.defaults.SAMPLE_CONTEXTS``' orders, which the
    template editor previews: number, url, status, lines (name, sku, quantity,
    unit_price with the choices' deltas, line_total, choices of label and value),
    subtotal, shipping, tax, discount, total, currency, prices_include_tax,
    shipping_method (name, price, or None), shipping and billing address lines,
    contact_email, tracking_carrier and tracking_number.
    """
    order = Order.objects.prefetch_related("lines").filter(pk=order_id).first()
    if order is None:
        return None
    return {
        "id": order.pk,
        "number": order.number,
        "url": order_url(order),
        "status": order.status,
        "status_label": OrderStatus(order.status).label.lower(),
        "payment_status": order.payment_status,
        "payment_status_label": PaymentStatus(order.payment_status).label.lower(),
        "is_guest": order.customer_id is None,
        "contact_email": order.contact_email,
        "contact_phone": order.contact_phone,
        "lines": [_line(line) for line in order.lines.all()],
        "subtotal": _money(order.subtotal),
        "shipping": _money(order.shipping),
        "tax": _money(order.tax),
        "discount": _money(order.discount),
        "total": _money(order.total),
        "currency": order.currency,
        "prices_include_tax": order.prices_include_tax,
        "shipping_method": _shipping_method(order.shipping_method),
        "shipping_address_lines": address_lines(order.shipping_address),
        "billing_address_lines": address_lines(order.billing_address),
        "recipient_name": _text(
            order.shipping_address.get("name")
            if isinstance(order.shipping_address, dict)
            else ""
        ),
        "is_gift": order.is_gift,
        "gift_message": order.gift_message,
        "tracking_carrier": order.tracking_carrier,
        "tracking_number": order.tracking_number,
    }
