"""The physical reference: a WSGI app returning fixed bytes, no Django.

Served by gunicorn with the same config/gunicorn.py settings as the real app, it
shows what this machine, gunicorn and the load generator manage at best.
"""

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"status":"ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
