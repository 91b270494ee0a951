"""Google and Facebook login through social-auth, ending in one of our users.

Two ways in, one pipeline:

* mobile/SPA: the client already holds the provider's access token (or a Google ID
  token); we check that it was issued to *our* app (Google tokeninfo / ID-token
  audience, Facebook ``debug_token``) before trusting the profile behind it;
* browser: redirect to the provider and back to our callback; the callback hands the
  frontend a one-time code (never a token in a URL), exchanged by a POST.

A provider account already linked to a user logs that user in. Otherwise an
existing account with the same email is linked only when the provider says the
email is verified (Google does; Facebook gives no such flag, so it never links);
a new account is a customer.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from google.auth import exceptions as google_auth_exceptions
from google.auth.transport import requests as google_requests
from google.oauth2 import id_token as google_id_token
from oauth2_provider.models import get_grant_model
from social_core.backends.base import BaseAuth
from social_core.backends.facebook import API_VERSION as FACEBOOK_API_VERSION
from social_core.backends.google import BaseGoogleAuth
from social_core.backends.oauth import OAuthAuth
from social_core.exceptions import (
    AuthConfigurationError,
    AuthProviderError,
    SocialAuthBaseException,
)

from commerce.accounts.models import User, UserManager
from commerce.accounts.services.tokens import first_party_application
from commerce.accounts.services.users import user_create
from commerce.enums import UserRole
from commerce.exceptions import (
    AccountInactiveError,
    InvalidLoginCodeError,
    InvalidSocialTokenError,
    SocialEmailInUseError,
    SocialEmailRequiredError,
    SocialProviderUnavailableError,
)

GOOGLE_TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo"
FACEBOOK_DEBUG_TOKEN_URL = (
    f"https://graph.facebook.com/v{FACEBOOK_API_VERSION}/debug_token"
)
PROVIDER_UNAVAILABLE_CODES = {"unavailable", "rate_limited", "timeout", "tls_error"}
LOGIN_CODE_PREFIX = "social-login:"


# Accounts ---------------------------------------------------------------------


@transaction.atomic
def social_account_user_resolve(
    *, email: str, email_verified: bool, name: str = ""
) -> tuple[User, bool]:
    """The user a new provider identity belongs to, and whether it was created.

    Raises ``SocialEmailRequiredError`` without an email and ``SocialEmailInUseError``
    when an account has the email but the provider does not vouch for it.
    """
    email = UserManager.normalize_email(email)
    if not email:
        raise SocialEmailRequiredError()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not email_verified:
            raise SocialEmailInUseError()
        return existing, False
    return (
        user_create(
            email=email, password=None, name=name[:150], role=UserRole.CUSTOMER
        ),
        True,
    )


def _provider_email_verified(
    *, backend: BaseAuth[Any], response: dict[str, Any]
) -> bool:
    if backend.name == "google-oauth2":
        return response.get("email_verified") is True
    return False


def social_pipeline_account_link(
    backend: BaseAuth[Any],
    uid: str,
    details: dict[str, Any],
    response: dict[str, Any],
    *args: Any,
    user: User | None = None,
    social: Any = None,
    id_key: str = "",
    **kwargs: Any,
) -> dict[str, Any]:
    """Pipeline step: find or create the user and link the provider identity to it.

    Replaces social-auth's ``associate_by_email``/``create_user``/``associate_user``
    so the email rule above holds and new accounts get the customer role. User and
    link are written together, so a failure leaves neither.
    """
    if social is not None:
        return {"user": social.user, "social": social, "is_new": False}
    with transaction.atomic():
        if user is None:
            user, is_new = social_account_user_resolve(
                email=details.get("email") or "",
                email_verified=_provider_email_verified(
                    backend=backend, response=response
                ),
                name=details.get("fullname") or "",
            )
        else:
            is_new = False
        social = backend.strategy.storage.user.create_social_auth(
            # social-core's UserProtocol asks for a username; ours signs in by email.
            user,  # type: ignore[arg-type]
            uid,
            backend.name,
            id_key=id_key,
        )
    return {"user": user, "social": social, "is_new": is_new, "new_association": True}


def _user_checked(user: Any) -> User:
    if not isinstance(user, User):
        raise InvalidSocialTokenError()
    if not user.is_active:
        raise AccountInactiveError()
    return user


def _provider_error(error: Exception) -> Exception:
    if isinstance(error, requests.RequestException) or (
        isinstance(error, AuthProviderError)
        and (
            error.code in PROVIDER_UNAVAILABLE_CODES
            or (error.status_code is not None and error.status_code >= 500)
        )
    ):
        return SocialProviderUnavailableError()
    return InvalidSocialTokenError()


# Mobile/SPA: a provider token in, our user out ----------------------------------


def _google_client_ids() -> list[str]:
    return [
        settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY,
        *settings.GOOGLE_OAUTH2_EXTRA_CLIENT_IDS,
    ]


def _google_access_token_check(*, backend: BaseAuth[Any], access_token: str) -> None:
    """Refuse Google access tokens issued to another app (token substitution)."""
    info = backend.get_json(GOOGLE_TOKENINFO_URL, params={"access_token": access_token})
    client_ids = _google_client_ids()
    if info.get("aud") not in client_ids and info.get("azp") not in client_ids:
        raise InvalidSocialTokenError("The token was issued to another application.")


def _google_id_token_claims(*, backend: BaseAuth[Any], id_token: str) -> dict[str, Any]:
    """Verify a Google ID token: Google's signature, issuer, our client ID, expiry."""
    if not isinstance(backend, BaseGoogleAuth):
        raise InvalidSocialTokenError()
    try:
        claims: dict[str, Any] = google_id_token.verify_oauth2_token(
            id_token, google_requests.Request(), audience=_google_client_ids()
        )
    except google_auth_exceptions.TransportError as error:
        raise SocialProviderUnavailableError() from error
    except (ValueError, google_auth_exceptions.GoogleAuthError) as error:
        raise InvalidSocialTokenError() from error
    backend.validate_email_verified(claims, stage="token_validation")
    return claims


def _facebook_access_token_check(*, backend: BaseAuth[Any], access_token: str) -> None:
    """Refuse Facebook tokens that are invalid or were issued to another app."""
    key, secret = backend.get_key_and_secret()
    info = backend.get_json(
        FACEBOOK_DEBUG_TOKEN_URL,
        params={"input_token": access_token, "access_token": f"{key}|{secret}"},
    )
    data = info.get("data") or {}
    if data.get("is_valid") is not True or str(data.get("app_id")) != str(key):
        raise InvalidSocialTokenError()


def social_token_login(
    *, backend: OAuthAuth[Any], access_token: str = "", id_token: str = ""
) -> User:
    """Log in with a token the client got from the provider itself."""
    try:
        if backend.name == "google-oauth2" and id_token:
            response = _google_id_token_claims(backend=backend, id_token=id_token)
        elif backend.name == "google-oauth2":
            _google_access_token_check(backend=backend, access_token=access_token)
            response = backend.user_data(access_token) or {}
        else:
            _facebook_access_token_check(backend=backend, access_token=access_token)
            response = backend.user_data(access_token) or {}
        user = backend.strategy.authenticate(backend=backend, response=response)
    except AuthConfigurationError:
        raise
    except (SocialAuthBaseException, requests.RequestException) as error:
        raise _provider_error(error) from error
    return _user_checked(user)


# Browser: redirect, callback, one-time code ----------------------------------------


def social_redirect_url_get(*, backend: BaseAuth[Any]) -> str:
    """The provider's authorization URL; the state is kept in the session."""
    return str(backend.auth_url())


def social_callback_complete(*, backend: BaseAuth[Any]) -> User:
    """Finish the browser flow: check the state, exchange the code, run the pipeline."""
    try:
        user = backend.complete()
    except AuthConfigurationError:
        raise
    except (SocialAuthBaseException, requests.RequestException) as error:
        raise _provider_error(error) from error
    return _user_checked(user)


def _login_code_digest(code: str) -> str:
    return LOGIN_CODE_PREFIX + hashlib.sha256(code.encode()).hexdigest()


def social_login_code_create(*, user: User, redirect_url: str) -> str:
    """A short-lived, single-use code the frontend exchanges for our token pair.

    Kept as an authorization grant of the first-party client, stored only as a
    digest: the database never holds a usable code, and DOT's token endpoint cannot
    redeem it (no PKCE challenge).
    """
    code = secrets.token_urlsafe(32)
    get_grant_model().objects.create(
        user=user,
        code=_login_code_digest(code),
        application=first_party_application(),
        expires=timezone.now()
        + timedelta(seconds=settings.SOCIAL_LOGIN_CODE_LIFETIME_SECONDS),
        redirect_uri=redirect_url,
        scope="",
    )
    return code


@transaction.atomic
def social_login_code_redeem(*, code: str) -> User:
    """The user a login code was made for; the code stops working at once."""
    grant = (
        get_grant_model()
        .objects.select_related("user")
        .filter(
            code=_login_code_digest(code),
            application=first_party_application(),
            expires__gt=timezone.now(),
        )
        .first()
    )
    # The delete decides between two concurrent redemptions: only one removes the row.
    if grant is None or get_grant_model().objects.filter(pk=grant.pk).delete()[0] == 0:
        raise InvalidLoginCodeError()
    return _user_checked(grant.user)


def social_redirect_target_get(*, redirect_url: str | None) -> str:
    """The frontend page a browser login returns to: one of the configured URLs."""
    allowed = settings.SOCIAL_LOGIN_REDIRECT_URLS
    if not redirect_url and len(allowed) == 1:
        return str(allowed[0])
    if not redirect_url or redirect_url not in allowed:
        raise ValidationError(
            {"redirect_uri": ["This URL is not an allowed login redirect URL."]}
        )
    return redirect_url
