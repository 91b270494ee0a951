"""The commerce app's models, gathered from its domain packages.

Django loads ``commerce.models``; each model lives in its package's ``models``
module (catalogue's is a package that re-exports its models).
Code outside migrations imports a model from its package, not from here.
"""

from commerce.accounts.models import Address, User, UserManager
from commerce.cart.models import Cart, CartLine
from commerce.catalogue.models import (
    CategoryPage,
    PackageComponent,
    PackagePage,
    PackagePageImage,
    PackagePageTag,
    PackageSales,
    ProductPage,
    ProductPageImage,
    ProductPageTag,
    ProductStock,
    ShopIndexPage,
)
from commerce.orders.models import (
    IdempotencyRecord,
    Order,
    OrderEvent,
    OrderLine,
    PaymentTransaction,
)
from commerce.plugins.models import PluginConfiguration
from commerce.reports.models import ExportJob
from commerce.returns.models import ReturnLine, ReturnRequest
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate

__all__ = [
    "Address",
    "Cart",
    "CartLine",
    "CategoryPage",
    "ExportJob",
    "IdempotencyRecord",
    "Order",
    "OrderEvent",
    "OrderLine",
    "PackageComponent",
    "PackagePage",
    "PackagePageImage",
    "PackagePageTag",
    "PackageSales",
    "PaymentTransaction",
    "PluginConfiguration",
    "ProductPage",
    "ProductPageImage",
    "ProductPageTag",
    "ProductStock",
    "ReturnLine",
    "ReturnRequest",
    "ShippingMethod",
    "ShopIndexPage",
    "TaxClass",
    "TaxRate",
    "User",
    "UserManager",
]
