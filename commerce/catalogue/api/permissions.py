"""Who may do what in the catalogue API: anyone reads, staff write and see drafts."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

CATALOGUE_PERMISSION = "commerce.manage_catalogue"


def is_catalogue_staff(request: Any) -> bool:
    """Managers and administrators: they write, and read drafts and unpublished items."""
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm(CATALOGUE_PERMISSION))


class CatalogueWritePermission(BasePermission):
    """Anyone reads; managers and administrators write."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_catalogue_staff(request)


class CatalogueStaffPermission(BasePermission):
    """Managers and administrators only."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_catalogue_staff(request)
