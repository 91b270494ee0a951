from django.db import migrations

from commerce.accounts.roles import roles_sync_migration


def publish_permission_create(apps, schema_editor):
    # Wagtail adds this after migrations; the role sets need it now.
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="customization", model="customization"
    )
    permission_model.objects.get_or_create(
        content_type=content_type,
        codename="publish_customization",
        defaults={"name": "Can publish customization"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customization", "0001_initial"),
        ("commerce", "0006_customizations_attached"),
    ]

    operations = [
        migrations.RunPython(publish_permission_create, migrations.RunPython.noop),
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
