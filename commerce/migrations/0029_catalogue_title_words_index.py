"""Type-ahead on PostgreSQL: a GIN index of the words of page titles.

``/api/search/suggest`` first looks up names having a word that starts with each
word typed, ``to_tsvector('simple', title) @@ to_tsquery('simple', 'bouq:*')``
(see ``commerce/catalogue/selectors/search.py``): through this index it reads the
matching names only, where the trigram conditions of migration 0020 read every
name. The ``simple`` configuration keeps words as written (no stemming, no stop
words). Not declared on a model (Wagtail's table, PostgreSQL only); SQLite gets
nothing.
"""

from django.db import migrations

INDEX = "commerce_page_title_words"


def words_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON wagtailcore_page "
        "USING gin (to_tsvector('simple'::regconfig, (title)::text))"
    )


def words_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("commerce", "0028_sellable_card"),
    ]

    operations = [
        migrations.RunPython(words_index_create, words_index_drop, elidable=False),
    ]
