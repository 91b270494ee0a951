"""Factories of the checkout's settings: shipping methods, tax classes and rates."""

from decimal import Decimal

import factory

from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate


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
