"""Cart reads: lines priced at today's prices and customization deltas."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from commerce.accounts.models import User
from commerce.cart.models import CartLine
from commerce.catalogue.models import (
    PackagePage,
    ProductPage,
    line_kind,
    sellable_model,
)
from commerce.catalogue.selectors.line_images import (
    LineImages,
    chosen_image_ids,
    line_images_get,
)
from customization.selectors import item_customizations
from customization.services import choices_validate

CENTS = Decimal("0.01")


def cart_item_get(*, kind: str, item_id: int) -> ProductPage | PackagePage:
    """A live, active product or package that can go into a cart."""
    item: ProductPage | PackagePage | None = (
        sellable_model(kind).objects.live().filter(pk=item_id, is_active=True).first()
    )
    if item is None:
        raise ValidationError({kind: ["Unknown or unavailable item."]})
    return item


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
    images: LineImages = field(default_factory=LineImages)


@dataclass
class CartView:
    lines: list[CartLineView]
    subtotal: Decimal
    item_count: int
    images: LineImages = field(default_factory=LineImages)


def _line_view(line: CartLine, customer: User) -> CartLineView:
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
                owner_id=customer.pk,
            )
            snapshot, delta = validated.snapshot, validated.price_delta_total
        except ValidationError as error:
            problem = "; ".join(error.messages)
    available = item.available_quantity() if item is not None else 0
    unit = (item.price + delta).quantize(CENTS) if item is not None else Decimal("0.00")
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
    )


def cart_view(*, customer: User) -> CartView:
    """The cart as the customer sees it now: current prices, deltas and stock."""
    lines = (
        CartLine.objects.filter(cart__customer=customer)
        .select_related("product", "product__stock", "package")
        .prefetch_related("package__components__product__stock")
        .order_by("pk")
    )
    views = [_line_view(line, customer) for line in lines]
    subtotal = sum(
        (view.line_total for view in views if not view.problem), Decimal("0.00")
    )
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
        lines=views,
        subtotal=subtotal.quantize(CENTS),
        item_count=sum(view.line.quantity for view in views),
        images=images,
    )
