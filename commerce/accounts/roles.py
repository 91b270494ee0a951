"""The permission set of each role.

Roles are Django groups. Each set is explicit: ``app_label.codename`` for single
permissions and ``app_label.model`` for the four model permissions (add, change,
delete, view). Apps that add models extend these sets and add a migration that
calls ``roles_sync`` again.
"""

from collections.abc import Iterable
from typing import Any

from commerce.enums import UserRole

MODEL_ACTIONS = ("add", "change", "delete", "view")

# What managers run: catalogue and offers, customizations, orders, shipping, taxes,
# vouchers, reviews, returns and notifications, plus the CMS content they are made of.
# Apps that do not exist yet are skipped by roles_sync.
MANAGER_PERMISSIONS: tuple[str, ...] = (
    "wagtailadmin.access_admin",
    "commerce.manage_catalogue",
    "commerce.productstock",
    "commerce.packagesales",
    "commerce.brand",
    "commerce.material",
    "commerce.order",
    "commerce.view_reports",
    "commerce.export_data",
    "commerce.view_audit_log",
    "commerce.view_orderevent",
    "commerce.view_paymenttransaction",
    "commerce.view_review",
    "commerce.change_review",
    "commerce.returnrequest",
    "commerce.view_returnline",
    "commerce.offer",
    "commerce.shippingmethod",
    "commerce.taxclass",
    "commerce.taxrate",
    "commerce.voucher",
    "commerce.view_voucherusage",
    "notify.notification",
    "notify.view_devicetoken",
    "customization.customization",
    "customization.publish_customization",
    "customization.view_customerupload",
    "wagtailimages.image",
    "wagtaildocs.document",
    "taggit.tag",
)

# Administrators manage everything managers do, and users, roles and integrations.
ADMINISTRATOR_PERMISSIONS: tuple[str, ...] = (
    *MANAGER_PERMISSIONS,
    "commerce.user",
    "auth.group",
    "oauth2_provider.application",
    "wagtailcore.site",
    "wagtailredirects.redirect",
    "commerce.pluginconfiguration",
    "notify.emailtemplate",
    "notify.webhook",
    "notify.view_webhookdelivery",
    "notify.view_outboxmessage",
    "notify.change_outboxmessage",
)

ROLE_PERMISSIONS: dict[UserRole, tuple[str, ...]] = {
    UserRole.ADMINISTRATOR: ADMINISTRATOR_PERMISSIONS,
    UserRole.MANAGER: MANAGER_PERMISSIONS,
    # Customers act only on their own data; that is checked per object, not here.
    UserRole.CUSTOMER: (),
}

STAFF_ROLES = (UserRole.ADMINISTRATOR, UserRole.MANAGER)


def permission_keys_expand(entries: Iterable[str]) -> set[tuple[str, str]]:
    """Turn ``app.codename`` and ``app.model`` entries into (app_label, codename) pairs."""
    keys: set[tuple[str, str]] = set()
    for entry in entries:
        app_label, name = entry.split(".", 1)
        if "_" in name:
            keys.add((app_label, name))
        else:
            keys.update((app_label, f"{action}_{name}") for action in MODEL_ACTIONS)
    return keys


def roles_sync(*, group_model: Any, permission_model: Any) -> None:
    """Create the role groups and set each one's permissions to exactly its set.

    Takes the models so that data migrations can pass their historical versions.
    """
    for role, entries in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = permission_keys_expand(entries)
        permissions = [
            permission
            for permission in permission_model.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)


def roles_sync_migration(apps: Any, schema_editor: Any) -> None:
    """RunPython body for migrations that add models or change the role sets.

    Permissions are normally created after all migrations (post_migrate); create them
    first so the role groups can be given their sets inside the migration.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )
