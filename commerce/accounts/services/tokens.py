"""Issuing, refreshing and revoking our token pair through django-oauth-toolkit.

Access tokens are RS256 JWTs (claims: iss, sub, role, scope, client_id, iat, exp,
jti) signed with the key published at the JWKS endpoint. django-oauth-toolkit still
stores every token, so a deleted (revoked) token stops working at once.
"""

import hashlib
import json
import uuid
from datetime import timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    RefreshToken,
    get_application_model,
    get_grant_model,
    get_id_token_model,
)
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2 import BearerToken

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.exceptions import InvalidRefreshTokenError

FIRST_PARTY_SCOPES = ["read", "write"]


@cache
def _signing_key_id(pem: str) -> str:
    return str(jwk_from_pem(pem).thumbprint())


def access_token_generate(request: OAuthRequest) -> str:
    """django-oauth-toolkit's ACCESS_TOKEN_GENERATOR: a signed JWT for ``request``."""
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    now = timezone.now()
    user = getattr(request, "user", None)
    client_id = getattr(request, "client_id", None) or getattr(
        request.client, "client_id", None
    )
    claims: dict[str, Any] = {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk) if user is not None else f"client:{client_id}",
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=request.expires_in)).timestamp()),
        "jti": uuid.uuid4().hex,
        "client_id": client_id,
        "scope": " ".join(request.scopes or []),
    }
    if user is not None:
        claims["role"] = user_role_get(user=user).value
    return jwt.encode(
        claims, pem, algorithm="RS256", headers={"kid": _signing_key_id(pem)}
    )


def first_party_application() -> Any:
    return get_application_model().objects.get(client_id=settings.FIRST_PARTY_CLIENT_ID)


def _bearer_token_type() -> BearerToken:
    server_kwargs = oauth2_settings.server_kwargs
    return BearerToken(
        request_validator=oauth2_settings.OAUTH2_VALIDATOR_CLASS(),
        token_generator=server_kwargs["token_generator"] or access_token_generate,
        expires_in=server_kwargs["token_expires_in"],
        refresh_token_generator=server_kwargs["refresh_token_generator"],
    )


def _token_pair_body(token: dict[str, Any]) -> dict[str, Any]:
    return {
        "access_token": token["access_token"],
        "refresh_token": token["refresh_token"],
        "expires_in": token["expires_in"],
        "token_type": "Bearer",
        "scope": token.get("scope", ""),
    }


@transaction.atomic
def token_pair_issue(*, user: User, scopes: list[str] | None = None) -> dict[str, Any]:
    """Issue an access + refresh token pair for an already authenticated user.

    Used by every first-party login (password, social, Firebase); the result is the
    same as a password grant of the first-party client at the token endpoint.
    """
    application = first_party_application()
    request = OAuthRequest(uri="", http_method="POST")
    request.client = application
    request.client_id = application.client_id
    request.user = user
    request.scopes = scopes or FIRST_PARTY_SCOPES
    request.grant_type = "password"
    request.refresh_token = None
    bearer = _bearer_token_type()
    token = bearer.create_token(request, refresh_token=True)
    bearer.request_validator.save_bearer_token(token, request)
    return _token_pair_body(token)


def token_refresh(*, refresh_token: str) -> dict[str, Any]:
    """Rotate a refresh token: the old one is revoked and cannot be used again."""
    server = get_oauthlib_core().server
    _headers, body, status = server.create_token_response(
        "/api/users/token/refresh",
        http_method="POST",
        body=urlencode(
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": settings.FIRST_PARTY_CLIENT_ID,
            }
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise InvalidRefreshTokenError()
    return _token_pair_body(json.loads(body))


@transaction.atomic
def tokens_revoke(
    *, access_token: AccessToken | None, refresh_token: str | None = None
) -> None:
    """Log out: revoke the access token in use and its refresh token (or the one given)."""
    if access_token is not None:
        linked = RefreshToken.objects.filter(access_token=access_token).first()
        if linked is not None:
            linked.revoke()
        else:
            access_token.revoke()
    if refresh_token:
        user = access_token.user if access_token is not None else None
        checksum = hashlib.sha256(refresh_token.encode()).hexdigest()
        for instance in RefreshToken.objects.filter(
            token_checksum=checksum, user=user, revoked__isnull=True
        ):
            instance.revoke()


@transaction.atomic
def user_tokens_revoke(*, user: User) -> None:
    """Revoke every token of ``user``: access, refresh and ID tokens, pending grants.

    Called when the credentials or the standing of the account change (password
    change or reset, email change, deactivation): no session minted before survives
    it, and a later reactivation does not bring one back.
    """
    RefreshToken.objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    AccessToken.objects.filter(user=user).delete()
    # Integration (client-credentials) tokens have no user: they act as the owner
    # of their application, so they go with the owner's standing too.
    AccessToken.objects.filter(
        user__isnull=True,
        application__user=user,
        application__authorization_grant_type=(
            get_application_model().GRANT_CLIENT_CREDENTIALS
        ),
    ).delete()
    get_id_token_model().objects.filter(user=user).delete()
    get_grant_model().objects.filter(user=user).delete()
