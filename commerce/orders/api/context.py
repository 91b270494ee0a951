"""What an order response depends on: whether the caller is staff."""

from typing import Any

from rest_framework.request import Request

from commerce.accounts.selectors.users import user_role_get
from commerce.orders.services import STAFF_ROLES


def order_context(request: Request) -> dict[str, Any]:
    """Staff see who acted on an order; customers see only a role."""
    return {"request": request, "viewer_is_staff": viewer_is_staff(request)}


def viewer_is_staff(request: Request) -> bool:
    """Whether the caller is staff; worked out once per request (one role query)."""
    cached = getattr(request, "_viewer_is_staff", None)
    if cached is None:
        cached = user_role_get(user=request.user) in STAFF_ROLES
        request._viewer_is_staff = cached  # type: ignore[attr-defined]
    return bool(cached)
