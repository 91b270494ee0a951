"""DRF permission classes built on Django model permissions (the role's set)."""

from typing import Any

from rest_framework.permissions import BasePermission


def permissions_required(*perms: str) -> type[BasePermission]:
    """A DRF permission class that requires an authenticated user holding ``perms``."""

    class HasPermissions(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    HasPermissions.__name__ = "HasPermissions_" + "_".join(
        p.replace(".", "_") for p in perms
    )
    return HasPermissions
