"""gunicorn settings: `gunicorn config.wsgi -c config/gunicorn.py`.

Every value comes from the environment (see .env.example), so the same file serves
the Docker image, the Procfile and the benchmark.
https://docs.gunicorn.org/en/stable/settings.html
"""

import json
import multiprocessing
import os
import time
from pathlib import Path

from gunicorn.glogging import Logger


class JsonAccessLogger(Logger):
    """Access log as one JSON object per request, on gunicorn's access logger.

    Fields: time, remote address, method, path, query, status, bytes sent, duration
    in milliseconds, user agent, referer and the ``X-Request-ID`` header when a proxy
    sets one. Error logs keep gunicorn's own format.
    """

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "type": "access",
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "referer": environ.get("HTTP_REFERER", ""),
            "request_id": environ.get("HTTP_X_REQUEST_ID", ""),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - logging must never fail a request
            self.exception("Could not write the access log entry")


# All interfaces by default (a container, or a host behind a load balancer).
_host = os.environ.get("GUNICORN_BIND_HOST", "0.0.0.0")  # noqa: S104
bind = f"{_host}:{os.environ.get('PORT', '8000')}"
workers = int(
    os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8)
)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Worker heartbeats on tmpfs: a container's overlay disk can stall them.
if Path("/dev/shm").is_dir():  # noqa: S108 - gunicorn's documented choice
    worker_tmp_dir = "/dev/shm"  # noqa: S108
errorlog = "-"
# "json" (default): JsonAccessLogger lines; "text": gunicorn's own format; "off": none.
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "json")
if _access_log == "json":
    accesslog = "-"
    logger_class = JsonAccessLogger
elif _access_log == "text":
    accesslog = "-"
    access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The default path, $HOME/.gunicorn/gunicorn.ctl, is shared by every instance on a host
# and not writable in the image; the control socket is opt-in.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
