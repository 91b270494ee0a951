"""The catalogue: Wagtail pages for the shop, categories, products and packages.

Anything orders or reviews change (stock, units sold, ratings) lives in plain models keyed to the page,
never in revisioned page fields: publishing an old revision must not restore it.

Every public name of the modules below is importable from here; Django and the
migrations import the models from ``commerce.catalogue.models``.
"""

from commerce.catalogue.models.attributes import (
    BRAND_LOGO_RENDITION,
    Brand,
    Material,
)
from commerce.catalogue.models.cards import SellableCard
from commerce.catalogue.models.favourites import Favourite
from commerce.catalogue.models.images import (
    GALLERY_IMAGE_API_FIELDS,
    GALLERY_IMAGE_MODELS,
    IMAGE_RENDITIONS,
    PackagePageImage,
    ProductPageImage,
    SellablePageImage,
)
from commerce.catalogue.models.offers import (
    Offer,
    PackageOfferPrice,
    ProductOfferPrice,
)
from commerce.catalogue.models.pages import CategoryPage, ShopIndexPage
from commerce.catalogue.models.ratings import (
    RATING_MODELS,
    RATING_RANK_FACTOR,
    PackageRating,
    ProductRating,
)
from commerce.catalogue.models.sellables import (
    PRICE_FIELD_OPTIONS,
    SELLABLE_MODELS,
    OrderLineSnapshot,
    PackageComponent,
    PackagePage,
    PackagePageTag,
    ProductPage,
    ProductPageTag,
    SellablePage,
    line_kind,
    sellable_model,
)
from commerce.catalogue.models.stock import PackageSales, ProductStock

__all__ = [
    "BRAND_LOGO_RENDITION",
    "GALLERY_IMAGE_API_FIELDS",
    "GALLERY_IMAGE_MODELS",
    "IMAGE_RENDITIONS",
    "PRICE_FIELD_OPTIONS",
    "RATING_MODELS",
    "RATING_RANK_FACTOR",
    "SELLABLE_MODELS",
    "Brand",
    "CategoryPage",
    "Favourite",
    "Material",
    "Offer",
    "OrderLineSnapshot",
    "PackageComponent",
    "PackageOfferPrice",
    "PackagePage",
    "PackagePageImage",
    "PackagePageTag",
    "PackageRating",
    "PackageSales",
    "ProductOfferPrice",
    "ProductPage",
    "ProductPageImage",
    "ProductPageTag",
    "ProductRating",
    "ProductStock",
    "SellableCard",
    "SellablePage",
    "SellablePageImage",
    "ShopIndexPage",
    "line_kind",
    "sellable_model",
]
