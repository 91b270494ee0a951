"""The catalogue lists' queries with everything a card carries: offers, ratings,
brands and materials, favourites. They do not grow with the page size (5 items
against 20)."""

from decimal import Decimal

import pytest

from commerce.catalogue.services.cards import cards_invalidate
from commerce.catalogue.services.favourites import favourite_add
from commerce.catalogue.services.offers import offer_create
from commerce.catalogue.services.ratings import sellable_rating_set
from commerce.enums import OfferKind
from tests.commerce.catalogue_factories import (
    brand_make,
    category_make,
    material_make,
    package_make,
    product_make,
)
from tests.commerce.fixtures import client_for

pytestmark = pytest.mark.django_db

# Anonymous, reading the stored cards (the read model): the count, the page's rows
# with their cards, and the stock the cards show (the response cache is off here).
# Rendering the page's cards adds, once for the page: the items with their stock,
# brand, offer price and rating joined, then one query each for tags, gallery images
# with their renditions, brand logos, materials, the categories of the breadcrumbs
# and the customizations, and storing the cards (a savepoint around one INSERT).
ANONYMOUS_PRODUCT_LIST_QUERIES = (15, 3)
# A customer: the same, the token's user and application, and one query for their
# favourites among the page.
CUSTOMER_PRODUCT_LIST_QUERIES = (19, 7)
# Packages carry no brand or materials; their components come in the prefetches.
ANONYMOUS_PACKAGE_LIST_QUERIES = (11, 3)


@pytest.fixture
def full_catalogue(customer):
    """20 products and 10 packages with every kind of card data."""
    category = category_make()
    brands = [brand_make(), brand_make()]
    materials = [material_make(), material_make()]
    products = [
        product_make(
            category,
            images=1,
            tags=["a", "b"],
            brand=brands[index % 2].pk,
            materials=[material.pk for material in materials[: index % 3]],
        )
        for index in range(20)
    ]
    packages = [
        package_make(category, [(products[index], 1), (products[index + 1], 2)])
        for index in range(10)
    ]
    offer_create(
        name="Half off the odd ones",
        kind=OfferKind.PERCENTAGE,
        value=Decimal("50"),
        products=products[1::2],
        packages=packages[::2],
    )
    offer_create(
        name="Everything",
        kind=OfferKind.FIXED,
        value=Decimal("1"),
        categories=[category],
    )
    for index, item in enumerate(products + packages):
        sellable_rating_set(
            kind=item.kind,
            item_id=item.pk,
            total=4 * (index % 4 + 1),
            count=index % 4 + 1,
        )
    for item in products[::3] + packages[::3]:
        favourite_add(user=customer, kind=item.kind, item_id=item.pk)
    return {"products": products, "packages": packages}


def _queries(client, path, params, django_assert_num_queries, expected):
    """The queries of a page whose cards are rendered, then of one whose are stored.

    ``expected``: (rendering the cards, reading the stored cards).
    """
    rendering, stored = expected
    client.get(path, params)  # renditions are made once, on first use
    cards_invalidate(everything=True)
    with django_assert_num_queries(rendering):
        rendered = client.get(path, params)
    with django_assert_num_queries(stored):
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response.content == rendered.content
    return response.json()["results"]


@pytest.mark.parametrize("page_size", [5, 20], ids=["page_size_5", "page_size_20"])
@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "rating"}, {"on_sale": "true", "sort": "price"}],
    ids=["newest", "by_rating", "on_sale_by_price"],
)
def test_the_product_list_queries_are_pinned_whatever_the_page_size(
    uncached, full_catalogue, page_size, params, django_assert_num_queries
):
    results = _queries(
        client_for(None),
        "/api/products",
        {"page_size": page_size, **params},
        django_assert_num_queries,
        ANONYMOUS_PRODUCT_LIST_QUERIES,
    )

    assert len(results) == page_size
    card = results[0]
    assert card["brand"] is not None
    assert card["offer"] is not None
    assert card["rating_count"] > 0
    assert card["is_favourite"] is False


@pytest.mark.parametrize("page_size", [5, 20], ids=["page_size_5", "page_size_20"])
def test_a_customers_product_list_with_favourites_is_pinned_too(
    uncached, full_catalogue, customer, page_size, django_assert_num_queries
):
    results = _queries(
        client_for(customer),
        "/api/products",
        {"page_size": page_size, "sort": "oldest"},
        django_assert_num_queries,
        CUSTOMER_PRODUCT_LIST_QUERIES,
    )

    flags = [card["is_favourite"] for card in results]
    assert flags == [index % 3 == 0 for index in range(page_size)]


@pytest.mark.parametrize("page_size", [2, 10], ids=["page_size_2", "page_size_10"])
def test_the_package_list_queries_are_pinned_whatever_the_page_size(
    uncached, full_catalogue, page_size, django_assert_num_queries
):
    results = _queries(
        client_for(None),
        "/api/packages",
        {"page_size": page_size},
        django_assert_num_queries,
        ANONYMOUS_PACKAGE_LIST_QUERIES,
    )

    assert len(results) == page_size
    assert all(card["rating_count"] > 0 for card in results)
