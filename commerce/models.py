"""The commerce app's models, gathered from its domain packages.

Django loads ``commerce.models``; each model lives in its package's ``models``
module (catalogue's is a package that re-exports its models).
Code outside migrations imports a model from its package, not from here.
"""

from commerce.accounts.models import Address, User, UserManager
from commerce.cart.models import Cart, CartLine
from commerce.catalogue.models import (
    Brand,
    CategoryPage,
    Favourite,
    Material,
    PackageComponent,
    PackagePage,
    PackagePageImage,
    PackagePageTag,
    PackageRating,
    PackageSales,
    ProductPage,
    ProductPageImage,
    ProductPageTag,
    ProductRating,
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
from commerce.reviews.models import Review
from commerce.shipping.models import ShippingMethod
from commerce.taxes.models import TaxClass, TaxRate
from commerce.vouchers.models import Voucher, VoucherUsage

__all__ = [
    "Address",
    "Brand",
    "Cart",
    "CartLine",
    "CategoryPage",
    "ExportJob",
    "Favourite",
    "IdempotencyRecord",
    "Material",
    "Order",
    "OrderEvent",
    "OrderLine",
    "PackageComponent",
    "PackagePage",
    "PackagePageImage",
    "PackagePageTag",
    "PackageRating",
    "PackageSales",
    "PaymentTransaction",
    "PluginConfiguration",
    "ProductPage",
    "ProductPageImage",
    "ProductPageTag",
    "ProductRating",
    "ProductStock",
    "Review",
    "ReturnLine",
    "ReturnRequest",
    "ShippingMethod",
    "ShopIndexPage",
    "TaxClass",
    "TaxRate",
    "User",
    "UserManager",
    "Voucher",
    "VoucherUsage",
]
