"""django-axes glue: one lockout key per account, whichever login form was used."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest

from commerce.models import UserManager


def login_username_get(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str:
    """AXES_USERNAME_CALLABLE: the normalized email from the API or the admin form."""
    credentials = credentials or {}
    raw = credentials.get("email") or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("email") or request.POST.get("username")
    return UserManager.normalize_email(raw if isinstance(raw, str) else "")


def login_allowed(*, request: HttpRequest, email: str) -> bool:
    """False while the account or the client address is locked out.

    Checked before ``authenticate`` so a locked-out attempt never reaches a hasher.
    """
    return bool(AxesProxyHandler.is_allowed(request, credentials={"email": email}))
