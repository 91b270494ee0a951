"""The indexes of migration 0010 exist and the catalogue queries can use them."""

import pytest
from django.db import connection

from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.selectors.sellables import (
    CatalogueFilters,
    package_list,
    product_list,
)
from customization.selectors import pages_with_customizations

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="GIN/JSONB indexes and EXPLAIN output are PostgreSQL's",
    ),
]


def _plan(queryset):
    with connection.cursor() as cursor:
        # Tiny test tables would be scanned anyway; ask whether an index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (
            lambda: ProductPage.objects.filter(price__gte=5).order_by("price", "pk"),
            "commerce_productpage_price_idx",
        ),
        (
            lambda: PackagePage.objects.filter(price__lte=5),
            "commerce_packagepage_price_idx",
        ),
        (
            lambda: pages_with_customizations(model=ProductPage, customization_ids=[1]),
            "commerce_productpage_customizations_gin",
        ),
        (
            lambda: pages_with_customizations(model=PackagePage, customization_ids=[1]),
            "commerce_packagepage_customizations_gin",
        ),
    ],
    ids=[
        "product_price_case",
        "package_price_case",
        "product_customizations_case",
        "package_customizations_case",
    ],
)
def test_catalogue_filters_can_use_their_index(queryset, index):
    assert index in _plan(queryset())


def test_every_added_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes")
        names = {row[0] for row in cursor.fetchall()}

    assert {
        "commerce_productpage_price_idx",
        "commerce_packagepage_price_idx",
        "commerce_page_title_idx",
        "commerce_order_total_idx",
        "commerce_productpage_customizations_gin",
        "commerce_packagepage_customizations_gin",
        "commerce_page_newest_idx",
    } <= names


@pytest.mark.parametrize(
    "list_of", [product_list, package_list], ids=["products", "packages"]
)
def test_the_newest_first_page_reads_its_rows_in_index_order(list_of):
    # Without a sort step the first page stops after its rows, however many items
    # share a publication time.
    queryset = list_of(filters=CatalogueFilters()).order_by(
        "-first_published_at", "-pk"
    )[:20]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "commerce_page_newest_idx" in plan


def test_a_deep_cursor_page_of_published_items_reads_the_newest_first_index():
    from datetime import UTC, datetime

    from django.test.utils import CaptureQueriesContext

    from commerce.catalogue.selectors.cursors import (
        KeysetPosition,
        catalogue_keyset_page,
    )

    after = KeysetPosition(
        sort="newest", value=datetime(2026, 1, 1, tzinfo=UTC).isoformat(), pk=10**6
    )
    with CaptureQueriesContext(connection) as queries:
        catalogue_keyset_page(
            product_list(filters=CatalogueFilters()),
            sort="newest",
            after=after,
            size=20,
            published_only=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {queries.captured_queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "commerce_page_newest_idx" in plan
