"""gunicorn settings: `gunicorn config.wsgi -c config/gunicorn.py`.

Every value comes from the environment (see .env.example), so the same file serves
the Docker image, the Procfile and the benchmark.
https://docs.gunicorn.org/en/stable/settings.html
"""

import gc
import json
import logging
import multiprocessing
import os
import sys
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
# Worker recycling is off by default: a restart costs a worker seconds of capacity,
# and at the measured throughput a fixed 2,000 requests restarted each worker every
# ~20 s (multi-second p99). Set it to bound a slow leak; the jitter spreads restarts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = int(
    os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or max_requests // 10
)
# The app is imported once in the master and workers are forked from it, so a
# (re)started worker serves at once. Nothing connects at import: Django opens database
# connections on first use, and Redis pools (cache, Huey) reconnect after a fork.
# A new release therefore needs a restart of gunicorn, not a HUP.
preload_app = True


def pre_fork(server, worker):
    """Freeze the preloaded app's objects: the workers' garbage collections skip them.

    Fewer copy-on-write pages (a collection writes to every object it visits), and
    shorter full collections in every worker (https://docs.python.org/3/library/gc.html#gc.freeze).
    """
    gc.freeze()


def worker_exit(server, worker):
    """End a stopping worker at once, with gunicorn's exit status.

    Its connections are closed and its responses sent; what is left is the
    interpreter's teardown, which frees the whole preloaded app object by object:
    2 to 3.5 s of CPU per worker on the benchmark machine, taken from the workers
    still serving. The log handlers are flushed, then the process leaves with
    ``os._exit`` and the kernel reclaims the memory. An exit other than gunicorn's
    ``sys.exit`` (an unexpected exception) keeps Python's normal teardown.
    """
    leaving = sys.exc_info()[1]
    if not isinstance(leaving, SystemExit):
        return
    status = leaving.code if isinstance(leaving.code, int) else int(bool(leaving.code))
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


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
