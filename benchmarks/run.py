# ruff: noqa: S603 - runs our own tools (python, wrk) with arguments built here
"""Benchmark Fantasize under gunicorn with production settings on PostgreSQL and Redis.

One command (`make bench`, or `.venv/bin/python benchmarks/run.py --help`):

1. seeds a catalogue (default 10,000 products, 100,000 orders; skipped when present),
2. serves a bare WSGI app (fixed bytes) under the same gunicorn settings, as the
   physical reference, and measures it with wrk on loopback,
3. serves the app and measures GET /api/products (cached), GET /api/products/{id}
   (random ids, cached) and POST /api/orders (customers buying a few hot products:
   row-lock contention),
4. drops every server-side database connection (pg_terminate_backend) and checks
   that the following requests do not fail (CONN_HEALTH_CHECKS),
5. serves the app again with the response cache off and measures the same reads
   uncached (assembled from the read model's stored cards), and beside them two peers of the product list on the same tables
   (benchmarks/peers.py): a plain DRF ModelSerializer + ListAPIView, and Wagtail
   API v2's page listing of products,
6. counts database queries per request in-process (Django test client, same
   settings), and prints one table: requests/s, p50/p99 latency, errors, the ratio
   to the bare app, queries per request,
7. times GET /api/search/suggest in-process for a few typical prefixes (and a
   typo), with the response cache off and on: p50/p95 in milliseconds,
8. times the read model in-process (response cache off): a 20-item cursor page, a
   numbered page (with its count) and a detail from stored cards, and a page that
   renders its 20 cards first.

It prints figures and asserts nothing about them. REDIS_URL must point at a Redis
database the benchmark may flush; DATABASE_URL at a PostgreSQL database it may fill
(created when missing; --fresh drops it first).
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The peers' routes (benchmarks/peers.py, which needs Django, so not imported here).
DRF_PEER_PATH = "/peer/drf/products"
WAGTAIL_PEER_PATH = "/api/v2/pages/?type=commerce.ProductPage&fields=*&limit=20"
PYTHON = sys.executable
WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def log(message: str) -> None:
    print(message, flush=True)  # noqa: T201


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wrk_locate() -> str:
    """Wrk from PATH, or Debian's package installed with apt when running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        log("installing wrk (apt-get install wrk)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],  # noqa: S607
            check=True,
            env=env,
        )
        found = shutil.which("wrk")
    if not found:
        sys.exit(
            "wrk is needed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`."
        )
    return found


def django_env(args: argparse.Namespace, var_dir: Path, **extra: str) -> dict[str, str]:
    keys = subprocess.run(
        [
            PYTHON,
            "-c",
            "from config.keys import rsa_private_key_generate_pem as k; print(k())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "CATALOGUE_", "WEB_CONCURRENCY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="localhost",
        WAGTAILADMIN_BASE_URL="http://localhost",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_LOG_LEVEL="WARNING",
        JWT_PRIVATE_KEY=keys,
        ACCESS_TOKEN_LIFETIME_SECONDS="7200",  # noqa: S106 - a lifetime
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        FANTASIZE_VAR_DIR=str(var_dir),
        GUNICORN_BIND_HOST="127.0.0.1",
        GUNICORN_ACCESS_LOG=args.access_log,
        PYTHONPATH=str(ROOT),
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    env.update(extra)
    return env


def manage(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {arguments[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def django_snippet(env: dict[str, str], code: str) -> Any:
    """Run ``code`` in a configured Django process; it prints one JSON value last."""
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"snippet failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def database_prepare(args: argparse.Namespace) -> None:
    import psycopg

    parts = urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if args.fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


class Server:
    """gunicorn with config/gunicorn.py in its own process group."""

    def __init__(self, app: str, env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", app, "-c", "config/gunicorn.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, path: str = "/") -> None:
        for _ in range(120):
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        sys.exit(f"gunicorn did not answer {path}; see {self.log.name}")

    def worker_peak_rss_mib(self) -> float:
        """The largest peak resident set (VmHWM) among the gunicorn workers, in MiB.

        A worker's peak counts from its start, so after a scenario it covers every
        request the worker has served so far.
        """
        peaks = [0.0]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.process.pid:  # the parent pid
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wrk_run(
    wrk: str,
    args: argparse.Namespace,
    url: str,
    script: str,
    workdir: Path,
    duration: int,
) -> dict[str, float]:
    script_path = workdir / f"script-{time.monotonic_ns()}.lua"
    script_path.write_text(script + WRK_DONE)
    result = subprocess.run(
        [
            wrk,
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script_path),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    seconds = data["duration_us"] / 1_000_000
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": data["requests"] / seconds,
        "p50": data["p50_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "errors": errors,
        "requests": data["requests"],
    }


def lua_table(values: list[Any]) -> str:
    return "{" + ",".join(json.dumps(value) for value in values) + "}"


# Seconds of requests before each measured row, not counted.
WARM_UP_SECONDS = 2
GET_ONE = 'request = function() return wrk.format("GET", "{path}") end\n'
GET_RANDOM = """
local ids = {ids}
request = function()
  return wrk.format("GET", "/api/products/" .. ids[math.random(#ids)])
end
"""
POST_ORDERS = """
local tokens = {tokens}
local products = {products}
request = function()
  local body = '{{"lines":[{{"product":' .. products[math.random(#products)] ..
    ',"quantity":1}}],"shipping_method":{method},' ..
    '"shipping_address":{{"name":"Bench","line1":"1 Road",' ..
    '"city":"Berlin","postal_code":"10115","country":"DE"}}}}'
  return wrk.format("POST", "/api/orders", {{
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
  }}, body)
end
"""

# The mixed scenario: reads (the list or a random detail, half each) beside orders.
MIXED_READS = """
local ids = {ids}
request = function()
  if math.random(2) == 1 then return wrk.format("GET", "/api/products") end
  return wrk.format("GET", "/api/products/" .. ids[math.random(#ids)])
end
"""
MIXED_ORDER_SHARE = 0.05
MIXED_ORDER_CONNECTIONS = 8


def mixed_run(
    wrk: str,
    args: argparse.Namespace,
    url: str,
    reads: str,
    orders: str,
    workdir: Path,
    *,
    read_rps: float,
    order_ms: float,
) -> dict[str, Any]:
    """Reads at full speed while orders arrive at about 5% of the requests.

    The orders run in a second wrk (8 connections) that waits between requests so
    that they make ``MIXED_ORDER_SHARE`` of the read-only rate ``read_rps``; the
    share reached is reported. Hit rate: 1 - (response entries the reads stored,
    counted in Redis) / reads.
    """
    import redis

    store = redis.Redis.from_url(args.redis_url)

    def entries() -> int:
        return sum(
            1 for _ in store.scan_iter(match="*catalogue:response:*", count=1000)
        )

    order_rate = max(read_rps * MIXED_ORDER_SHARE / (1 - MIXED_ORDER_SHARE), 0.1)
    wait_ms = max(MIXED_ORDER_CONNECTIONS * 1000 / order_rate - order_ms, 0)
    script = workdir / "mixed-orders.lua"
    script.write_text(
        orders + f"delay = function() return {wait_ms:.0f} end\n" + WRK_DONE
    )
    stored_before = entries()
    ordering = subprocess.Popen(
        [
            wrk,
            "-t1",
            f"-c{MIXED_ORDER_CONNECTIONS}",
            f"-d{args.mixed_duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    result = wrk_run(wrk, args, url, reads, workdir, args.mixed_duration)
    output = ordering.communicate()[0]
    line = next(row for row in output.splitlines() if row.startswith("WRKJSON "))
    placed = json.loads(line.removeprefix("WRKJSON "))
    stored = entries() - stored_before
    result["orders"] = placed["requests"]
    result["errors"] += sum(
        placed[k] for k in ("connect", "read", "write", "status", "timeout")
    )
    result["order_share"] = placed["requests"] / (
        placed["requests"] + result["requests"]
    )
    result["hit_rate"] = 1 - stored / max(result["requests"], 1)
    return result


PREPARE = """
import json, random
from commerce.catalogue.models import ProductPage, ProductStock
from commerce.accounts.models import User
from commerce.accounts.services.tokens import token_pair_issue
from commerce.shipping.models import ShippingMethod
# Orders need a shipping method once the shop has one: a flat-rate one without limits.
method, _ = ShippingMethod.objects.get_or_create(
    name="Bench courier", defaults={{"price": "4.90", "sort_order": 999}}
)
ids = list(ProductPage.objects.live().filter(is_active=True, sku__startswith="BENCH-")
           .order_by("pk").values_list("pk", flat=True))
# Hot products without required customizations, so one JSON body fits all.
hot = [p.pk for p in ProductPage.objects.filter(pk__in=ids[:300]).order_by("pk")
       if not list(p.customizations.raw_data)][:{hot}]
ProductStock.objects.filter(product_id__in=hot).update(quantity=10_000_000)
customers = User.objects.filter(email__startswith="bench-customer-").order_by("pk")[:50]
tokens = [token_pair_issue(user=user)["access_token"] for user in customers]
random.seed(3)
print(json.dumps({{"ids": random.sample(ids, min(1000, len(ids))), "hot": hot,
                  "tokens": tokens, "products": len(ids), "method": method.pk}}))
"""

QUERY_COUNTS = """
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from commerce.accounts.models import User
from commerce.accounts.services.tokens import token_pair_issue

def count(method, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(Client(), method)(path, HTTP_HOST="localhost", **extra)
    assert response.status_code in (200, 201), (path, response.content)
    return len(queries.captured_queries)

from benchmarks.peers import DRF_PEER_PATH, WAGTAIL_PEER_PATH

detail = "/api/products/{detail_id}"
# Image renditions are made once, on first use: not part of a request's cost.
for path in ("/api/products", detail, DRF_PEER_PATH, WAGTAIL_PEER_PATH):
    count("get", path)
cache.clear()
result = {{
    "list_uncached": count("get", "/api/products"),
    "list_cached": count("get", "/api/products"),
    "detail_uncached": count("get", detail),
    "detail_cached": count("get", detail),
    "peer_drf": count("get", DRF_PEER_PATH),
    "peer_wagtail": count("get", WAGTAIL_PEER_PATH),
}}
token = token_pair_issue(user=User.objects.filter(email__startswith="bench-customer-").first())
result["order"] = count(
    "post", "/api/orders", content_type="application/json",
    HTTP_AUTHORIZATION="Bearer " + token["access_token"],
    data={{"lines": [{{"product": {hot_id}, "quantity": 1}}], "shipping_method": {method},
          "shipping_address": {{
        "name": "Bench", "line1": "1 Road", "city": "Berlin", "postal_code": "10115",
        "country": "DE"}}}},
)
print(json.dumps(result))
"""

# What shoppers type into a search box: prefixes, a word inside names, two words, a typo.
SUGGEST_PREFIXES = ["bo", "bouq", "rose", "gold", "neckl", "classic t", "boquet"]
SUGGEST_TIMING = """
import json, statistics, time
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

prefixes = {prefixes}
client = Client()

def get(q):
    response = client.get("/api/search/suggest", {{"q": q}}, HTTP_HOST="localhost")
    assert response.status_code == 200, (q, response.content)
    return response

def timed(rounds):
    timings = []
    for _ in range(rounds):
        for q in prefixes:
            started = time.perf_counter()
            get(q)
            timings.append((time.perf_counter() - started) * 1000)
    return {{"p50": statistics.median(timings),
             "p95": statistics.quantiles(timings, n=20)[-1]}}

for q in prefixes:  # image renditions are made once, on first use
    get(q)
with override_settings(CATALOGUE_CACHE_TIMEOUT=0):
    with CaptureQueriesContext(connection) as queries:
        results = len(get(prefixes[0]).json()["results"])
    query_count = len(queries.captured_queries)  # before later requests reset the log
    uncached = timed({rounds})
cached = timed({rounds})
print(json.dumps({{"uncached": uncached, "cached": cached, "results": results,
                  "queries": query_count,
                  "requests": {rounds} * len(prefixes)}}))
"""


def suggest_timing(env: dict[str, str], rounds: int = 30) -> dict[str, Any]:
    """p50/p95 (ms) of GET /api/search/suggest in-process, uncached and cached."""
    code = SUGGEST_TIMING.format(prefixes=repr(SUGGEST_PREFIXES), rounds=rounds)
    return dict(django_snippet(env, code))


def suggest_describe(timing: dict[str, Any]) -> str:
    uncached, cached = timing["uncached"], timing["cached"]
    return (
        f"suggest p50/p95 (ms), in-process over {timing['requests']} requests "
        f"({', '.join(repr(q) for q in SUGGEST_PREFIXES)}): uncached "
        f"{uncached['p50']:.1f}/{uncached['p95']:.1f} ({timing['queries']} queries, "
        f"{timing['results']} results for {SUGGEST_PREFIXES[0]!r}), cached "
        f"{cached['p50']:.1f}/{cached['p95']:.1f}"
    )


# The read model in-process, response cache off: pages and details assembled from
# stored cards, and a page whose 20 cards are all rendered again first.
CARDS_TIMING = """
import json, statistics, time
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from commerce.catalogue.models import SellableCard

client = Client()

def get(path, **params):
    response = client.get(path, params, HTTP_HOST="localhost")
    assert response.status_code == 200, (path, response.content[:300])
    return response

def timed(path, rounds, params, rendering=False):
    timings = []
    for _ in range(rounds):
        if rendering:
            ids = [item["id"] for item in get(path, **params).json()["results"]]
            SellableCard.objects.filter(pk__in=ids).update(built_generation=None)
        started = time.perf_counter()
        get(path, **params)
        timings.append((time.perf_counter() - started) * 1000)
    return {{"p50": statistics.median(timings),
             "p95": statistics.quantiles(timings, n=20)[-1]}}

with override_settings(CATALOGUE_CACHE_TIMEOUT=0):
    page = {{"page_size": 20}}
    cursor = {{"page_size": 20, "pagination": "cursor"}}
    detail = "/api/products/%d" % get("/api/products", **page).json()["results"][3]["id"]
    get("/api/products", **cursor)
    get(detail)
    with CaptureQueriesContext(connection) as queries:
        get("/api/products", **cursor)
    cursor_queries = len(queries.captured_queries)  # before later requests
    result = {{
        "numbered": timed("/api/products", {rounds}, page),
        "cursor": timed("/api/products", {rounds}, cursor),
        "detail": timed(detail, {rounds}, {{}}),
        "rendering": timed("/api/products", max({rounds} // 5, 5), page, rendering=True),
        "cursor_queries": cursor_queries,
        "requests": {rounds},
    }}
print(json.dumps(result))
"""


def cards_timing(env: dict[str, str], rounds: int = 50) -> dict[str, Any]:
    """p50/p95 (ms) of 20-item pages and a detail from the read model, in-process."""
    return dict(django_snippet(env, CARDS_TIMING.format(rounds=rounds)))


def cards_describe(timing: dict[str, Any]) -> str:
    def figures(name: str) -> str:
        return f"{timing[name]['p50']:.1f}/{timing[name]['p95']:.1f}"

    return (
        "read model p50/p95 (ms), in-process with the response cache off, 20-item "
        f"pages from stored cards: cursor page {figures('cursor')} "
        f"({timing['cursor_queries']} queries), numbered page with its count "
        f"{figures('numbered')}, one detail {figures('detail')}; a numbered page "
        f"rendering its 20 cards first {figures('rendering')}"
    )


TERMINATE = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    print(json.dumps(cursor.fetchone()[0]))
"""


def restart_check(
    server: Server, env: dict[str, str], ids: list[int]
) -> dict[str, Any]:
    """Drop all server-side connections, then send uncached requests at once."""
    killed = django_snippet(env, TERMINATE)
    statuses = []
    for index in range(40):
        url = f"{server.base}/api/products/{ids[index % len(ids)]}?restart={index}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return {
        "killed": killed,
        "requests": len(statuses),
        "failed": sum(s >= 500 for s in statuses),
    }


def machine_describe(args: argparse.Namespace, env: dict[str, str]) -> list[str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    versions = django_snippet(
        env,
        "import json, django, gunicorn\n"
        "from django.db import connection\n"
        "from django_redis import get_redis_connection\n"
        "print(json.dumps({'postgres': connection.cursor().connection.info.server_version,"
        " 'redis': get_redis_connection('default').info()['redis_version'],"
        " 'django': django.get_version(), 'gunicorn': gunicorn.__version__}))",
    )
    gunicorn_settings = subprocess.run(
        [
            PYTHON,
            "-c",
            "import runpy, json; v = runpy.run_path('config/gunicorn.py');"
            " print(json.dumps([v['workers'], v['worker_class'], v['threads'],"
            " v['max_requests'], v['max_requests_jitter'], v['preload_app']]))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    workers, worker_class, threads, max_requests, jitter, preload = json.loads(
        gunicorn_settings.stdout
    )
    recycling = (
        f"workers recycled after {max_requests} ± {jitter} requests"
        if max_requests
        else "workers not recycled"
    )
    pg = versions["postgres"]
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}",
        f"- software: Python {platform.python_version()}, Django {versions['django']}, "
        f"gunicorn {versions['gunicorn']}, PostgreSQL {pg // 10000}.{pg % 10000}, "
        f"Redis {versions['redis']}, all on this machine (loopback)",
        f"- gunicorn: {workers} workers × {threads} threads ({worker_class}), "
        f"{recycling}, {'app preloaded' if preload else 'app loaded per worker'}, "
        f"access log {args.access_log}; wrk: {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s per row",
    ]


def table(rows: list[dict[str, Any]], bare_rps: float) -> str:
    lines = [
        "| scenario | requests/s | p50 ms | p99 ms | errors | vs bare | queries/request "
        "| peak RSS/worker MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} | {row['rps'] / bare_rps:.3f} | {row['queries']} "
            f"| {row['rss']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="WEB_CONCURRENCY; default: config/gunicorn.py",
    )
    parser.add_argument(
        "--hot-products", type=int, default=5, help="products the order scenario buys"
    )
    parser.add_argument(
        "--mixed-duration", type=int, default=30, help="seconds of reads beside orders"
    )
    parser.add_argument("--access-log", default="off", choices=["off", "json", "text"])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL")
        or "postgres://root@127.0.0.1:5432/fantasize_bench",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop and re-create the database"
    )
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "last_run.md"))
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark runs on PostgreSQL: give --database-url postgres://...")

    wrk = wrk_locate()
    var_dir = ROOT / "var" / "bench"
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="fantasize-bench-"))
    server_log = var_dir / "gunicorn.log"
    server_log.write_bytes(b"")
    env = django_env(args, var_dir)

    log(f"database {args.database_url}, Redis {args.redis_url}")
    database_prepare(args)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    log(f"migrated ({time.monotonic() - started:.0f}s); seeding…")
    seed_started = time.monotonic()
    subprocess.run(
        [
            PYTHON,
            "benchmarks/seed.py",
            "--products",
            str(args.products),
            "--orders",
            str(args.orders),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    seed_seconds = time.monotonic() - seed_started
    data = django_snippet(env, PREPARE.format(hot=args.hot_products))
    django_snippet(env, "from django.core.cache import cache; cache.clear(); print(1)")
    rows: list[dict[str, Any]] = []
    servers: list[Server] = []

    def scenario(name: str, server: Server, script: str, queries: Any) -> None:
        # Every worker's first requests (database connections, lazy imports, the
        # fast path's remembered URLs) are not measured: a short pass first.
        wrk_run(wrk, args, server.base, script, workdir, WARM_UP_SECONDS)
        result = wrk_run(wrk, args, server.base, script, workdir, args.duration)
        result.update(name=name, queries=queries, rss=server.worker_peak_rss_mib())
        rows.append(result)
        log(
            f"  {name}: {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, {result['errors']} errors"
        )

    try:
        counts = django_snippet(
            env,
            QUERY_COUNTS.format(
                detail_id=data["ids"][0], hot_id=data["hot"][0], method=data["method"]
            ),
        )
        log(f"queries per request: {counts}")
        suggest = suggest_describe(suggest_timing(env))
        log(suggest)
        cards = cards_describe(cards_timing(env))
        log(cards)

        log("bare WSGI app (physical reference)")
        bare = Server("benchmarks.bare_wsgi:application", env, server_log)
        servers.append(bare)
        bare.wait()
        scenario("bare WSGI app, fixed bytes", bare, GET_ONE.format(path="/"), 0)
        bare.stop()

        log("app, catalogue cache on")
        app = Server("config.wsgi", env, server_log)
        servers.append(app)
        app.wait("/readyz")
        random_detail = GET_RANDOM.format(ids=lua_table(data["ids"]))
        urllib.request.urlopen(app.base + "/api/products", timeout=30).read()  # noqa: S310
        scenario(
            "GET /api/products (cached)",
            app,
            GET_ONE.format(path="/api/products"),
            counts["list_cached"],
        )
        # Fill the detail cache once (every id), then measure.
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(
                pool.map(
                    lambda pk: urllib.request.urlopen(  # noqa: S310
                        f"{app.base}/api/products/{pk}", timeout=60
                    ).read(),
                    data["ids"],
                )
            )
        scenario(
            f"GET /api/products/{{id}} (cached, {len(data['ids'])} random ids)",
            app,
            random_detail,
            counts["detail_cached"],
        )
        scenario(
            f"POST /api/orders ({len(data['tokens'])} customers, {len(data['hot'])} hot products)",
            app,
            POST_ORDERS.format(
                tokens=lua_table(data["tokens"]),
                products=lua_table(data["hot"]),
                method=data["method"],
            ),
            counts["order"],
        )
        mixed_reads = MIXED_READS.format(ids=lua_table(data["ids"]))
        scenario(
            "GET list or random detail, 1:1 (cached, read-only)", app, mixed_reads, 0
        )
        read_only = rows[-1]
        mixed = mixed_run(
            wrk,
            args,
            app.base,
            mixed_reads,
            POST_ORDERS.format(
                tokens=lua_table(data["tokens"]),
                products=lua_table(data["hot"]),
                method=data["method"],
            ),
            workdir,
            read_rps=read_only["rps"],
            order_ms=rows[-2]["p50"],
        )
        mixed.update(
            name=f"the same reads beside orders ({args.mixed_duration} s; reads only)",
            queries=0,
            rss=app.worker_peak_rss_mib(),
        )
        rows.append(mixed)
        mixed_line = (
            f"Reads beside orders: orders {mixed['order_share']:.1%} of the requests "
            f"({mixed['orders']:,}), cache hit rate {mixed['hit_rate']:.1%}, read p50 "
            f"{mixed['p50'] / read_only['p50']:.2f}x the read-only one"
        )
        log("  " + mixed_line)
        restart = restart_check(app, env, data["ids"])
        log(f"  connections dropped: {restart}")
        app.stop()

        log("app, catalogue cache off")
        uncached = Server(
            "benchmarks.peers:application",
            django_env(args, var_dir, CATALOGUE_CACHE_TIMEOUT="0"),
            server_log,
        )
        servers.append(uncached)
        uncached.wait("/readyz")
        scenario(
            "GET /api/products (uncached)",
            uncached,
            GET_ONE.format(path="/api/products"),
            counts["list_uncached"],
        )
        scenario(
            f"GET /api/products/{{id}} (uncached, {len(data['ids'])} random ids)",
            uncached,
            random_detail,
            counts["detail_uncached"],
        )
        scenario(
            "peer: DRF ModelSerializer + ListAPIView, same list (no cache)",
            uncached,
            GET_ONE.format(path=DRF_PEER_PATH),
            counts["peer_drf"],
        )
        scenario(
            "peer: Wagtail API v2 page listing of products, fields=* (no cache)",
            uncached,
            GET_ONE.format(path=WAGTAIL_PEER_PATH),
            counts["peer_wagtail"],
        )
        uncached.stop()
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    bare_rps = rows[0]["rps"]
    report = "\n".join(
        [
            f"Run of {time.strftime('%Y-%m-%d %H:%M %Z')}: {data['products']:,} published "
            f"products, {args.orders:,} orders (seeding {seed_seconds:.0f} s).",
            "",
            *machine_describe(args, env),
            "",
            table(rows, bare_rps),
            "",
            suggest + ".",
            "",
            cards + ".",
            "",
            mixed_line + ".",
            "",
            f"After pg_terminate_backend of all {restart['killed']} server-side "
            f"connections: {restart['failed']} of {restart['requests']} following "
            "uncached requests failed.",
        ]
    )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(report + "\n")
    log("\n" + report + f"\n\n(written to {args.output}; gunicorn log: {server_log})")


if __name__ == "__main__":
    main()
