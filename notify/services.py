from typing import Any

from django.db import transaction

from notify.models import OutboxMessage


def outbox_event_record(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Write an event in the caller's transaction; it exists only if the change commits.

    Takes plain data only, so this app never depends on the models behind the event.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "Record outbox events inside the transaction of their change."
        )
    return OutboxMessage.objects.create(topic=topic, payload=payload)
