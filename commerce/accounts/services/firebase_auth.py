"""Firebase ID-token login: verify with firebase-admin, map to one of our users.

firebase-admin checks the RS256 signature against Google's published certificates,
the audience and issuer (our Firebase project) and the expiry. The Firebase uid is
kept as a social-auth link (provider ``firebase``), so a user found once is found
again by uid even if their email changes.
"""

import threading
from typing import Any

import firebase_admin
from django.conf import settings
from django.db import IntegrityError, transaction
from firebase_admin import auth as firebase_auth
from google.auth.credentials import AnonymousCredentials
from social_django.models import UserSocialAuth

from commerce.accounts.models import User
from commerce.accounts.services.social import social_account_user_resolve
from commerce.exceptions import (
    AccountInactiveError,
    InvalidSocialTokenError,
    SocialProviderUnavailableError,
)

FIREBASE_PROVIDER = "firebase"
_app_lock = threading.Lock()


def _firebase_app() -> firebase_admin.App:
    """One firebase-admin app per project ID (tests switch projects via settings)."""
    project_id = settings.FIREBASE_PROJECT_ID
    name = f"fantasize-{project_id}"
    with _app_lock:
        try:
            return firebase_admin.get_app(name)
        except ValueError:
            # Verifying ID tokens needs only the public certificates, no credential.
            return firebase_admin.initialize_app(
                AnonymousCredentials(), options={"projectId": project_id}, name=name
            )


def firebase_id_token_verify(*, id_token: str) -> dict[str, Any]:
    """The verified claims of a Firebase ID token, or ``InvalidSocialTokenError``."""
    try:
        return dict(firebase_auth.verify_id_token(id_token, app=_firebase_app()))
    except firebase_auth.CertificateFetchError as error:
        raise SocialProviderUnavailableError() from error
    except (ValueError, firebase_auth.InvalidIdTokenError) as error:
        raise InvalidSocialTokenError() from error


def _firebase_link_user(*, uid: str, claims: dict[str, Any]) -> User:
    link = (
        UserSocialAuth.objects.select_related("user")
        .filter(provider=FIREBASE_PROVIDER, uid=uid)
        .first()
    )
    if link is not None:
        return link.user
    user, _ = social_account_user_resolve(
        email=claims.get("email") or "",
        email_verified=claims.get("email_verified") is True,
        name=claims.get("name") or "",
    )
    try:
        with transaction.atomic():
            UserSocialAuth.objects.create(
                user=user, provider=FIREBASE_PROVIDER, uid=uid
            )
    except IntegrityError:
        # A concurrent login of the same Firebase user linked it first.
        return UserSocialAuth.objects.get(provider=FIREBASE_PROVIDER, uid=uid).user
    return user


def firebase_login(*, id_token: str) -> User:
    """Log in with a Firebase ID token; the user is found by uid, then by email."""
    claims = firebase_id_token_verify(id_token=id_token)
    with transaction.atomic():
        user = _firebase_link_user(uid=str(claims["uid"]), claims=claims)
    if not user.is_active:
        raise AccountInactiveError()
    return user
