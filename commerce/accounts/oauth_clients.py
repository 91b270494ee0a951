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
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import SettingsScopes
from oauth2_provider.settings import oauth2_settings
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from commerce.accounts.models import User

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


class ScopedOAuth2AuthenticationScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the two ways to hold a token, and which operations need one.

    ``jwt`` is the access token of ``POST /api/users/login`` (what Swagger UI's
    "Authorize" takes); ``oauth2`` is the provider under ``/o/`` with its real
    flows: authorization code (PKCE required) for apps acting for a user, client
    credentials for integrations. Either one authenticates (OR). An operation that
    a client-credentials token may call only with an integration scope lists those
    scopes after the ``read``/``write`` scope of user tokens; an operation that
    anyone may call also lists the empty requirement.
    """

    target_class = "commerce.accounts.oauth_clients.ScopedOAuth2Authentication"
    name = ["jwt", "oauth2"]
    priority = 1

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]]:
        view = auto_schema.view
        method = auto_schema.method
        scopes = _operation_scopes(view=view, method=method)
        requirements: list[dict[str, list[str]]] = [{"jwt": []}]
        # The scope of a user's (authorization-code) token, then the integration
        # scopes that open the operation to a client-credentials token.
        requirements += [
            {"oauth2": [scope]}
            for scope in [operation_scope(view=view, method=method), *scopes]
        ]
        permission_classes = {type(p) for p in view.get_permissions()}
        # drf-spectacular itself adds {} for AllowAny and IsAuthenticatedOrReadOnly.
        if not permission_classes & {AllowAny, IsAuthenticatedOrReadOnly} and (
            _allowed(view=view, method=method, user=AnonymousUser())
        ):
            requirements.append({})
        return requirements

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        scopes = oauth2_settings.SCOPES
        user_scopes = {name: scopes[name] for name in USER_SCOPES if name in scopes}
        integration_scopes = {
            name: text for name, text in scopes.items() if name not in USER_SCOPES
        }
        token_url = reverse("oauth2_provider:token")
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": (
                    "The `access_token` of `POST /api/users/login` (or of a refresh), "
                    "sent as `Authorization: Bearer <token>`."
                ),
            },
            {
                "type": "oauth2",
                "description": (
                    "OAuth 2.0 / OpenID Connect provider (discovery at "
                    "`/o/.well-known/openid-configuration`). Authorization code "
                    "requires PKCE (S256); client credentials are for integrations "
                    "registered by an administrator, limited to their scopes."
                ),
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": reverse("oauth2_provider:authorize"),
                        "tokenUrl": token_url,
                        "refreshUrl": token_url,
                        "scopes": user_scopes,
                    },
                    "clientCredentials": {
                        "tokenUrl": token_url,
                        "scopes": integration_scopes,
                    },
                },
            },
        ]


def _allowed(*, view: Any, method: str, user: Any) -> bool:
    """Whether ``user`` passes every permission class of ``view`` for ``method``."""
    request = Request(APIRequestFactory().generic(method, "/"))
    request.user = user
    try:
        return all(
            permission.has_permission(request, view)
            for permission in view.get_permissions()
        )
    except Exception:  # noqa: BLE001 - a permission that needs more than a user
        return False


def _scoped_principal(scope: str) -> User:
    """An unsaved, active user holding only what an integration scope grants."""
    principal = User(email=f"{scope}@openapi.invalid", is_active=True)
    allowed = scope_permissions(scopes=[scope])
    principal._perm_cache = allowed  # type: ignore[attr-defined]
    principal._user_perm_cache = allowed  # type: ignore[attr-defined]
    principal._group_perm_cache = set()  # type: ignore[attr-defined]
    return principal


def _operation_scopes(*, view: Any, method: str) -> list[str]:
    """The integration scopes that open an operation a bare token cannot call."""
    if _allowed(view=view, method=method, user=_scoped_principal("")):
        return []
    return [
        scope
        for scope in SCOPE_PERMISSIONS
        if _allowed(view=view, method=method, user=_scoped_principal(scope))
    ]
