"""The login throttle (django-axes with our rules), for the API and the admin login.

Three counters over the failures of the last cool-down period (axes stores one row
per account, address and user agent):

- account and address: ``LOGIN_FAILURE_LIMIT`` failures block that pair only, so a
  stranger guessing one account cannot lock anyone else out, at their address or
  anywhere else;
- address: ``LOGIN_ADDRESS_FAILURE_LIMIT`` (much higher) failures over all accounts
  block the address (credential stuffing);
- account: past ``LOGIN_ACCOUNT_SLOWDOWN_AFTER`` failures from all addresses, an
  address that already failed for the account waits a doubling delay (up to
  ``LOGIN_ACCOUNT_SLOWDOWN_MAX_SECONDS``) before its next try. An address that has
  not failed for the account is never slowed, so the owner can always log in from
  a new one.

The client address is the trusted one of ``config.throttling.client_address_get``.
Every refusal says when to come back (``Retry-After``).
"""

import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from commerce.accounts.models import UserManager
from config.throttling import client_address_get

LOCKOUT_MESSAGE = "Too many failed login attempts. Try again in {seconds} seconds."


def login_username_get(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str:
    """AXES_USERNAME_CALLABLE: the normalized email from the API or the admin form."""
    credentials = credentials or {}
    raw = credentials.get("email") or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("email") or request.POST.get("username")
    return UserManager.normalize_email(raw if isinstance(raw, str) else "")


def _cool_off() -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def cool_off_get(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: read from LOGIN_COOLOFF_MINUTES when used."""
    return _cool_off()


def pair_failure_limit_get(
    request: HttpRequest | None = None, credentials: dict[str, Any] | None = None
) -> int:
    """AXES_FAILURE_LIMIT: read from LOGIN_FAILURE_LIMIT when used."""
    return int(settings.LOGIN_FAILURE_LIMIT)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, math.ceil((moment - now).total_seconds()))


def _wait_below_limit(
    attempts: QuerySet[AccessAttempt], *, limit: int, now: datetime
) -> int:
    """Seconds until the failures in ``attempts`` drop below ``limit`` (0: below now).

    A row's failures count until its last failure is a cool-down old.
    """
    rows = list(
        attempts.order_by("attempt_time").values_list(
            "attempt_time", "failures_since_start"
        )
    )
    total = sum(failures for _, failures in rows)
    for attempt_time, failures in rows:
        if total < limit:
            break
        total -= failures
        if total < limit:
            return max(1, _seconds_until(attempt_time + _cool_off(), now))
    return 0


def _account_slowdown(
    recent: QuerySet[AccessAttempt], *, username: str, address: str, now: datetime
) -> int:
    account_failures = (
        recent.filter(username=username).aggregate(total=Sum("failures_since_start"))[
            "total"
        ]
        or 0
    )
    excess = account_failures - settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER
    if excess < 0:
        return 0
    last_here = recent.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last_here is None:  # a new address for this account: never slowed
        return 0
    delay = min(2**excess, settings.LOGIN_ACCOUNT_SLOWDOWN_MAX_SECONDS)
    return _seconds_until(last_here + timedelta(seconds=delay), now)


def login_wait_seconds(
    *, request: HttpRequest, credentials: dict[str, Any] | None
) -> int:
    """Seconds this account-and-address pair must wait before trying again (0: now)."""
    username = login_username_get(request, credentials)
    address = client_address_get(request)
    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - _cool_off())
    return max(
        _wait_below_limit(
            recent.filter(username=username, ip_address=address),
            limit=pair_failure_limit_get(),
            now=now,
        ),
        _wait_below_limit(
            recent.filter(ip_address=address),
            limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            now=now,
        ),
        _account_slowdown(recent, username=username, address=address, now=now),
    )


class LoginThrottleHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes records failures; the rules above decide who waits."""

    def is_locked(
        self, request: Any, credentials: dict[str, Any] | None = None
    ) -> bool:
        request.login_retry_after = login_wait_seconds(
            request=request, credentials=credentials
        )
        return request.login_retry_after > 0


def login_retry_after(*, request: HttpRequest, email: str) -> int:
    """0 when the attempt may go on, else the seconds to wait.

    Checked before ``authenticate`` so a throttled attempt never reaches a hasher.
    """
    if AxesProxyHandler.is_allowed(request, credentials={"email": email}):
        return 0
    return max(1, getattr(request, "login_retry_after", 0))


def login_succeeded(*, request: HttpRequest, email: str) -> None:
    """Forget the failures of this account at this address (not those elsewhere)."""
    AccessAttempt.objects.filter(
        username=login_username_get(request, {"email": email}),
        ip_address=client_address_get(request),
    ).delete()


def login_failures_forget(*, email: str) -> None:
    """After a password reset: guesses at the old password no longer count anywhere."""
    AccessAttempt.objects.filter(username=UserManager.normalize_email(email)).delete()


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the admin login's 429, with Retry-After."""
    seconds = getattr(request, "login_retry_after", 0) or login_wait_seconds(
        request=request, credentials=credentials
    )
    seconds = max(1, seconds)
    response = HttpResponse(
        LOCKOUT_MESSAGE.format(seconds=seconds),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response
