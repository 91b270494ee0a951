"""The Huey queue on Redis with short timeouts, so a slow Redis never holds a request.

Requests only push a task id (a few bytes): they use a connection that gives up
after ``socket_timeout`` seconds, like the cache. The consumer's blocking pop waits
up to ``read_timeout`` seconds on purpose, so it has a connection of its own whose
timeout is longer than that wait.
"""

from typing import Any

from huey import RedisHuey
from huey.storage import RedisStorage
from redis import ConnectionPool
from redis.exceptions import TimeoutError as RedisTimeoutError


class ShortTimeoutRedisStorage(RedisStorage):
    def __init__(
        self,
        name: str = "huey",
        *,
        url: str,
        socket_timeout: float,
        socket_connect_timeout: float,
        read_timeout: int = 1,
        **kwargs: Any,
    ) -> None:
        pool = ConnectionPool.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_connect_timeout,
        )
        super().__init__(
            name, connection_pool=pool, read_timeout=read_timeout, **kwargs
        )
        blocking_pool = ConnectionPool.from_url(
            url,
            socket_timeout=read_timeout + max(socket_timeout, 1.0),
            socket_connect_timeout=socket_connect_timeout,
        )
        self.blocking_conn = self.redis_client(connection_pool=blocking_pool)

    def dequeue(self) -> Any:
        if not self.blocking:
            return super().dequeue()
        try:
            return self.blocking_conn.brpop(self.queue_key, timeout=self.read_timeout)[
                1
            ]
        except (RedisTimeoutError, TypeError, IndexError):
            # Empty or timed out; a ConnectionError propagates for the consumer's backoff.
            return None


class ShortTimeoutRedisHuey(RedisHuey):
    storage_class = ShortTimeoutRedisStorage
