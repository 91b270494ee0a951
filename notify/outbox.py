"""Delivering outbox rows: at least once, and a delivered row is never delivered again.

A row is processed while its database row is locked (``SELECT … FOR UPDATE SKIP
LOCKED``): a duplicate task, the periodic re-drive and a retry all find it locked or
already delivered and do nothing. The handler runs in a savepoint; on an error the row
goes back to pending with an exponential backoff, and to failed after
``OUTBOX_MAX_ATTEMPTS``. A worker that dies mid-run leaves its transaction uncommitted,
so the row is still pending and the re-drive sends it again. Topics registered with
a lease (webhooks) are delivered outside the row's transaction instead, see
``outbox_handler``.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notify.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
_HANDLERS: dict[str, Handler] = {}
# Topics delivered outside the row's transaction, with how long a claim lasts.
_LEASES: dict[str, Callable[[], float]] = {}


class DeliveryError(Exception):
    """A delivery failed in an expected way; ``record`` keeps evidence of the attempt.

    ``record`` runs after the handler's savepoint is rolled back, so what it writes
    (e.g. a webhook attempt row) survives the failure.
    """

    def __init__(
        self,
        message: str,
        *,
        record: Callable[[], Any] | None = None,
        permanent: bool = False,
    ):
        super().__init__(message)
        self.record = record
        self.permanent = permanent


def outbox_handler(
    topic: str, *, lease_seconds: Callable[[], float] | None = None
) -> Callable[[Handler], Handler]:
    """Register the function that delivers rows of ``topic``.

    With ``lease_seconds`` the handler runs outside any transaction (for slow
    network calls whose every attempt must be on record, such as webhooks): the
    row is claimed in a short committed transaction (attempt counted, due again
    after the lease), the handler runs and commits what it writes as it goes, and a
    second short transaction marks the row delivered or failed. A worker killed
    meanwhile leaves the claim, so the row is delivered again once the lease ends.
    """

    def register(handler: Handler) -> Handler:
        _HANDLERS[topic] = handler
        if lease_seconds is not None:
            _LEASES[topic] = lease_seconds
        else:
            _LEASES.pop(topic, None)
        return handler

    return register


def outbox_handler_get(topic: str) -> Handler | None:
    return _HANDLERS.get(topic)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base × 2^(attempts-1), capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


@dataclass(frozen=True)
class ProcessResult:
    status: str
    retry_in: timedelta | None = None


def _due_locked(message_id: int) -> OutboxMessage | None:
    return (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(
            pk=message_id,
            status=OutboxStatus.PENDING,
            available_at__lte=timezone.now(),
        )
        .first()
    )


def outbox_message_process(*, message_id: int) -> ProcessResult | None:
    """Deliver one row if it is due and nobody else holds it; None when skipped."""
    topic = (
        OutboxMessage.objects.filter(pk=message_id)
        .values_list("topic", flat=True)
        .first()
    )
    if topic in _LEASES:
        return _leased_process(message_id=message_id, lease=_LEASES[topic]())
    with transaction.atomic():
        message = _due_locked(message_id)
        if message is None:
            return None
        handler = outbox_handler_get(message.topic)
        try:
            with transaction.atomic():
                if handler is not None:
                    handler(message)
        except Exception as error:  # noqa: BLE001 - every failure is retried
            if isinstance(error, DeliveryError) and error.record is not None:
                error.record()
            return _failed(message, error)
        message.status = OutboxStatus.DELIVERED
        message.attempts += 1
        message.delivered_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "attempts", "delivered_at", "last_error"])
        return ProcessResult(status=message.status)


def _leased_process(*, message_id: int, lease: float) -> ProcessResult | None:
    with transaction.atomic():
        message = _due_locked(message_id)
        if message is None:
            return None
        message.attempts += 1
        message.available_at = timezone.now() + timedelta(seconds=lease)
        message.save(update_fields=["attempts", "available_at"])
    handler = outbox_handler_get(message.topic)
    try:
        if handler is not None:
            handler(message)
    except Exception as error:  # noqa: BLE001 - every failure is retried
        with transaction.atomic():
            return _failed(message, error, counted=True)
    with transaction.atomic():
        message.status = OutboxStatus.DELIVERED
        message.delivered_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "delivered_at", "last_error"])
    return ProcessResult(status=message.status)


def _failed(
    message: OutboxMessage, error: Exception, *, counted: bool = False
) -> ProcessResult:
    if not counted:
        message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry_in = None
    permanent = isinstance(error, DeliveryError) and error.permanent
    if permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        logger.error("outbox %s #%s failed for good", message.topic, message.pk)
    else:
        retry_in = retry_delay(message.attempts)
        message.available_at = timezone.now() + retry_in
        logger.warning(
            "outbox %s #%s failed (attempt %s), retry in %s",
            message.topic,
            message.pk,
            message.attempts,
            retry_in,
        )
    message.save(update_fields=["attempts", "last_error", "status", "available_at"])
    return ProcessResult(status=message.status, retry_in=retry_in)


def outbox_due_ids(*, limit: int, grace: timedelta) -> list[int]:
    """Pending rows that are due and older than ``grace`` (fresh ones are in flight)."""
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING,
            available_at__lte=now,
            created_at__lte=now - grace,
        )
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_message_retry(*, message_id: int) -> OutboxMessage:
    """Put a failed (or pending) row back in the queue now: the admin's manual retry."""
    message = OutboxMessage.objects.get(pk=message_id)
    if message.status != OutboxStatus.DELIVERED:
        message.status = OutboxStatus.PENDING
        message.available_at = timezone.now()
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.attempts = settings.OUTBOX_MAX_ATTEMPTS - 1
        message.save(update_fields=["status", "available_at", "attempts"])
    return message
