"""Indexes for the filters and sorts the API offers that had none.

Already indexed elsewhere: category (wagtailcore_page.path, varchar_pattern_ops),
newest/oldest (wagtailcore_page.first_published_at), popularity and in_stock
(commerce_productstock.units_sold/quantity, commerce_packagesales.units_sold), tags
(taggit foreign keys and the unique tag slug), search (Wagtail's database search
backend: GIN full-text indexes on wagtailsearch_indexentry), order status, customer
and created_at.

Added here: price on products and packages, name (wagtailcore_page.title), GIN
(jsonb_path_ops) on the customizations JSONB that the customization_kind filter
queries with @>, and order total. The indexes are not declared on the models (some
are on Wagtail's table, or PostgreSQL-only), so this migration changes no model
state. PostgreSQL builds them CONCURRENTLY (no write lock on a live table); SQLite
gets the B-tree ones; other databases none.
"""

from django.db import migrations

BTREE = {
    "commerce_productpage_price_idx": "commerce_productpage (price, page_ptr_id)",
    "commerce_packagepage_price_idx": "commerce_packagepage (price, page_ptr_id)",
    "commerce_page_title_idx": "wagtailcore_page (title, id)",
    "commerce_order_total_idx": "commerce_order (total, id)",
}
GIN = {
    "commerce_productpage_customizations_gin": (
        "commerce_productpage USING gin (customizations jsonb_path_ops)"
    ),
    "commerce_packagepage_customizations_gin": (
        "commerce_packagepage USING gin (customizations jsonb_path_ops)"
    ),
}


def _indexes(vendor):
    if vendor == "postgresql":
        return {**BTREE, **GIN}
    if vendor == "sqlite":
        return BTREE
    return {}


def indexes_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    concurrently = " CONCURRENTLY" if vendor == "postgresql" else ""
    for name, target in _indexes(vendor).items():
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON {target}"
        )


def indexes_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    concurrently = " CONCURRENTLY" if vendor == "postgresql" else ""
    for name in _indexes(vendor):
        schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("commerce", "0009_payments"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(indexes_create, indexes_drop, elidable=False),
    ]
