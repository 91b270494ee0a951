from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

from commerce.roles import roles_sync


def roles_create(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them
    # now so the role groups can be given their sets in this migration.
    for app_config in global_apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def first_party_client_create(apps, schema_editor):
    application_model = apps.get_model("oauth2_provider", "Application")
    application_model.objects.get_or_create(
        client_id=settings.FIRST_PARTY_CLIENT_ID,
        defaults={
            "name": "Fantasize first-party apps",
            "client_type": "public",
            "authorization_grant_type": "authorization-code",
            "skip_authorization": True,
            "algorithm": "RS256",
            "redirect_uris": "",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(roles_create, migrations.RunPython.noop),
        migrations.RunPython(first_party_client_create, migrations.RunPython.noop),
    ]
