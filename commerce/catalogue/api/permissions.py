"""Who may do what in the catalogue API: anyone reads, staff write and see drafts."""

from typing import Any

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from commerce.accounts.selectors.users import user_role_get
from commerce.enums import UserRole

CATALOGUE_PERMISSION = "commerce.manage_catalogue"


def is_catalogue_staff(request: Any) -> bool:
    """Managers and administrators: they write, and read drafts and unpublished items."""
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm(CATALOGUE_PERMISSION))


def administrator_required(request: Any, *, message: str) -> None:
    """Refuse (403 with ``message``) a caller who is not an administrator."""
    if user_role_get(user=request.user) != UserRole.ADMINISTRATOR:
        raise PermissionDenied(message)


class CatalogueWritePermission(BasePermission):
    """Anyone reads; managers and administrators write."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_catalogue_staff(request)


class CatalogueStaffPermission(BasePermission):
    """Managers and administrators only."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_catalogue_staff(request)
