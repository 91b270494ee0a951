"""The catalogue routes, and a user's favourites (``users/favourites``).

Gathered by ``commerce/api/urls.py``.
"""

from django.urls import URLPattern, path, re_path

from commerce.catalogue.api.views import (
    attributes,
    categories,
    customizations,
    favourites,
    images,
    search,
    sellables,
)

urlpatterns: list[URLPattern] = [
    path("brands", attributes.BrandCollectionApi.as_view(), name="brand-list"),
    path("materials", attributes.MaterialCollectionApi.as_view(), name="material-list"),
    path(
        "users/favourites",
        favourites.FavouriteCollectionApi.as_view(),
        name="favourite-list",
    ),
    re_path(
        r"^users/favourites/(?P<kind>product|package)/(?P<item_id>[0-9]+)$",
        favourites.FavouriteDetailApi.as_view(),
        name="favourite-detail",
    ),
    path("products", sellables.ProductCollectionApi.as_view(), name="product-list"),
    path(
        "products/<str:lookup>",
        sellables.ProductDetailApi.as_view(),
        name="product-detail",
    ),
    path(
        "products/<str:lookup>/preview",
        images.PreviewTokenCreateApi.as_view(),
        name="product-preview",
    ),
    path("packages", sellables.PackageCollectionApi.as_view(), name="package-list"),
    path(
        "packages/<str:lookup>",
        sellables.PackageDetailApi.as_view(),
        name="package-detail",
    ),
    path(
        "packages/<str:lookup>/preview",
        images.PackagePreviewTokenCreateApi.as_view(),
        name="package-preview",
    ),
    path(
        "products/<str:lookup>/customizations",
        customizations.ItemCustomizationsApi.as_view(),
        name="product-customizations",
    ),
    path(
        "products/<str:lookup>/customizations/<int:customization_id>",
        customizations.ItemCustomizationDetachApi.as_view(),
        name="product-customization-detach",
    ),
    path(
        "packages/<str:lookup>/customizations",
        customizations.PackageCustomizationsApi.as_view(),
        name="package-customizations",
    ),
    path(
        "packages/<str:lookup>/customizations/<int:customization_id>",
        customizations.PackageCustomizationDetachApi.as_view(),
        name="package-customization-detach",
    ),
    path("images", images.CatalogueImageCreateApi.as_view(), name="image-create"),
    path(
        "categories", categories.CategoryCollectionApi.as_view(), name="category-list"
    ),
    path(
        "categories/<str:lookup>",
        categories.CategoryDetailApi.as_view(),
        name="category-detail",
    ),
    path(
        "search/suggest",
        search.CatalogueSuggestApi.as_view(),
        name="search-suggest",
    ),
    path(
        "preview/<str:token>",
        images.PreviewDetailApi.as_view(),
        name="preview-detail",
    ),
]
