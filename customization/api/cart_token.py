"""The X-Cart-Token header: how a guest (no login) reaches the uploads of its cart.

The token is a guest cart's token. Whether it is live is asked of the check the cart
app registers (``customization.services.guest_token_validator_register``). A
logged-in caller is always served as themselves and the header is ignored.
"""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from customization.services import guest_token_is_live

CART_TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 - a header name
CART_TOKEN_ERROR = "Unknown or expired cart token."  # noqa: S105 - a message
CART_TOKEN_PARAMETER = OpenApiParameter(
    CART_TOKEN_HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A guest (no login) sends the token of its cart instead of an access token; "
        "ignored when the caller is logged in."
    ),
)


def cart_token_sent(request: Request) -> bool:
    return bool(request.headers.get(CART_TOKEN_HEADER, "").strip())


def cart_token_parse(request: Request) -> uuid.UUID | None:
    """The header as a UUID; None when it is missing or malformed."""
    raw = request.headers.get(CART_TOKEN_HEADER, "").strip()
    if not raw or len(raw) > 64:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def live_guest_token_get(request: Request) -> uuid.UUID | None:
    """The header's token if it is a live guest cart's; else None."""
    token = cart_token_parse(request)
    if token is None or not guest_token_is_live(guest_token=token):
        return None
    return token


def live_guest_token_require(request: Request) -> uuid.UUID:
    """The header's live token, or a 400 on ``cart_token``."""
    token = live_guest_token_get(request)
    if token is None:
        raise ValidationError({"cart_token": [CART_TOKEN_ERROR]})
    return token


class IsAuthenticatedOrCartToken(BasePermission):
    """A logged-in caller, or an anonymous one who sends X-Cart-Token.

    The token itself is checked by the view, after the throttles, so guessing
    tokens is rate limited like uploading.
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) or cart_token_sent(request)
