"""Factories of the checkout's settings: shipping methods, taxes and vouchers."""

from decimal import Decimal

import factory

from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate
from commerce.vouchers.enums import VoucherKind
from commerce.vouchers.models import Voucher


class ShippingMethodFactory(factory.django.DjangoModelFactory[ShippingMethod]):
    """An active method to every country: ``ShippingMethodFactory(countries=["DE"])``."""

    class Meta:
        model = ShippingMethod

    name = factory.Sequence(lambda n: f"Method {n}")
    price = Decimal("4.90")
    countries = factory.LazyFunction(list)


class TaxClassFactory(factory.django.DjangoModelFactory[TaxClass]):
    class Meta:
        model = TaxClass
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tax class {n}")


class TaxRateFactory(factory.django.DjangoModelFactory[TaxRate]):
    """The standard rate of a country unless given a ``tax_class``."""

    class Meta:
        model = TaxRate

    country = "DE"
    tax_class = None
    rate = Decimal("19.00")


class VoucherFactory(factory.django.DjangoModelFactory[Voucher]):
    """10 % off everything, with no dates or limits: ``VoucherFactory(value=...)``."""

    class Meta:
        model = Voucher

    code = factory.Sequence(lambda n: f"CODE{n}")
    kind = VoucherKind.PERCENTAGE
    value = Decimal("10")
