"""Third-party OAuth2 clients: which scopes they may ask for, and what a scope allows.

Authorization-code apps act for the user who consented (``openid read write``),
held to the scopes the user granted: every API operation needs ``read`` (safe
methods) or ``write`` (the others), unless its view names another scope per method
in ``required_scopes``. Tokens of the first-party client (our own logins) have the
full access of the user's role.
Client-credentials apps (server-to-server integrations) act as their owner, a
service account an administrator picks when registering the app. Their tokens hold
only the permissions their scopes map to, never more than the owner has, and never
a staff role: endpoints that check a role rather than a permission treat them as
the service account itself.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import SettingsScopes
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS

from commerce.models import User

READ_SCOPE = "read"
WRITE_SCOPE = "write"
USER_SCOPES = ("openid", READ_SCOPE, WRITE_SCOPE)
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


def operation_scope(*, view: Any, method: str) -> str:
    """The scope a user token needs to call ``method`` on ``view``."""
    method = method.upper()
    declared = getattr(view, "required_scopes", None) or {}
    if method in declared:
        return str(declared[method])
    return READ_SCOPE if method in SAFE_METHODS else WRITE_SCOPE


class InsufficientScopeError(exceptions.PermissionDenied):
    default_code = "insufficient_scope"


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

    User tokens of third-party apps are held to their scopes (``operation_scope``);
    first-party tokens act with the user's role. Only the ``Authorization`` header
    carries a token, and it is checked on the Django request, so the body is not
    parsed before the caller is known: an anonymous request with an unsupported or
    malformed body gets the view's 401, not a parser error.
    """

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() != "bearer ":
            return None
        result = super().authenticate(request._request)
        if result is None:
            return None
        if result[0] is not None:
            _scope_check(request=request, token=result[1])
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


def _scope_check(*, request: Any, token: Any) -> None:
    application = token.application
    if application is None or application.client_id == settings.FIRST_PARTY_CLIENT_ID:
        return
    view = (getattr(request, "parser_context", None) or {}).get("view")
    needed = operation_scope(view=view, method=request.method)
    if needed not in token.scope.split():
        raise InsufficientScopeError(
            f"This operation needs the {needed!r} scope, which the token lacks."
        )


class ScopedOAuth2AuthenticationScheme(DjangoOAuthToolkitScheme):
    """OpenAPI: document the subclass like django-oauth-toolkit's own class.

    Each operation names the scope a third-party user token needs.
    """

    target_class = "commerce.oauth_clients.ScopedOAuth2Authentication"

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]]:
        view, method = auto_schema.view, auto_schema.method
        scopes = [operation_scope(view=view, method=method)]
        scopes += integration_scopes_allowing(view=view, method=method)
        return [{self.name: [scope]} for scope in scopes]


class _PermissionProbe:
    """A stand-in user that holds exactly ``permissions`` (for the OpenAPI only)."""

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, permissions: tuple[str, ...]):
        self.permissions = set(permissions)

    def has_perm(self, permission: str, obj: Any = None) -> bool:
        return permission in self.permissions

    def has_perms(self, permissions: Any, obj: Any = None) -> bool:
        return all(permission in self.permissions for permission in permissions)


def integration_scopes_allowing(*, view: Any, method: str) -> list[str]:
    """The client-credentials scopes whose permissions open ``method`` on ``view``.

    Found by asking the view's permission classes with a caller holding no
    permission, then one holding each scope's: a scope counts when it makes the
    difference.
    """
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    def allowed(permissions: tuple[str, ...]) -> bool:
        request = Request(getattr(APIRequestFactory(), method.lower())("/"))
        request.user = _PermissionProbe(permissions)
        try:
            return all(
                permission.has_permission(request, view)
                for permission in view.get_permissions()
            )
        except Exception:  # noqa: BLE001 - a check that needs a real user
            return False

    if allowed(()):
        return []
    return [
        scope
        for scope, permissions in SCOPE_PERMISSIONS.items()
        if allowed(permissions)
    ]
