"""What an order response depends on: whether the caller is staff."""

import uuid
from typing import Any

from rest_framework.request import Request

from commerce.accounts.selectors.users import user_role_get
from commerce.orders.api.serializers import OrderOutputSerializer
from commerce.orders.models import Order
from commerce.orders.selectors import (
    order_by_token_get,
    order_get,
    order_placed_line_images,
)
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


def order_body(
    request: Request, order_id: int, *, viewer_is_staff: bool | None = None
) -> Any:
    """The order as it is after a change the caller was allowed to make.

    Read afresh (the change may have touched lines, events and payments). The
    caller reads it with their own role unless ``viewer_is_staff`` says otherwise.
    """
    order = order_get(order_id=order_id, viewer=request.user, is_staff=True)
    if viewer_is_staff is None:
        context = order_context(request)
    else:
        context = {"request": request, "viewer_is_staff": viewer_is_staff}
    return OrderOutputSerializer(order, context=context).data


def order_token_body(request: Request, token: uuid.UUID) -> Any:
    """The order with ``token``, as its customer (or guest) reads it."""
    order = order_by_token_get(token=token)
    return OrderOutputSerializer(
        order, context={"request": request, "viewer_is_staff": False}
    ).data


def order_placed_body(request: Request, order: Order) -> Any:
    """A just-placed order (which holds its lines and event) as its buyer reads it."""
    context: dict[str, Any] = {"request": request, "viewer_is_staff": False}
    images = order_placed_line_images(order=order)
    if images is not None:
        context["_line_images"] = images
    return OrderOutputSerializer(order, context=context).data
