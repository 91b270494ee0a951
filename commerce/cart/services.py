"""Cart writes: guest and customer carts, their lines, and the checkout's answers.

A guest's cart is reached by its token; a customer's by their login. Every write
locks the cart's row first, so concurrent changes to one cart are serialized.
"""

import hashlib
import json
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from commerce.accounts.models import Address, User
from commerce.accounts.services.addresses import address_clean, address_values
from commerce.cart.models import MAX_LINE_QUANTITY, Cart, CartLine
from commerce.cart.selectors import cart_item_get, cart_lines_priced
from commerce.catalogue.selectors.offers import sellable_pricing
from commerce.exceptions import (
    AddressNotFoundError,
    CartCredentialsMissingError,
    CartExpiredError,
    CartNotFoundError,
    CatalogueNotFoundError,
)
from commerce.shipping.selectors import shipping_quote
from commerce.vouchers.selectors import voucher_for_code
from customization.selectors import item_customizations
from customization.services import choices_validate, uploads_guest_adopt


def choices_canonical(
    choices: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], str]:
    """Sort the choices by customization and return them with their SHA-256 key."""
    ordered = sorted(
        (
            {"customization": c.get("customization"), "value": c.get("value")}
            for c in choices
        ),
        key=lambda choice: str(choice["customization"]),
    )
    key = hashlib.sha256(json.dumps(ordered, sort_keys=True).encode()).hexdigest()
    return ordered, key


# CARTS


def guest_cart_expiry() -> timedelta:
    return timedelta(days=settings.CART_GUEST_TTL_DAYS)


def cart_guest_create() -> Cart:
    """A new, empty guest cart; its token is the guest's only key to it."""
    return Cart.objects.create()


def _carts(for_update: bool) -> QuerySet[Cart]:
    return Cart.objects.select_for_update() if for_update else Cart.objects.all()


def cart_of_customer(customer: User, *, for_update: bool = False) -> Cart:
    """The customer's cart, created on first use (locked with ``for_update``)."""
    cart = _carts(for_update).filter(customer=customer).first()
    if cart is not None:
        return cart
    try:
        with transaction.atomic():
            return Cart.objects.create(customer=customer)
    except IntegrityError:  # a concurrent first use created it
        return _carts(for_update).get(customer=customer)


def cart_by_token(
    *, token: uuid.UUID, customer: User | None, for_update: bool = False
) -> Cart:
    """The cart with ``token``: a live guest cart, or the caller's own cart.

    A customer's cart is never reached by token alone, so a leaked token of a
    customer's cart is worth nothing without the login.
    """
    cart = _carts(for_update).filter(token=token).first()
    if cart is None:
        raise CartNotFoundError()
    if cart.customer_id is not None:
        if customer is None or cart.customer_id != customer.pk:
            raise CartNotFoundError()
        return cart
    if cart.updated_at < timezone.now() - guest_cart_expiry():
        raise CartExpiredError()
    return cart


def cart_resolve(
    *, customer: User | None, token: uuid.UUID | None, for_update: bool = False
) -> Cart:
    """The cart a request means: its token, its login, or both.

    A logged-in customer who still holds a guest cart's token gets the guest cart
    merged into their own (after login or registration the frontend keeps sending
    the token it had). ``for_update`` locks the cart's row (inside a transaction).
    """
    if token is None:
        if customer is None:
            raise CartCredentialsMissingError(headers={"WWW-Authenticate": "Bearer"})
        return cart_of_customer(customer, for_update=for_update)
    cart = cart_by_token(token=token, customer=customer, for_update=for_update)
    if customer is not None and cart.customer_id is None:
        return cart_merge(guest=cart, customer=customer)
    return cart


def _cart_lock(cart: Cart) -> Cart:
    return Cart.objects.select_for_update().get(pk=cart.pk)


def _cart_touch(cart: Cart) -> None:
    """Mark a change: a guest cart's expiry counts from its last change."""
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())


@transaction.atomic
def cart_merge(*, guest: Cart, customer: User) -> Cart:
    """Move a guest cart's lines into the customer's cart and delete the guest cart.

    The same item with the same choices adds up, limited by the stock available
    (and the line maximum); the guest's uploads become the customer's. Checkout
    answers the customer's cart lacks (email, addresses, method, voucher) are
    taken over.
    """
    target = _cart_lock(cart_of_customer(customer))
    locked = Cart.objects.select_for_update().filter(pk=guest.pk).first()
    if locked is None or locked.customer_id is not None:
        return target  # merged (and deleted) by a concurrent request
    guest = locked
    uploads_guest_adopt(guest_token=guest.token, owner_id=customer.pk)
    existing = {
        (line.product_id, line.package_id, line.choices_key): line
        for line in CartLine.objects.filter(cart=target)
    }
    incoming = list(
        CartLine.objects.filter(cart=guest)
        .select_related("product", "product__stock", "package")
        .prefetch_related("package__components__product__stock")
    )
    for line in incoming:
        item = line.product or line.package
        available = item.available_quantity() if item is not None else 0
        mine = existing.get((line.product_id, line.package_id, line.choices_key))
        if mine is None:
            quantity = min(line.quantity, max(available, 1), MAX_LINE_QUANTITY)
            CartLine.objects.filter(pk=line.pk).update(cart=target, quantity=quantity)
            continue
        wanted = mine.quantity + line.quantity
        quantity = min(wanted, max(available, mine.quantity), MAX_LINE_QUANTITY)
        CartLine.objects.filter(pk=mine.pk).update(quantity=quantity)
    for field in (
        "shipping_address",
        "billing_address",
        "shipping_method_id",
        "voucher_id",
    ):
        if getattr(target, field) in (None, {}) and getattr(guest, field):
            setattr(target, field, getattr(guest, field))
    if not target.shipping_address:
        target.billing_same_as_shipping = guest.billing_same_as_shipping
    target.email = target.email or guest.email
    target.save()
    Cart.objects.filter(pk=guest.pk).delete()
    return target


def cart_guest_merge_at_login(*, user: User, cart_token: uuid.UUID) -> None:
    """A login or registration that sent a guest cart's token merges that cart."""
    guest = Cart.objects.filter(token=cart_token, customer__isnull=True).first()
    if guest is not None and guest.updated_at >= timezone.now() - guest_cart_expiry():
        cart_merge(guest=guest, customer=user)


def guest_cart_token_valid(token: uuid.UUID) -> bool:
    """Whether ``token`` is a live guest cart's (guest uploads are keyed by it)."""
    return Cart.objects.filter(
        token=token,
        customer__isnull=True,
        updated_at__gte=timezone.now() - guest_cart_expiry(),
    ).exists()


def carts_guest_expired_delete(*, now: Any = None) -> int:
    """Delete guest carts unchanged for longer than CART_GUEST_TTL_DAYS."""
    cutoff = (now or timezone.now()) - guest_cart_expiry()
    _, deleted = Cart.objects.filter(
        customer__isnull=True, updated_at__lt=cutoff
    ).delete()
    return deleted.get(Cart._meta.label, 0)


# LINES


def _quantity_check(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationError({"quantity": [f"Choose 1 to {MAX_LINE_QUANTITY}."]})


@transaction.atomic
def cart_line_add(
    *,
    cart: Cart,
    kind: str,
    item_id: int,
    quantity: int,
    choices: list[dict[str, Any]],
) -> CartLine:
    """Add an item with its choices; the same item with the same choices merges."""
    item = cart_item_get(kind=kind, item_id=item_id)
    if not item.is_available:
        raise ValidationError({kind: ["This item cannot be ordered at the moment."]})
    validated = choices_validate(
        attached=item_customizations(raw_stream=item.customizations.raw_data),
        choices=choices,
        owner_id=cart.customer_id,
        guest_token=None if cart.customer_id else cart.token,
    )
    price = sellable_pricing(item=item).price
    seen = (price + validated.price_delta_total).quantize(Decimal("0.01"))
    ordered, key = choices_canonical(choices)
    cart = _cart_lock(cart)
    _cart_touch(cart)
    lookup = {"cart": cart, kind: item, "choices_key": key}
    line = CartLine.objects.filter(**lookup).first()
    if line is None:
        _quantity_check(quantity)
        return CartLine.objects.create(
            **lookup, quantity=quantity, choices=ordered, unit_price_seen=seen
        )
    _quantity_check(line.quantity + quantity)
    CartLine.objects.filter(pk=line.pk).update(
        quantity=F("quantity") + quantity, unit_price_seen=seen
    )
    line.refresh_from_db()
    return line


def _own_line(cart: Cart, line_id: int) -> CartLine:
    line = CartLine.objects.filter(pk=line_id, cart=cart).first()
    if line is None:
        raise CatalogueNotFoundError()
    return line


@transaction.atomic
def cart_line_update(*, cart: Cart, line_id: int, quantity: int) -> CartLine:
    cart = _cart_lock(cart)
    _cart_touch(cart)
    line = _own_line(cart, line_id)
    _quantity_check(quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    return line


@transaction.atomic
def cart_line_remove(*, cart: Cart, line_id: int) -> None:
    cart = _cart_lock(cart)
    _cart_touch(cart)
    _own_line(cart, line_id).delete()


def cart_prices_seen(*, cart: Cart, prices: dict[int, Decimal]) -> None:
    """Remember the unit prices the shopper was just shown (line id → price)."""
    for line_id, price in prices.items():
        CartLine.objects.filter(pk=line_id, cart=cart).exclude(
            unit_price_seen=price
        ).update(unit_price_seen=price)


# CHECKOUT ANSWERS


def _address_from(
    *, cart: Cart, data: dict[str, Any] | None, address_id: int | None
) -> dict[str, str]:
    if address_id is not None:
        saved = (
            Address.objects.filter(pk=address_id, user_id=cart.customer_id).first()
            if cart.customer_id
            else None
        )
        if saved is None:
            raise AddressNotFoundError()
        return address_values(saved)
    return address_clean(data or {})


@transaction.atomic
def cart_email_set(*, cart: Cart, email: str) -> Cart:
    cart = _cart_lock(cart)
    cart.email = email
    cart.save(update_fields=["email", "updated_at"])
    return cart


@transaction.atomic
def cart_shipping_address_set(
    *, cart: Cart, data: dict[str, Any] | None, address_id: int | None
) -> Cart:
    """Ship to a new address (validated for its country) or a saved one.

    A chosen shipping method that does not ship there is dropped.
    """
    address = _address_from(cart=cart, data=data, address_id=address_id)
    cart = _cart_lock(cart)
    cart.shipping_address = address
    cart.save(update_fields=["shipping_address", "updated_at"])
    if cart.shipping_method_id is not None:
        try:
            _method_quote(cart, cart.shipping_method_id)
        except ValidationError:
            cart.shipping_method = None
            cart.save(update_fields=["shipping_method", "updated_at"])
    return cart


@transaction.atomic
def cart_billing_address_set(
    *,
    cart: Cart,
    data: dict[str, Any] | None,
    address_id: int | None,
    same_as_shipping: bool,
) -> Cart:
    address = (
        None
        if same_as_shipping
        else _address_from(cart=cart, data=data, address_id=address_id)
    )
    cart = _cart_lock(cart)
    cart.billing_same_as_shipping = same_as_shipping
    cart.billing_address = address
    cart.save(
        update_fields=["billing_same_as_shipping", "billing_address", "updated_at"]
    )
    return cart


def _method_quote(cart: Cart, method_id: int) -> Any:
    lines = cart_lines_priced(cart=cart)
    return shipping_quote(
        method_id=method_id,
        country=(cart.shipping_address or {}).get("country"),
        subtotal=lines.subtotal,
        item_count=lines.item_count,
        weight_grams=lines.weight_grams,
    )


@transaction.atomic
def cart_shipping_method_set(*, cart: Cart, method_id: int) -> Cart:
    """Choose one of the methods offered for the cart's items and address."""
    if not cart.shipping_address:
        raise ValidationError({"shipping_method": ["Give the shipping address first."]})
    _method_quote(cart, method_id)
    cart = _cart_lock(cart)
    cart.shipping_method_id = method_id
    cart.save(update_fields=["shipping_method", "updated_at"])
    return cart


# VOUCHER


@transaction.atomic
def cart_voucher_apply(*, cart: Cart, code: str) -> Cart:
    """Apply the voucher ``code`` names (any letter case), replacing the cart's.

    A code that is unknown, inactive, outside its dates or used up is refused with
    one and the same field error. Whether it suits the cart (minimum value, items,
    the buyer's own uses) is shown by the cart, and checked again at placement.
    """
    voucher = voucher_for_code(code=code)
    cart = _cart_lock(cart)
    cart.voucher = voucher
    cart.save(update_fields=["voucher", "updated_at"])
    return cart


@transaction.atomic
def cart_voucher_remove(*, cart: Cart) -> Cart:
    cart = _cart_lock(cart)
    if cart.voucher_id is not None:
        cart.voucher = None
        cart.save(update_fields=["voucher", "updated_at"])
    return cart
