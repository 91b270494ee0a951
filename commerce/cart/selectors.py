"""Cart reads: lines at today's prices, shipping, tax and totals, in the shop's currency."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from commerce.cart.models import Cart, CartLine
from commerce.catalogue.models import (
    PackagePage,
    ProductPage,
    line_kind,
    sellable_model,
)
from commerce.catalogue.models.sellables import total_weight_grams
from commerce.catalogue.selectors.line_images import (
    FIRST_IMAGE,
    LineImages,
    chosen_image_ids,
    first_image_id_subquery,
    line_images_get,
)
from commerce.catalogue.selectors.offers import (
    OFFER_PRICE_RELATED,
    SellablePricing,
    sellable_pricing,
)
from commerce.money import shop_currency
from commerce.shipping.selectors import ShippingQuote, shipping_quote
from commerce.taxes.services import TaxLineInput, TaxResult, tax_calculate
from commerce.vouchers.models import Voucher
from commerce.vouchers.selectors import (
    NO_DISCOUNT,
    DiscountLine,
    VoucherDiscount,
    voucher_discount,
    voucher_terms_get,
    voucher_uses_by,
)
from customization.selectors import item_customizations
from customization.services import choices_validate

CENTS = Decimal("0.01")
LINE_KINDS = (ProductPage.kind, PackagePage.kind)
ZERO = Decimal("0.00")


def cart_item_get(*, kind: str, item_id: int) -> ProductPage | PackagePage:
    """A live, active product or package that can go into a cart."""
    item: ProductPage | PackagePage | None = (
        sellable_model(kind)
        .objects.live()
        .filter(pk=item_id, is_active=True)
        .select_related(*OFFER_PRICE_RELATED)
        .first()
    )
    if item is None:
        raise ValidationError({kind: ["Unknown or unavailable item."]})
    return item


def cart_items_get(
    *, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], ProductPage | PackagePage]:
    """``cart_item_get`` for many ``(kind, item id)`` keys: one query per kind.

    Packages come with their components and products (what taking their stock and
    keeping them on an order line read), every item with its first gallery image
    (its order line's thumbnail). The first key not found is refused as
    ``cart_item_get`` refuses it.
    """
    items: dict[tuple[str, int], ProductPage | PackagePage] = {}
    for kind in LINE_KINDS:
        ids = {item_id for key_kind, item_id in keys if key_kind == kind}
        if not ids:
            continue
        queryset = (
            sellable_model(kind)
            .objects.live()
            .filter(pk__in=ids, is_active=True)
            .select_related(*OFFER_PRICE_RELATED)
            .annotate(**{FIRST_IMAGE: first_image_id_subquery(kind=kind)})
        )
        if kind == PackagePage.kind:
            queryset = queryset.prefetch_related("components__product")
        items.update(((kind, item.pk), item) for item in queryset)
    for kind, item_id in keys:
        if (kind, item_id) not in items:
            raise ValidationError({kind: ["Unknown or unavailable item."]})
    return items


@dataclass
class CartLineView:
    line: CartLine
    item: ProductPage | PackagePage | None
    kind: str
    unit_price: Decimal
    price_delta: Decimal
    line_total: Decimal
    available_quantity: int
    choices: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""
    thumbnail: Any = None  # a rendition of the item's first gallery image
    tax: Any = None  # the line's TaxedAmount
    discount: Decimal = ZERO  # the line's share of the voucher's discount
    pricing: SellablePricing | None = None  # the item's price now, offers included

    @property
    def price_changed_from(self) -> Decimal | None:
        """The unit price the shopper was last shown, when today's differs."""
        seen = self.line.unit_price_seen
        if seen is None or self.problem or seen == self.unit_price:
            return None
        return seen


@dataclass
class CartLines:
    lines: list[CartLineView]
    subtotal: Decimal
    item_count: int
    weight_grams: int | None  # None when some item has no weight


@dataclass
class CartView:
    cart: Cart
    lines: list[CartLineView]
    subtotal: Decimal
    item_count: int
    weight_grams: int | None
    shipping_method: ShippingQuote | None
    shipping: Decimal
    tax: Decimal
    discount: Decimal
    total: Decimal
    currency: str
    prices_include_tax: bool
    taxes: TaxResult | None = None
    problems: dict[str, str] = field(default_factory=dict)
    images: LineImages = field(default_factory=LineImages)
    voucher: Voucher | None = None

    @property
    def missing(self) -> list[str]:
        """What the checkout still needs before the order can be placed."""
        cart = self.cart
        needed = []
        if not self.lines:
            needed.append("lines")
        if cart.customer_id is None and not cart.email:
            needed.append("email")
        if not cart.shipping_address:
            needed.append("shipping_address")
        if not cart.billing_same_as_shipping and not cart.billing_address:
            needed.append("billing_address")
        if self.shipping_method is None:
            needed.append("shipping_method")
        return needed


def _line_view(line: CartLine, cart: Cart) -> CartLineView:
    item = line.product or line.package
    kind = line_kind(line)
    problem = ""
    snapshot: list[dict[str, Any]] = []
    delta = Decimal("0.00")
    if item is None or not item.live or not item.is_active:
        problem = "This item is no longer sold."
    else:
        try:
            validated = choices_validate(
                attached=item_customizations(raw_stream=item.customizations.raw_data),
                choices=line.choices,
                owner_id=cart.customer_id,
                guest_token=None if cart.customer_id else cart.token,
            )
            snapshot, delta = validated.snapshot, validated.price_delta_total
        except ValidationError as error:
            problem = "; ".join(error.messages)
    available = item.available_quantity() if item is not None else 0
    pricing = sellable_pricing(item=item) if item is not None else None
    unit = (pricing.price + delta).quantize(CENTS) if pricing is not None else ZERO
    return CartLineView(
        line=line,
        item=item,
        kind=kind,
        unit_price=unit,
        price_delta=delta,
        line_total=(unit * line.quantity).quantize(CENTS),
        available_quantity=available,
        choices=snapshot,
        problem=problem,
        pricing=pricing,
    )


def cart_lines_priced(*, cart: Cart) -> CartLines:
    """The cart's lines at today's prices and customization deltas."""
    lines = (
        CartLine.objects.filter(cart=cart)
        .select_related(
            "product",
            "product__stock",
            "package",
            *(f"{kind}__{name}" for kind in LINE_KINDS for name in OFFER_PRICE_RELATED),
        )
        .prefetch_related("package__components__product__stock")
        .order_by("pk")
    )
    views = [_line_view(line, cart) for line in lines]
    sold = [view for view in views if not view.problem]
    return CartLines(
        lines=views,
        subtotal=sum((view.line_total for view in sold), ZERO).quantize(CENTS),
        item_count=sum(view.line.quantity for view in views),
        weight_grams=total_weight_grams(
            (view.item, view.line.quantity) for view in sold
        ),
    )


def cart_discount(
    *, cart: Cart, priced: CartLines, shipping: Decimal
) -> VoucherDiscount:
    """What the cart's voucher takes off now, or (as its problem) why nothing.

    Sets each sold line's ``discount``. No voucher costs no query; a voucher three,
    and one more to count the buyer's uses when it limits them.
    """
    if cart.voucher_id is None:
        return NO_DISCOUNT
    terms = voucher_terms_get(voucher_id=cart.voucher_id)
    if terms is None:  # deleted since
        cart.voucher = None
        return NO_DISCOUNT
    cart.voucher = terms.voucher  # read once here; the cart view shows it
    sold = [view for view in priced.lines if not view.problem and view.item]
    uses = 0
    if terms.voucher.usage_limit_per_customer is not None:
        uses = voucher_uses_by(
            voucher_id=terms.voucher.pk, customer_id=cart.customer_id, email=cart.email
        )
    discount = voucher_discount(
        terms=terms,
        lines=[
            DiscountLine(
                key=str(view.line.pk),
                amount=view.line_total,
                product_id=view.line.product_id,
                item_path=view.item.path if view.item else "",
            )
            for view in sold
        ],
        subtotal=priced.subtotal,
        shipping=shipping,
        uses_by_buyer=uses,
    )
    for view in sold:
        view.discount = discount.line(str(view.line.pk))
    return discount


def cart_totals(
    *, cart: Cart, priced: CartLines
) -> tuple[ShippingQuote | None, TaxResult, dict[str, str], VoucherDiscount]:
    """The shipping quote, the voucher's discount and the taxes after the discount."""
    country = (cart.shipping_address or {}).get("country")
    problems: dict[str, str] = {}
    quote = None
    if cart.shipping_method_id is not None:
        try:
            quote = shipping_quote(
                method_id=cart.shipping_method_id,
                country=country,
                subtotal=priced.subtotal,
                item_count=priced.item_count,
                weight_grams=priced.weight_grams,
            )
        except ValidationError as error:
            problems["shipping_method"] = "; ".join(error.messages)
    shipping = quote.price if quote else ZERO
    discount = cart_discount(cart=cart, priced=priced, shipping=shipping)
    if discount.problem:
        problems["voucher"] = discount.problem
    sold = [view for view in priced.lines if not view.problem and view.item]
    taxes = tax_calculate(
        country=country,
        lines=[
            TaxLineInput(
                key=str(view.line.pk),
                amount=view.line_total - view.discount,
                tax_class_id=view.item.tax_class_id if view.item else None,
            )
            for view in sold
        ],
        shipping=shipping - discount.shipping,
    )
    by_key = {taxed.key: taxed for taxed in taxes.lines}
    for view in sold:
        view.tax = by_key.get(str(view.line.pk))
    return quote, taxes, problems, discount


def cart_view(*, cart: Cart) -> CartView:
    """The cart as the shopper sees it now: prices, deltas, stock, shipping, tax."""
    priced = cart_lines_priced(cart=cart)
    quote, taxes, problems, voucher_off = cart_totals(cart=cart, priced=priced)
    views = priced.lines
    shipping = quote.price if quote else ZERO
    tax = taxes.total_tax
    include = bool(settings.PRICES_INCLUDE_TAX)
    discount = voucher_off.total
    total = priced.subtotal + shipping - discount + (ZERO if include else tax)
    images = line_images_get(
        product_ids={view.line.product_id for view in views if view.line.product_id},
        package_ids={view.line.package_id for view in views if view.line.package_id},
        image_ids=chosen_image_ids(choice for view in views for choice in view.choices),
    )
    for view in views:
        view.thumbnail = images.thumbnail(
            kind=view.kind, item_id=view.item.pk if view.item else None
        )
    return CartView(
        cart=cart,
        lines=views,
        subtotal=priced.subtotal,
        item_count=priced.item_count,
        weight_grams=priced.weight_grams,
        shipping_method=quote,
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total.quantize(CENTS),
        currency=shop_currency(),
        prices_include_tax=include,
        taxes=taxes,
        problems=problems,
        images=images,
        voucher=cart.voucher if cart.voucher_id else None,
    )
