"""An index for the catalogue's default order, newest first: (first_published_at, id).

The product and package lists order by ``first_published_at DESC, pk DESC``
(``commerce/catalogue/selectors/cursors.py``). Wagtail indexes ``first_published_at``
alone, so when many items share a publication time (an import, a bulk publish) the
database joins every one of them (stock, offer price, rating, brand) before it can
sort and keep a page. With the tie-breaker in the index it reads the page's rows in
order and stops after the page. The index is on Wagtail's table, so it is not
declared on a model and this migration changes no model state.
"""

from django.db import migrations

INDEX = "commerce_page_newest_idx"


def newest_index_create(apps, schema_editor):
    concurrently = (
        "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} "
        "ON wagtailcore_page (first_published_at DESC, id DESC)"
    )


def newest_index_drop(apps, schema_editor):
    concurrently = (
        "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("commerce", "0025_offers"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(newest_index_create, newest_index_drop, elidable=False),
    ]
