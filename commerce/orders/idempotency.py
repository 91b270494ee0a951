"""Idempotent writes: the first response to an Idempotency-Key is kept and replayed.

Same key and same request: the stored response, and nothing is done again. Same key
and another request: ``IdempotencyKeyReusedError``. The action and the stored
response share one transaction, so a concurrent twin either waits on the record's
unique index or on the action's row lock, and then replays the winner's response.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from commerce.accounts.models import User
from commerce.orders.services import (
    IdempotentDuplicateError,
    idempotent_replay,
    idempotent_store,
)
from config.exceptions import ApplicationError


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


class RaiseAfterCommit(Exception):
    """Raised by an action whose changes must be kept although it answers ``error``.

    The transaction commits (e.g. a declined payment stays recorded), nothing is
    stored for the key, and ``error`` is raised.
    """

    def __init__(self, error: Exception):
        self.error = error
        super().__init__(str(error))


def idempotent_perform(
    *,
    customer: User | None,
    key: str,
    request_hash: str,
    status: int,
    perform: Callable[[], Any],
    guest_token: uuid.UUID | None = None,
) -> StoredResponse:
    """Run ``perform`` once per ``key``; it returns the response body for ``status``.

    Keys belong to the customer, or for a guest to ``guest_token`` (their cart's).
    Without a key the action simply runs. Only successful answers are stored: an
    error answer (raised) can be retried with the same key.
    """
    if key:
        record = idempotent_replay(
            customer=customer,
            key=key,
            request_hash=request_hash,
            guest_token=guest_token,
        )
        if record is not None:
            return StoredResponse(record.response_status, record.response_body)
    deferred: Exception | None = None
    try:
        with transaction.atomic():
            try:
                body = json.loads(json.dumps(perform(), default=str))
            except RaiseAfterCommit as signal:
                deferred = signal.error
            else:
                if key:
                    record = idempotent_store(
                        customer=customer,
                        guest_token=guest_token,
                        key=key,
                        request_hash=request_hash,
                        status=status,
                        body=body,
                    )
                    # The stored form, so the first response and every replay match.
                    record.refresh_from_db(fields=["response_body"])
                    body = record.response_body
    except IdempotentDuplicateError as duplicate:
        return StoredResponse(
            duplicate.record.response_status, duplicate.record.response_body
        )
    except ApplicationError:
        # A twin that held the lock first may have made this request's action
        # impossible (e.g. "already paid"); then its stored response is the answer.
        record = (
            idempotent_replay(
                customer=customer,
                key=key,
                request_hash=request_hash,
                guest_token=guest_token,
            )
            if key
            else None
        )
        if record is None:
            raise
        return StoredResponse(record.response_status, record.response_body)
    if deferred is not None:
        raise deferred
    return StoredResponse(status, body)
