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
from commerce.models.users import User, UserManager

__all__ = [
    "CategoryPage",
    "PackageComponent",
    "PackagePage",
    "PackagePageImage",
    "PackagePageTag",
    "PackageSales",
    "ProductPage",
    "ProductPageImage",
    "ProductPageTag",
    "ProductStock",
    "ShopIndexPage",
    "User",
    "UserManager",
]
