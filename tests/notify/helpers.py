"""Running the outbox the way the worker does, without a worker process."""

from django.utils import timezone

from notify.models import OutboxMessage, OutboxStatus
from notify.outbox import outbox_message_process


def outbox_drain(max_rounds: int = 20) -> int:
    """Process every due pending row, and the rows they fan out into."""
    processed = 0
    for _ in range(max_rounds):
        due = list(
            OutboxMessage.objects.filter(
                status=OutboxStatus.PENDING, available_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        if not due:
            return processed
        for message_id in due:
            outbox_message_process(message_id=message_id)
            processed += 1
    return processed


def topics(status: str | None = None) -> list[str]:
    messages = OutboxMessage.objects.order_by("pk")
    if status:
        messages = messages.filter(status=status)
    return list(messages.values_list("topic", flat=True))
