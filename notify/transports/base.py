from abc import ABC, abstractmethod
from collections.abc import Callable

from notify.models import OutboxMessage


class Transport(ABC):
    """One delivery channel. ``send`` raises to have the row retried later."""

    topic: str
    # Set for channels delivered outside the outbox row's transaction (see
    # notify.outbox.outbox_handler): how long a claimed row waits before a retry.
    lease_seconds: Callable[[], float] | None = None

    @abstractmethod
    def send(self, message: OutboxMessage) -> None: ...
