from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from commerce.accounts.models import User
from commerce.enums import PaymentStatus, UserRole
from commerce.orders.models import Order, OrderLine

DEFAULT_PASSWORD = "Correct-Horse-Battery-9"
ORDER_ADDRESS = {
    "name": "Ada Lovelace",
    "company": "",
    "street_address_1": "12 Analytical Row",
    "street_address_2": "",
    "city": "Berlin",
    "postal_code": "10115",
    "region": "",
    "country": "DE",
    "phone": "+493012345678",
}


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user with DEFAULT_PASSWORD in a role: ``UserFactory(role=UserRole.MANAGER)``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def role(
        self, create: bool, extracted: UserRole | str | None, **kwargs: object
    ) -> None:
        if create:
            role = UserRole(extracted or UserRole.CUSTOMER)
            self.groups.set([Group.objects.get(name=role.value)])


class OrderFactory(factory.django.DjangoModelFactory[Order]):
    """An order as placement leaves it (pending, unpaid), without lines.

    Traits: ``paid`` (taken by card), ``authorized`` (cash on delivery, collected on
    delivery) and ``guest`` (no customer: the contact address is all there is).
    Add lines with ``OrderLineFactory(order=…)``.
    """

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"FNT-F{n:07d}")
    customer = factory.SubFactory(UserFactory)
    contact_email = factory.LazyAttribute(
        lambda order: order.customer.email if order.customer else "guest@example.com"
    )
    shipping_address = factory.LazyFunction(lambda: dict(ORDER_ADDRESS))
    subtotal = Decimal("20.00")
    shipping = Decimal("0.00")
    tax = Decimal("0.00")
    discount = Decimal("0.00")
    total = factory.LazyAttribute(
        lambda order: order.subtotal + order.shipping - order.discount
    )

    class Params:
        paid = factory.Trait(
            payment_status=PaymentStatus.PAID, payment_gateway="dummy_card"
        )
        authorized = factory.Trait(
            payment_status=PaymentStatus.AUTHORIZED,
            payment_gateway="cash_on_delivery",
        )
        guest = factory.Trait(customer=None)


class OrderLineFactory(factory.django.DjangoModelFactory[OrderLine]):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    name = factory.Sequence(lambda n: f"Item {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    unit_price = Decimal("10.00")
    price_delta = Decimal("0.00")
    quantity = 1
    line_total = factory.LazyAttribute(
        lambda line: (line.unit_price + line.price_delta) * line.quantity
    )
