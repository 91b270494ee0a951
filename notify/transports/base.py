from abc import ABC, abstractmethod

from notify.models import OutboxMessage


class Transport(ABC):
    """One delivery channel. ``send`` raises to have the row retried later."""

    topic: str

    @abstractmethod
    def send(self, message: OutboxMessage) -> None: ...
