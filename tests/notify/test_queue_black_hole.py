"""A Redis that accepts connections and never answers costs one short timeout.

The queue connection gives up after HUEY_REDIS_TIMEOUT, and the process then skips
the queue for OUTBOX_ENQUEUE_BACKOFF_SECONDS: the next orders never try to connect,
and the outbox re-drive delivers their events later.
"""

import socket
import threading
import time

import pytest
from huey.contrib.djhuey import HUEY

from config.queue import ShortTimeoutRedisHuey, ShortTimeoutRedisStorage
from notify.models import OutboxMessage, OutboxStatus
from notify.tasks import outbox_queue_available
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import ADDRESS, client_for

pytestmark = pytest.mark.django_db

BLACK_HOLE_PORT = 9151


class BlackHole:
    """A TCP listener on 127.0.0.1 that accepts connections and never replies."""

    def __init__(self, port: int) -> None:
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.server.settimeout(0.1)
        self.accepted: list[socket.socket] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.running = False
        self.thread.join()
        for connection in self.accepted:
            connection.close()
        self.server.close()


@pytest.fixture
def black_hole_queue(settings, monkeypatch):
    hole = BlackHole(BLACK_HOLE_PORT)
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(
        HUEY,
        "storage",
        ShortTimeoutRedisStorage(
            "fantasize-black-hole",
            url=f"redis://127.0.0.1:{BLACK_HOLE_PORT}/5",
            socket_timeout=settings.HUEY_REDIS_TIMEOUT,
            socket_connect_timeout=settings.HUEY_REDIS_TIMEOUT,
        ),
    )
    yield hole
    hole.close()


def _place(customer, product):
    return client_for(customer).post(
        "/api/orders",
        {"lines": [{"product": product.pk}], "shipping_address": ADDRESS},
        format="json",
    )


def test_orders_with_a_black_holed_redis_give_up_once_and_then_skip_the_queue(
    black_hole_queue, django_capture_on_commit_callbacks, settings
):
    # given
    assert settings.HUEY_REDIS_TIMEOUT <= 1
    product = product_make(category_make(), title="Lamp", price="9.00", stock=5)
    customer = UserFactory()

    # when: the first order's enqueue waits on the silent socket, then gives up
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        first = _place(customer, product)
    first_seconds = time.monotonic() - started

    # then
    assert first.status_code == 201
    assert len(black_hole_queue.accepted) == 1
    assert not outbox_queue_available()
    # Generous bound: one short timeout, far from the 5 s the default client waited.
    assert first_seconds < 4

    # when: the next order comes within the back-off
    with django_capture_on_commit_callbacks(execute=True):
        second = _place(customer, product)

    # then: it never tried to connect, and its events wait for the re-drive
    assert second.status_code == 201
    assert len(black_hole_queue.accepted) == 1
    assert OutboxMessage.objects.filter(topic="order.created").count() == 2
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.PENDING).exists()


def test_the_settings_queue_on_redis_has_short_timeouts(settings):
    # The HUEY setting as base.py writes it when REDIS_URL is set.
    queue = ShortTimeoutRedisHuey(
        "fantasize-settings",
        url="redis://127.0.0.1:6379/5",
        socket_timeout=settings.HUEY_REDIS_TIMEOUT,
        socket_connect_timeout=settings.HUEY_REDIS_TIMEOUT,
        immediate=False,
    )
    pool_options = queue.storage.pool.connection_kwargs
    assert pool_options["socket_timeout"] == settings.HUEY_REDIS_TIMEOUT
    assert pool_options["socket_connect_timeout"] == settings.HUEY_REDIS_TIMEOUT
    # The consumer's blocking pop waits read_timeout on a connection that outlasts it.
    blocking = queue.storage.blocking_conn.connection_pool.connection_kwargs
    assert blocking["socket_timeout"] > queue.storage.read_timeout
