"""Prefix and typo-tolerant name search on PostgreSQL: pg_trgm and a GIN index.

The catalogue's search and suggestions compare ``UPPER(title)`` of
``wagtailcore_page`` with ``LIKE 'BOUQ%'`` / ``LIKE '% BOUQ%'`` and pg_trgm's strict
word similarity operator (``%>>``); a GIN ``gin_trgm_ops`` index on that expression
serves all three (see ``commerce/catalogue/selectors/search.py``). pg_trgm ships with
PostgreSQL and is a trusted extension (PostgreSQL 13+): the database's owner may
create it. The index is not declared on a model (it is on Wagtail's table and
PostgreSQL-only), so this migration changes no model state. SQLite and other
databases get nothing: their search matches prefixes without an index.
"""

from django.db import migrations

INDEX = "commerce_page_title_trgm"


def trigram_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON wagtailcore_page USING gin (UPPER(title) gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it.
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("commerce", "0019_shipping_and_taxes_admin"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            trigram_index_create, trigram_index_drop, elidable=False
        ),
    ]
