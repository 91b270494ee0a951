from commerce.models.cart import Cart, CartLine
from commerce.models.catalogue import (
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
from commerce.models.exports import ExportJob
from commerce.models.orders import (
    IdempotencyRecord,
    Order,
    OrderEvent,
    OrderLine,
    PaymentTransaction,
)
from commerce.models.plugins import PluginConfiguration
from commerce.models.users import User, UserManager

__all__ = [
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
    "ShopIndexPage",
    "User",
    "UserManager",
]
