"""Production mode: database connections that survive a server restart, gunicorn
settings and JSON access logs, the Procfile, and production settings."""

import json
import logging
import os
import runpy
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory, override_settings
from gunicorn.config import Config
from honcho.environ import parse_procfile

from config.keys import rsa_private_key_generate_pem
from tests.commerce.catalogue_factories import category_make, product_make

ROOT = Path(__file__).resolve().parent.parent.parent


# A DATABASE SERVER RESTART


def _wsgi_status(handler: WSGIHandler, path: str) -> int:
    """Run one request through the real WSGI handler, request signals included.

    The test client disconnects ``close_old_connections`` from the request signals;
    this does not, so connection reuse and health checks behave as under gunicorn.
    """
    statuses = []
    environ = RequestFactory().get(path).environ
    body = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


def _server_side_terminate(backend_pid: int) -> None:
    """Kill one server process, as a PostgreSQL restart does to every connection."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        for _ in range(100):
            alive = other.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend_pid]
            ).fetchone()
            if alive is None:
                return
            time.sleep(0.05)
    finally:
        other.close()


@pytest.mark.usefixtures("committed_db")
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_terminate_backend needs PostgreSQL (SQLite has no server connections)",
)
@pytest.mark.parametrize(
    ("health_checks", "expected"),
    [(True, [200, 200, 200]), (False, [200, 500, 200])],
    ids=["health_checks_on_case", "health_checks_off_case"],
)
@override_settings(CATALOGUE_CACHE_TIMEOUT=0)
def test_after_the_server_drops_persistent_connections_the_next_request_succeeds(
    health_checks, expected
):
    # given: a persistent connection (CONN_MAX_AGE) opened by a first request
    product_make(category_make(), title="Lamp")
    settings_dict = connection.settings_dict
    saved = settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"]
    settings_dict["CONN_MAX_AGE"] = 600
    settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    connection.close()
    handler = WSGIHandler()
    try:
        statuses = [_wsgi_status(handler, "/api/products")]
        backend_pid = connection.connection.info.backend_pid

        # when: the server side of that connection goes away
        _server_side_terminate(backend_pid)
        statuses.append(_wsgi_status(handler, "/api/products"))
        statuses.append(_wsgi_status(handler, "/api/products"))
    finally:
        settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = saved
        connection.close()

    # then: with health checks (production settings) no request fails; without
    # them, the first request after the restart is a 500 (the reason for the setting)
    assert statuses == expected


# PRODUCTION SETTINGS


def _production_settings(**overrides: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "JWT_", "REDIS_URL", "CATALOGUE_", "WAGTAILADMIN_", "PORT")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x7!kq2-production-like-secret-9f8e7d6c5b4a3z2y1w0v-u9t8s7r6",
        DJANGO_ALLOWED_HOSTS="shop.example.com",
        WAGTAILADMIN_BASE_URL="https://shop.example.com",
        JWT_PRIVATE_KEY=rsa_private_key_generate_pem(),
        REDIS_URL="redis://127.0.0.1:6379/0",
        **overrides,
    )
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'database': s.DATABASES['default'], 'caches': s.CACHES,"
        "'formatter': s.LOGGING['handlers']['console']['formatter'],"
        "'catalogue_cache_timeout': s.CATALOGUE_CACHE_TIMEOUT}, default=str))"
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_reuse_checked_connections_and_tolerate_redis_failures():
    settings = _production_settings()

    assert settings["database"]["CONN_MAX_AGE"] == 60
    assert settings["database"]["CONN_HEALTH_CHECKS"] is True
    cache = settings["caches"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 0.5
    assert settings["formatter"] == "json"
    assert settings["catalogue_cache_timeout"] == 300


def test_production_settings_read_the_tuning_variables():
    settings = _production_settings(
        DJANGO_CONN_MAX_AGE="5", DJANGO_LOG_FORMAT="plain", CATALOGUE_CACHE_TIMEOUT="0"
    )

    assert settings["database"]["CONN_MAX_AGE"] == 5
    assert settings["formatter"] == "plain"
    assert settings["catalogue_cache_timeout"] == 0


# GUNICORN


def _gunicorn_settings(monkeypatch, **environment: str) -> dict:
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_WORKER_CLASS",
        "GUNICORN_THREADS",
        "GUNICORN_ACCESS_LOG",
        "GUNICORN_BIND_HOST",
        "GUNICORN_MAX_REQUESTS",
        "GUNICORN_MAX_REQUESTS_JITTER",
        "PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "gunicorn.py"))


def test_gunicorn_takes_workers_class_threads_and_port_from_the_environment(
    monkeypatch,
):
    values = _gunicorn_settings(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_WORKER_CLASS="sync",
        GUNICORN_THREADS="1",
        PORT="9100",
        GUNICORN_BIND_HOST="127.0.0.1",
    )

    assert (values["workers"], values["worker_class"], values["threads"]) == (
        3,
        "sync",
        1,
    )
    assert values["bind"] == "127.0.0.1:9100"
    assert values["logger_class"].__name__ == "JsonAccessLogger"
    config = Config()
    for name in ("workers", "worker_class", "threads", "bind", "logger_class"):
        config.set(name, values[name])
    assert config.logger_class is values["logger_class"]


def test_gunicorn_defaults(monkeypatch):
    values = _gunicorn_settings(monkeypatch)

    assert values["worker_class"] == "gthread"
    assert values["bind"] == "0.0.0.0:8000"
    assert 1 <= values["workers"] <= 8
    assert (values["max_requests"], values["max_requests_jitter"]) == (0, 0)
    assert values["preload_app"] is True


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"GUNICORN_MAX_REQUESTS": "50000"}, (50000, 5000)),
        (
            {"GUNICORN_MAX_REQUESTS": "50000", "GUNICORN_MAX_REQUESTS_JITTER": "300"},
            (50000, 300),
        ),
        ({"GUNICORN_MAX_REQUESTS": ""}, (0, 0)),
    ],
    ids=["jitter_a_tenth_case", "jitter_given_case", "empty_is_off_case"],
)
def test_gunicorn_recycles_workers_only_when_asked(monkeypatch, environment, expected):
    values = _gunicorn_settings(monkeypatch, **environment)

    assert (values["max_requests"], values["max_requests_jitter"]) == expected
    config = Config()
    config.set("max_requests", values["max_requests"])
    config.set("max_requests_jitter", values["max_requests_jitter"])
    config.set("preload_app", values["preload_app"])
    assert (config.max_requests, config.max_requests_jitter) == expected
    assert config.preload_app is True


WORKER_LEAVING = """
import atexit, runpy, sys
hooks = runpy.run_path("config/gunicorn.py")
atexit.register(print, "teardown")
hooks["pre_fork"](None, None)
print("frozen" if __import__("gc").get_freeze_count() else "not frozen", end=" ")
try:
    {leave}
finally:
    hooks["worker_exit"](None, None)
"""


@pytest.mark.parametrize(
    ("leave", "status", "output"),
    [
        ("sys.exit(0)", 0, "frozen "),
        ("sys.exit(3)", 3, "frozen "),
        ("sys.exit(-1)", 255, "frozen "),
        ("raise RuntimeError('boom')", 1, "frozen teardown\n"),
    ],
    ids=["stopped_case", "boot_error_case", "crashed_case", "unexpected_case"],
)
def test_a_stopping_worker_leaves_at_once_with_its_status(leave, status, output):
    # when: gunicorn's worker process ends (sys.exit in its spawn_worker)
    result = subprocess.run(  # noqa: S603 - our own interpreter and config
        [sys.executable, "-c", WORKER_LEAVING.format(leave=leave)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    # then: the output is flushed and the status kept; Python's teardown (atexit)
    # is skipped, except after an unexpected exception
    assert (result.returncode, result.stdout) == (status, output)


def test_the_access_log_is_one_json_object_per_request(monkeypatch):
    # given
    values = _gunicorn_settings(monkeypatch)
    config = Config()
    config.set("accesslog", "-")
    logger = values["JsonAccessLogger"](config)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.access_log.addHandler(handler)
    environ = {
        "REMOTE_ADDR": "10.0.0.7",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/products",
        "QUERY_STRING": 'search=a"b',
        "HTTP_USER_AGENT": "bench/1.0",
        "HTTP_X_REQUEST_ID": "req-42",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])

    # when
    try:
        logger.access(
            response, SimpleNamespace(headers=[]), environ, timedelta(0, 0, 2500)
        )
    finally:
        logger.access_log.removeHandler(handler)

    # then
    entry = json.loads(records[0].getMessage())
    assert entry | {"time": "t", "pid": 1} == {
        "time": "t",
        "type": "access",
        "remote_addr": "10.0.0.7",
        "method": "GET",
        "path": "/api/products",
        "query": 'search=a"b',
        "status": 200,
        "bytes": 512,
        "duration_ms": 2.5,
        "user_agent": "bench/1.0",
        "referer": "",
        "request_id": "req-42",
        "pid": 1,
    }


# PROCFILE AND IMAGE


def test_the_procfile_declares_release_web_and_worker_from_the_same_code():
    procfile = parse_procfile((ROOT / "Procfile").read_text())

    assert procfile.processes == {
        "release": "python manage.py migrate --noinput",
        "web": "gunicorn config.wsgi -c config/gunicorn.py",
        "worker": "python manage.py run_huey",
    }


def test_the_dockerfile_runs_as_a_non_root_user_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "\nUSER fantasize\n" in dockerfile
    assert "HEALTHCHECK" in dockerfile
    assert 'CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]' in dockerfile
