from django.conf import settings
from django.db import migrations

from commerce.accounts.roles import roles_sync_migration


def roles_create(apps, schema_editor):
    roles_sync_migration(apps, schema_editor)


PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}


def wagtail_object_permissions_grant(apps, schema_editor):
    """Give staff roles the whole page tree and root collection; drop Wagtail's own groups."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    page_model = apps.get_model("wagtailcore", "Page")
    collection_model = apps.get_model("wagtailcore", "Collection")
    page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")
    task_model = apps.get_model("wagtailcore", "GroupApprovalTask")
    root_page = page_model.objects.filter(depth=1).first()
    root_collection = collection_model.objects.filter(depth=1).first()
    staff_groups = list(group_model.objects.filter(name__in=["administrator", "manager"]))
    for group in staff_groups:
        if root_page is not None:
            for codename in PAGE_PERMISSIONS:
                page_permission_model.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=permission_model.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        if root_collection is not None:
            for app_label, codenames in COLLECTION_PERMISSIONS.items():
                for codename in codenames:
                    collection_permission_model.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=permission_model.objects.get(
                            content_type__app_label=app_label, codename=codename
                        ),
                    )
    # Wagtail's default moderation task is approved by managers instead of "Moderators".
    manager = group_model.objects.get(name="manager")
    for task in task_model.objects.all():
        task.groups.set([manager])
    group_model.objects.filter(name__in=["Editors", "Moderators"]).delete()


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
        migrations.RunPython(wagtail_object_permissions_grant, migrations.RunPython.noop),
        migrations.RunPython(first_party_client_create, migrations.RunPython.noop),
    ]
