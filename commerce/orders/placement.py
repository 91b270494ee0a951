"""Placing orders: from a checked-out cart (guest or customer) or from explicit lines.

Placement is one transaction: the stock rows of every product involved (packages
expand to their components) are locked in primary-key order, checked and decremented;
the order keeps a snapshot of names, prices, choices, addresses, the shipping method
and the taxes; the cart's voucher is locked (after the stock), checked again and
its use counted; the cart is emptied; and an outbox event is written. Any failure
leaves nothing changed.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commerce.accounts.models import User
from commerce.cart.models import Cart, CartLine
from commerce.cart.selectors import cart_item_get, cart_items_get
from commerce.catalogue.models import PackagePage, PackageSales, ProductPage
from commerce.catalogue.models.sellables import total_weight_grams
from commerce.catalogue.selectors.line_images import (
    FIRST_IMAGE,
    first_image_id_subquery,
)
from commerce.catalogue.selectors.offers import OFFER_PRICE_RELATED, sellable_pricing
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.catalogue.services.stock import stock_take
from commerce.enums import OrderStatus
from commerce.events import OrderCreated, record
from commerce.exceptions import (
    CartChangedError,
    CartNotFoundError,
    EmptyOrderError,
    InsufficientStockError,
    VoucherNotApplicableError,
)
from commerce.money import money_round, shop_currency
from commerce.orders.models import Order, OrderEvent, OrderLine, OrderNumberNext
from commerce.orders.services import order_event_payload
from commerce.plugins.manager import PluginManager, plugin_manager
from commerce.shipping.models import ShippingMethod
from commerce.shipping.selectors import ShippingQuote, shipping_quote
from commerce.taxes.services import (
    TaxedAmount,
    TaxLineInput,
    TaxResult,
    tax_calculate,
)
from commerce.vouchers.models import Voucher
from commerce.vouchers.selectors import (
    NO_DISCOUNT,
    DiscountLine,
    VoucherDiscount,
    voucher_discount,
    voucher_terms_get,
    voucher_uses_by,
)
from commerce.vouchers.services import voucher_usage_record
from customization.models import CustomerUpload
from customization.selectors import item_customizations
from customization.services import choices_validate

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RequestedLine:
    kind: str
    item_id: int
    quantity: int
    choices: list[dict[str, Any]]
    # The cart line it comes from, and the unit price its shopper was shown.
    cart_line_id: int | None = None
    unit_price_seen: Decimal | None = None
    item: ProductPage | PackagePage | None = None


@dataclass(frozen=True)
class PlacedLine:
    item: ProductPage | PackagePage
    kind: str
    quantity: int
    snapshot: list[dict[str, Any]]
    delta: Decimal
    needs_approval: bool
    upload_ids: list[str]
    requested: RequestedLine
    unit_price: Decimal = ZERO
    # While an offer lowers the price: the item's regular price and the offer.
    original_unit_price: Decimal | None = None
    offer_name: str = ""

    @property
    def line_total(self) -> Decimal:
        return money_round((self.unit_price + self.delta) * self.quantity)


@dataclass(frozen=True)
class Buyer:
    """Who places the order: a customer, or a guest known by their cart's token."""

    customer: User | None
    guest_token: uuid.UUID | None = None

    @property
    def owner_id(self) -> int | None:
        return self.customer.pk if self.customer is not None else None


def _line_priced(line: PlacedLine, plugins: PluginManager) -> PlacedLine:
    """The line with its unit price: the item's price now, as the plugins adjust it.

    The price now is the best running offer's when one applies; the line keeps the
    offer's name and the regular price.
    """
    pricing = sellable_pricing(item=line.item)
    price = plugins.chain(
        "line_unit_price",
        pricing.price,
        kind=line.kind,
        item_id=line.item.pk,
        sku=line.item.sku,
        quantity=line.quantity,
    )
    return replace(
        line,
        unit_price=money_round(Decimal(price)),
        original_unit_price=line.item.price if pricing.has_offer else None,
        offer_name=pricing.offer_name,
    )


def _line_prepare(buyer: Buyer, requested: RequestedLine) -> PlacedLine:
    item = requested.item
    if item is None:
        item = cart_item_get(kind=requested.kind, item_id=requested.item_id)
    elif not item.live or not item.is_active:
        raise CartChangedError(
            f"{item.title} is no longer sold.",
            extra={"changes": [_change(requested, item, "item", problem="not sold")]},
        )
    if not item.is_available:
        raise InsufficientStockError(f"{item.title} cannot be ordered at the moment.")
    validated = choices_validate(
        attached=item_customizations(raw_stream=item.customizations.raw_data),
        choices=requested.choices,
        owner_id=buyer.owner_id,
        guest_token=buyer.guest_token,
    )
    return PlacedLine(
        item=item,
        kind=requested.kind,
        quantity=requested.quantity,
        snapshot=validated.snapshot,
        delta=validated.price_delta_total,
        needs_approval=validated.needs_approval,
        upload_ids=validated.upload_ids,
        requested=requested,
    )


def _change(
    requested: RequestedLine, item: ProductPage | PackagePage, field: str, **values: Any
) -> dict[str, Any]:
    return {
        "line": requested.cart_line_id,
        "kind": requested.kind,
        "item_id": item.pk,
        "name": item.title,
        "field": field,
        **values,
    }


def _prices_check(placed: list[PlacedLine]) -> None:
    """Refuse when a unit price differs from the one the shopper was shown."""
    changes = []
    for line in placed:
        seen = line.requested.unit_price_seen
        price = sellable_pricing(item=line.item).price
        now = (price + line.delta).quantize(Decimal("0.01"))
        if seen is not None and seen != now:
            changes.append(
                _change(
                    line.requested,
                    line.item,
                    "unit_price",
                    shown=str(seen),
                    now=str(now),
                    currency=shop_currency(),
                )
            )
    if changes:
        listed = ", ".join(
            f"{c['name']} ({c['shown']} → {c['now']} {c['currency']})" for c in changes
        )
        raise CartChangedError(
            f"Prices changed since the cart was shown: {listed}. Read the cart "
            "again and confirm.",
            extra={"changes": changes},
        )


def _units_needed(lines: list[PlacedLine]) -> dict[int, int]:
    """Units of each product, packages expanded to their components."""
    needed: dict[int, int] = defaultdict(int)
    for line in lines:
        for product_id, units in line.item.units_needed(line.quantity).items():
            needed[product_id] += units
    return dict(needed)


def _items_loaded(lines: list[RequestedLine]) -> list[RequestedLine]:
    """Explicit lines with their items: one query per kind, not one per line."""
    items = cart_items_get(keys=[(line.kind, line.item_id) for line in lines])
    return [replace(line, item=items[(line.kind, line.item_id)]) for line in lines]


def _shipping(
    *,
    method_id: int | None,
    address: dict[str, Any],
    lines: list[PlacedLine],
    subtotal: Decimal,
) -> ShippingQuote | None:
    """The chosen method's quote; a shop with active methods requires one."""
    if method_id is None:
        if ShippingMethod.objects.filter(is_active=True).exists():
            raise ValidationError({"shipping_method": ["Choose a shipping method."]})
        return None
    return shipping_quote(
        method_id=method_id,
        country=address.get("country"),
        subtotal=subtotal,
        item_count=sum(line.quantity for line in lines),
        weight_grams=total_weight_grams((line.item, line.quantity) for line in lines),
    )


def _voucher_take(
    *,
    cart: Cart | None,
    customer: User | None,
    email: str,
    lines: list[PlacedLine],
    subtotal: Decimal,
    shipping: Decimal,
) -> tuple[Voucher | None, VoucherDiscount]:
    """The cart's voucher, locked, and what it takes off this order (line keys: index).

    Locked after the stock rows, like every writer of ``Voucher.uses``, and checked
    again under the lock: one that no longer applies (dates, limits, minimum order
    value, items) is a conflict naming the reason. A cart without one costs nothing.
    """
    if cart is None or cart.voucher_id is None:
        return None, NO_DISCOUNT
    terms = voucher_terms_get(voucher_id=cart.voucher_id, for_update=True)
    if terms is None:
        raise VoucherNotApplicableError("The voucher no longer exists.")
    voucher = terms.voucher
    uses = 0
    if voucher.usage_limit_per_customer is not None:
        uses = voucher_uses_by(
            voucher_id=voucher.pk,
            customer_id=customer.pk if customer is not None else None,
            email=email,
        )
    discount = voucher_discount(
        terms=terms,
        lines=[
            DiscountLine(
                key=str(index),
                amount=line.line_total,
                product_id=line.item.pk if line.kind == "product" else None,
                item_path=line.item.path,
            )
            for index, line in enumerate(lines)
        ],
        subtotal=subtotal,
        shipping=shipping,
        uses_by_buyer=uses,
    )
    if discount.problem:
        raise VoucherNotApplicableError(
            f"The voucher {voucher.code} no longer applies: {discount.problem} "
            "Remove it (DELETE …/voucher) or change the cart, then try again.",
            extra={"voucher": voucher.code, "reason": discount.problem},
        )
    return voucher, discount


def _taxes(
    lines: list[PlacedLine],
    address: dict[str, Any],
    *,
    shipping: Decimal,
    off: VoucherDiscount,
) -> TaxResult:
    """The taxes of the lines and the shipping, less what the voucher takes off."""
    return tax_calculate(
        country=address.get("country"),
        lines=[
            TaxLineInput(
                key=str(index),
                amount=line.line_total - off.line(str(index)),
                tax_class_id=line.item.tax_class_id,
            )
            for index, line in enumerate(lines)
        ],
        shipping=shipping - off.shipping,
    )


def _order_lines(
    order: Order,
    lines: list[PlacedLine],
    taxes: list[TaxedAmount],
    discount: VoucherDiscount,
) -> list[OrderLine]:
    created = []
    for index, (line, taxed) in enumerate(zip(lines, taxes, strict=True)):
        snapshot = line.item.order_line_snapshot(unit_price=line.unit_price)
        created.append(
            OrderLine(
                order=order,
                **{line.kind: line.item},
                name=snapshot.name,
                sku=snapshot.sku,
                unit_price=snapshot.unit_price,
                original_unit_price=line.original_unit_price,
                offer_name=line.offer_name,
                price_delta=line.delta,
                quantity=line.quantity,
                line_total=line.line_total,
                discount=discount.line(str(index)),
                tax_rate=taxed.rate,
                net=taxed.net,
                tax=taxed.tax,
                gross=taxed.gross,
                customizations=line.snapshot,
                components=snapshot.components,
            )
        )
    return OrderLine.objects.bulk_create(created)


def _order_loaded(order: Order, lines: list[OrderLine], event: OrderEvent) -> Order:
    """The new order with what it holds, so it is answered without reading it back.

    Filled in as ``prefetch_related`` fills it: querysets with their results.
    """
    held = {"lines": lines, "events": [event], "payment_transactions": []}
    cache = {}
    for name, values in held.items():
        queryset = getattr(order, name).all()
        queryset._result_cache = values
        queryset._prefetch_done = True
        cache[name] = queryset
    order._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    return order


# No savepoint of its own: a failure rolls back the caller's transaction (the API's
# idempotency block, or the one this opens when there is none).
@transaction.atomic(savepoint=False)
def order_place(
    *,
    customer: User | None,
    lines: list[RequestedLine] | None,
    contact: dict[str, Any],
    shipping_address: dict[str, Any],
    gift: dict[str, Any],
    billing_address: dict[str, Any] | None = None,
    shipping_method_id: int | None = None,
    cart: Cart | None = None,
    cart_locked: bool = False,
) -> Order:
    """Place an order from explicit ``lines`` or, when None, from a cart.

    The cart is ``cart`` (after the checkout steps; ``cart_locked`` when the caller
    holds its row lock) or the customer's. Prices the shopper was shown that
    changed since answer 409 with the changes.
    """
    from_cart = lines is None
    if from_cart and cart is None:
        if customer is None:
            raise CartNotFoundError()
        cart = Cart.objects.get_or_create(customer=customer)[0]
    if from_cart and cart is not None and not cart_locked:
        locked = Cart.objects.select_for_update().filter(pk=cart.pk).first()
        if locked is None:
            raise CartNotFoundError()
        cart = locked
    buyer = Buyer(
        customer=customer,
        guest_token=cart.token if cart is not None and customer is None else None,
    )
    if from_cart and cart is not None:
        requested = _cart_lines(cart)
    else:
        requested = _items_loaded(lines or [])
    if not requested:
        raise EmptyOrderError("The cart is empty." if from_cart else None)
    placed = [_line_prepare(buyer, line) for line in requested]
    _prices_check(placed)
    plugins = plugin_manager()
    plugins.chain(
        "order_validate",
        None,
        order={
            "customer_id": buyer.owner_id,
            "lines": [
                {"kind": p.kind, "item_id": p.item.pk, "quantity": p.quantity}
                for p in placed
            ],
            "shipping_address": shipping_address,
        },
    )
    placed = [_line_priced(line, plugins) for line in placed]
    subtotal = sum((line.line_total for line in placed), ZERO)
    quote = _shipping(
        method_id=shipping_method_id,
        address=shipping_address,
        lines=placed,
        subtotal=subtotal,
    )
    email = contact.get("email") or (customer.email if customer is not None else "")
    if not email:
        raise ValidationError({"email": ["Give the email the order is sent to."]})
    shipping = quote.price if quote is not None else ZERO
    voucher_cart = cart if from_cart else None
    # Without a voucher the taxes are known now, before the stock rows are locked.
    taxes = None
    if voucher_cart is None or voucher_cart.voucher_id is None:
        taxes = _taxes(placed, shipping_address, shipping=shipping, off=NO_DISCOUNT)
    needed = _units_needed(placed)
    # Before the stock rows are locked, to keep them locked for fewer statements: the
    # cached bodies stay, the products' stock records are dropped now and written
    # again after the commit (a refused order only costs a few record misses).
    catalogue_cache_invalidate(product_ids=needed, stock_only=True)
    stock_take(units=needed)
    voucher, voucher_off = _voucher_take(
        cart=voucher_cart,
        customer=customer,
        email=email,
        lines=placed,
        subtotal=subtotal,
        shipping=shipping,
    )
    if taxes is None:
        taxes = _taxes(placed, shipping_address, shipping=shipping, off=voucher_off)
    include = bool(settings.PRICES_INCLUDE_TAX)
    tax = taxes.total_tax
    discount = voucher_off.total
    needs_review = any(line.needs_approval for line in placed)
    status = OrderStatus.UNDER_REVIEW if needs_review else OrderStatus.PENDING
    order = Order.objects.create(
        # Computed in the INSERT and read back with the primary key.
        number=OrderNumberNext(),
        customer=customer,
        status=status,
        contact_email=email,
        contact_phone=contact.get("phone", ""),
        shipping_address=shipping_address,
        billing_address=billing_address or shipping_address,
        shipping_method=None
        if quote is None
        else {
            "id": quote.method_id,
            "name": quote.name,
            "price": str(quote.price),
            "currency": shop_currency(),
        },
        is_gift=gift.get("is_gift", False),
        is_anonymous=gift.get("is_anonymous", False),
        gift_message=gift.get("gift_message", ""),
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        discount=discount,
        voucher_code=voucher.code if voucher is not None else "",
        prices_include_tax=include,
        total=subtotal + shipping - discount + (ZERO if include else tax),
        currency=shop_currency(),
    )
    order_lines = _order_lines(order, placed, taxes.lines, voucher_off)
    if voucher is not None:
        voucher_usage_record(
            voucher=voucher, order=order, customer=customer, email=email
        )
    for line in placed:
        if isinstance(line.item, PackagePage):
            PackageSales.objects.get_or_create(package=line.item)
            PackageSales.objects.filter(pk=line.item.pk).update(
                units_sold=F("units_sold") + line.quantity
            )
    upload_ids = [upload for line in placed for upload in line.upload_ids]
    if upload_ids:
        CustomerUpload.objects.filter(pk__in=upload_ids).update(used_at=timezone.now())
    event = OrderEvent.objects.create(
        order=order, actor=customer, from_status="", to_status=status
    )
    if from_cart and cart is not None:
        _cart_empty(cart)
    record(OrderCreated(**order_event_payload(order)))
    return _order_loaded(order, order_lines, event)


def _cart_lines(cart: Cart) -> list[RequestedLine]:
    """The cart's lines with their items loaded (one query, packages prefetched).

    Each item holds its first gallery image (``FIRST_IMAGE``): the order's response
    then needs no gallery query.
    """
    lines = (
        CartLine.objects.filter(cart=cart)
        .select_related(
            "product",
            "package",
            *(
                f"{kind}__{name}"
                for kind in (ProductPage.kind, PackagePage.kind)
                for name in OFFER_PRICE_RELATED
            ),
        )
        .prefetch_related("package__components__product")
        .annotate(
            **{
                f"{kind}_image": first_image_id_subquery(kind=kind, page=f"{kind}_id")
                for kind in (ProductPage.kind, PackagePage.kind)
            }
        )
        .order_by("pk")
    )
    requested = []
    for line in lines:
        item = line.product or line.package
        if item is None:
            continue
        setattr(item, FIRST_IMAGE, getattr(line, f"{item.kind}_image"))
        requested.append(
            RequestedLine(
                kind=item.kind,
                item_id=item.pk,
                quantity=line.quantity,
                choices=line.choices,
                cart_line_id=line.pk,
                unit_price_seen=line.unit_price_seen,
                item=item,
            )
        )
    return requested


def _cart_empty(cart: Cart) -> None:
    """A guest's cart is done with; a customer's keeps its answers for next time.

    Not its voucher, which was used.
    """
    if cart.customer_id is None:
        Cart.objects.filter(pk=cart.pk).delete()
        return
    CartLine.objects.filter(cart=cart).delete()
    if cart.voucher_id is not None:
        Cart.objects.filter(pk=cart.pk).update(voucher=None)


def checkout_complete(
    *,
    cart: Cart,
    customer: User | None,
    contact_phone: str,
    gift: dict[str, Any],
    cart_locked: bool = False,
) -> Order:
    """Place the order a cart's checkout steps describe.

    Every step must be done (``missing`` of the cart view is empty); a guest gives
    an email, everyone a shipping address and, where the shop ships with methods,
    one of the methods offered for the cart and address.
    """
    missing = {}
    if customer is None and not cart.email:
        missing["email"] = ["Give an email address first (PUT …/email)."]
    if not cart.shipping_address:
        missing["shipping_address"] = [
            "Give a shipping address first (PUT …/shipping-address)."
        ]
    if not cart.billing_same_as_shipping and not cart.billing_address:
        missing["billing_address"] = [
            "Give a billing address, or say it is the same as the shipping address."
        ]
    if missing:
        raise ValidationError(missing)
    shipping_address = dict(cart.shipping_address or {})
    return order_place(
        customer=customer,
        lines=None,
        cart=cart,
        contact={"email": cart.email, "phone": contact_phone},
        shipping_address=shipping_address,
        billing_address=shipping_address
        if cart.billing_same_as_shipping
        else dict(cart.billing_address or {}),
        shipping_method_id=cart.shipping_method_id,
        gift=gift,
        cart_locked=cart_locked,
    )
