"""Review builders for tests: delivered order lines, and reviews through the service."""

from typing import Any

from commerce.accounts.models import User
from commerce.catalogue.models import PackagePage, ProductPage
from commerce.enums import OrderStatus
from commerce.orders.models import OrderLine
from commerce.reviews.models import Review
from commerce.reviews.services import review_submit
from tests.commerce.factories import OrderFactory, OrderLineFactory


def received_line_make(
    customer: User,
    item: ProductPage | PackagePage,
    *,
    status: str = OrderStatus.DELIVERED,
) -> OrderLine:
    """An order line of ``item`` in an order of ``customer`` that is in ``status``."""
    order = OrderFactory(customer=customer, status=status, paid=True)
    return OrderLineFactory(
        order=order, **{item.kind: item}, name=item.title, sku=item.sku
    )


def review_make(
    customer: User, item: ProductPage | PackagePage, rating: int, **fields: Any
) -> Review:
    """A review by ``customer``, who is first delivered an order of ``item``."""
    received_line_make(customer, item)
    return review_submit(
        customer=customer,
        kind=item.kind,
        item_id=item.pk,
        rating=rating,
        **fields,
    ).review
