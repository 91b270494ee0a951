"""Third-party OAuth2 clients: which scopes they may ask for, and what a scope allows.

Authorization-code apps act for the user who consented (``openid read write``).
Client-credentials apps (server-to-server integrations) act as their owner, a
service account an administrator picks when registering the app. Their tokens hold
only the permissions their scopes map to, never more than the owner has, and never
a staff role: endpoints that check a role rather than a permission treat them as
the service account itself.
"""

from typing import Any

from django.contrib.auth.models import Group
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import SettingsScopes

from commerce.models import User

USER_SCOPES = ("openid", "read", "write")
INTROSPECTION_SCOPE = "introspection"
# Integration scope -> the Django permissions a client-credentials token gets with it.
SCOPE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "users:read": ("commerce.view_user",),
    "users:write": ("commerce.view_user", "commerce.change_user"),
    "catalogue:write": ("commerce.manage_catalogue",),
}


def _is_client_credentials(application: Any) -> bool:
    return bool(
        application is not None
        and application.authorization_grant_type
        == AbstractApplication.GRANT_CLIENT_CREDENTIALS
    )


def scope_permissions(*, scopes: list[str]) -> set[str]:
    return {
        permission
        for scope in scopes
        for permission in SCOPE_PERMISSIONS.get(scope, ())
    }


class ApplicationScopes(SettingsScopes):
    """SCOPES_BACKEND_CLASS: an integration may ask only for what its owner holds."""

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if not _is_client_credentials(application):
            return list(USER_SCOPES)
        owner = application.user
        if owner is None or not owner.is_active:
            return []
        return [INTROSPECTION_SCOPE] + [
            scope
            for scope, permissions in SCOPE_PERMISSIONS.items()
            if owner.has_perms(permissions)
        ]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if _is_client_credentials(application):
            return []
        return super().get_default_scopes(application, request, *args, **kwargs)


class ScopedOAuth2Authentication(OAuth2Authentication):
    """DRF authentication: integration tokens act as their owner, within their scopes.

    User tokens authenticate as before.
    """

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None or result[0] is not None:
            return result
        token = result[1]
        application = token.application
        if not _is_client_credentials(application) or application.user_id is None:
            return None
        principal = User.objects.filter(pk=application.user_id, is_active=True).first()
        if principal is None:
            return None
        allowed = scope_permissions(scopes=token.scope.split()) & (
            principal.get_all_permissions()
        )
        # An in-memory view of the owner for this request only; never saved.
        principal.is_superuser = False
        principal._perm_cache = allowed  # type: ignore[attr-defined]
        principal._user_perm_cache = allowed  # type: ignore[attr-defined]
        principal._group_perm_cache = set()  # type: ignore[attr-defined]
        principal._prefetched_objects_cache = {"groups": Group.objects.none()}
        return principal, token


class ScopedOAuth2AuthenticationScheme(DjangoOAuthToolkitScheme):
    """OpenAPI: document the subclass like django-oauth-toolkit's own class."""

    target_class = "commerce.oauth_clients.ScopedOAuth2Authentication"
