"""The Idempotency-Key header of write endpoints (order placement, payment)."""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.accounts.models import User
from commerce.orders.idempotency import idempotent_perform

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Replays with the same key and body return the first response.",
)


def request_hash(data: Any) -> str:
    """The fingerprint of a request body: the same body, the same hash."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str).encode()
    ).hexdigest()


def idempotent_response(
    request: Request,
    *,
    status_code: int,
    perform: Callable[[], Any],
    scope: str = "",
    guest_token: uuid.UUID | None = None,
) -> Response:
    """Answer ``perform()`` (a body for ``status_code``) once per Idempotency-Key.

    A guest (no login) is told apart by ``guest_token``, their cart's token.
    ``scope`` tells apart requests with the same body to different targets (the
    order being paid), so one key cannot replay another order's answer.
    """
    data = request.data if not scope else {"scope": scope, "body": request.data}
    user = request.user
    stored = idempotent_perform(
        # A guest's key belongs to their cart token.
        customer=user if isinstance(user, User) and user.is_authenticated else None,
        guest_token=None if user.is_authenticated else guest_token,
        key=request.headers.get(IDEMPOTENCY_HEADER, "")[:255],
        request_hash=request_hash(data),
        status=status_code,
        perform=perform,
    )
    return Response(stored.body, status=stored.status)
