"""Counting a public list by index alone.

A numbered page counts the live, active products (or packages): a join of
Wagtail's page rows and the product rows, read in full (a hash join) without
these indexes. With a partial index of the active items' keys and one of the
live pages' ids, the count merges the two indexes and reads no table row
(about 3 ms instead of 9 ms at 10,000 products). The one on Wagtail's table is
not declared on a model.
"""

from django.conf import settings
from django.db import migrations, models

INDEX = "commerce_page_live"


def live_index_create(apps, schema_editor):
    concurrently = (
        " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(
        f"CREATE INDEX{concurrently} IF NOT EXISTS {INDEX} ON wagtailcore_page (id) "
        "WHERE live"
    )


def live_index_drop(apps, schema_editor):
    concurrently = (
        " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("commerce", "0029_catalogue_title_words_index"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="packagepage",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["page_ptr"],
                name="commerce_package_listed",
            ),
        ),
        migrations.AddIndex(
            model_name="productpage",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["page_ptr"],
                name="commerce_product_listed",
            ),
        ),
        migrations.RunPython(live_index_create, live_index_drop, elidable=False),
    ]
