"""Huey tasks that deliver the outbox, and the periodic re-drive."""

import logging
import time
import weakref
from datetime import timedelta
from typing import Any

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from notify.outbox import outbox_due_ids, outbox_message_process

logger = logging.getLogger(__name__)


@db_task()
def outbox_deliver_task(message_id: int) -> str | None:
    result = outbox_message_process(message_id=message_id)
    if result is not None and result.retry_in is not None:
        outbox_enqueue(message_id, delay=result.retry_in)
    return result.status if result else None


# Per queue storage (a new one when Huey is reconfigured), until when
# (time.monotonic()) this process skips it after a failure, as the cache does.
_queue_down_until: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


def outbox_queue_available() -> bool:
    storage = outbox_deliver_task.huey.storage
    return time.monotonic() >= _queue_down_until.get(storage, 0.0)


def outbox_enqueue(message_id: int, *, delay: timedelta | None = None) -> bool:
    """Queue a delivery; when the queue is down, leave it to the re-drive.

    Never raises: the row is committed already and the periodic re-drive delivers it
    once the queue is back, so a Redis outage never fails the request that wrote it.
    After a failure the queue is not tried again for OUTBOX_ENQUEUE_BACKOFF_SECONDS,
    so a slow or black-holed Redis costs one timeout, not one per request.
    """
    if not outbox_queue_available():
        logger.info("queue backing off; outbox #%s waits for re-drive", message_id)
        return False
    try:
        if delay:
            outbox_deliver_task.schedule((message_id,), delay=delay.total_seconds())
        else:
            outbox_deliver_task(message_id)
    except Exception:  # noqa: BLE001 - any queue failure is covered by the re-drive
        _queue_down_until[outbox_deliver_task.huey.storage] = (
            time.monotonic() + settings.OUTBOX_ENQUEUE_BACKOFF_SECONDS
        )
        logger.warning("queue unavailable; outbox #%s waits for re-drive", message_id)
        return False
    return True


def outbox_redrive() -> int:
    """Queue every due pending row (lost tasks, queue outages); returns how many."""
    ids = outbox_due_ids(
        limit=settings.OUTBOX_REDRIVE_BATCH,
        grace=timedelta(seconds=settings.OUTBOX_REDRIVE_GRACE_SECONDS),
    )
    return sum(outbox_enqueue(message_id) for message_id in ids)


@db_periodic_task(crontab(minute="*"))
def outbox_redrive_task() -> int:
    return outbox_redrive()
