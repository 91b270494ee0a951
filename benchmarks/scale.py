# ruff: noqa: S603 - runs our own tools (python, wrk) with arguments built here
"""Scale curves for `make bench`: how a request's cost grows with the catalogue.

For each catalogue size (``--sizes``, default 1,000, 10,000 and 100,000 products)
in its own PostgreSQL database (the ``--database-url`` name plus ``_scale_1k``,
``_scale_10k``…; created when missing, migrated, seeded by benchmarks/seed.py,
which resumes), it serves the app under gunicorn with the response cache off
(``CATALOGUE_CACHE_TIMEOUT=0``), warms its workers up for two seconds and measures
with wrk, as benchmarks/run.py does:

1. GET /api/products, the first numbered page (20 products and a count),
2. a deep keyset page: ``next`` links followed in-process (``page_size=100``) down
   to row ``--depth`` or the last page, then that cursor at the default page size,
3. the numbered page listing the same rows (``?page=N``: OFFSET and COUNT),
4. POST /api/orders: 50 customers buying one of 1, 5 or 50 hot products
   (``--hot-products``), so the orders queue on fewer or more stock row locks.

It prints one table (size, scenario, requests/s, p50/p99, errors, peak RSS per
gunicorn worker), writes it to var/bench/scale.md and draws two PNG charts with
matplotlib into benchmarks/charts/: list_scale.png (p50 and requests/s of the list
pages against the number of products, log x) and orders_hot.png (orders/s and p50
against the number of hot products, one line per size). It asserts nothing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run as bench

CHARTS_DIR = bench.ROOT / "benchmarks" / "charts"
LIST_SCENARIOS = {
    "first": "GET /api/products, first page",
    "cursor": "GET /api/products, deep cursor page",
    "page": "GET /api/products, deep numbered page",
}
PAGE_SIZE = 20  # REST_FRAMEWORK["PAGE_SIZE"], the size of the measured pages
# Keyset pages fetched this many rows at a time while looking for a deep cursor.
CURSOR_STEP = 100
DEEP_CURSOR = """
import json
from urllib.parse import parse_qs, urlsplit
from django.test import Client

client = Client()
cursor, skipped = None, 0
while skipped + {step} <= {depth}:
    query = {{"pagination": "cursor", "page_size": {step}}}
    if cursor:
        query["cursor"] = cursor
    response = client.get("/api/products", query, HTTP_HOST="localhost")
    assert response.status_code == 200, response.content
    body = response.json()
    if not body["next"]:
        break
    skipped += len(body["results"])
    cursor = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
print(json.dumps({{"cursor": cursor, "skipped": skipped}}))
"""


def size_label(products: int) -> str:
    """1000 → "1k", 100000 → "100k"; other sizes as they are."""
    return f"{products // 1000}k" if products % 1000 == 0 else str(products)


def size_arguments(args: argparse.Namespace, products: int) -> argparse.Namespace:
    """``args`` with the database of this catalogue size."""
    parts = urlsplit(args.database_url)
    name = parts.path.lstrip("/") + f"_scale_{size_label(products)}"
    return argparse.Namespace(
        **{**vars(args), "database_url": parts._replace(path="/" + name).geturl()}
    )


def integers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def seed(args: argparse.Namespace, env: dict[str, str], products: int) -> float:
    """Create, migrate and seed the size's database; returns the seconds it took."""
    started = time.monotonic()
    bench.database_prepare(args)
    bench.manage(env, "migrate", "--noinput", "-v0")
    subprocess.run(
        [
            bench.PYTHON,
            "benchmarks/seed.py",
            "--products",
            str(products),
            "--orders",
            str(args.orders),
            "--packages",
            str(args.packages),
        ],
        cwd=bench.ROOT,
        env=env,
        check=True,
    )
    return time.monotonic() - started


def measure_size(
    args: argparse.Namespace,
    products: int,
    wrk: str,
    workdir: Path,
    server_log: Path,
) -> tuple[list[dict[str, Any]], float]:
    """The rows of one catalogue size, and the seconds its database setup took."""
    size_args = size_arguments(args, products)
    var_dir = bench.ROOT / "var" / "bench"
    env = bench.django_env(size_args, var_dir, CATALOGUE_CACHE_TIMEOUT="0")
    bench.log(f"{products:,} products: {size_args.database_url}; seeding…")
    seconds = seed(size_args, env, products)
    hots = sorted(set(args.hot_products))
    data = bench.django_snippet(env, bench.PREPARE.format(hot=max(hots)))
    bench.django_snippet(
        env, "from django.core.cache import cache; cache.clear(); print(1)"
    )
    deep = bench.django_snippet(
        env, DEEP_CURSOR.format(step=CURSOR_STEP, depth=args.depth)
    )
    deep_page = deep["skipped"] // PAGE_SIZE + 1
    paths = {"first": "/api/products"}
    if deep["cursor"]:
        paths["cursor"] = f"/api/products?pagination=cursor&cursor={deep['cursor']}"
        paths["page"] = f"/api/products?page={deep_page}"
    rows: list[dict[str, Any]] = []
    server = bench.Server("config.wsgi", env, server_log)
    try:
        server.wait("/readyz")
        # Every worker's first requests (connections, lazy imports) are not measured.
        warm_up = bench.GET_ONE.format(path="/api/products")
        bench.wrk_run(wrk, args, server.base, warm_up, workdir, bench.WARM_UP_SECONDS)

        def scenario(key: str, label: str, script: str, **extra: Any) -> None:
            result = bench.wrk_run(
                wrk, args, server.base, script, workdir, args.duration
            )
            result.update(
                size=products,
                key=key,
                name=label,
                rss=server.worker_peak_rss_mib(),
                **extra,
            )
            rows.append(result)
            bench.log(
                f"  {label}: {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms, {result['errors']} errors"
            )

        for key, path in paths.items():
            # Image renditions are made once, on first use: not part of the cost.
            urllib.request.urlopen(server.base + path, timeout=60).read()  # noqa: S310
            label = LIST_SCENARIOS[key]
            if key != "first":
                label += (
                    f" (rows {deep['skipped'] + 1:,}–{deep['skipped'] + PAGE_SIZE:,})"
                )
            scenario(key, label, bench.GET_ONE.format(path=path))
        for count in hots:
            hot = data["hot"][:count]
            scenario(
                "orders",
                f"POST /api/orders ({len(data['tokens'])} customers, "
                f"{len(hot)} hot product{'s' if len(hot) > 1 else ''})",
                bench.POST_ORDERS.format(
                    tokens=bench.lua_table(data["tokens"]),
                    products=bench.lua_table(hot),
                    method=data["method"],
                ),
                hot=len(hot),
            )
    finally:
        server.stop()
    return rows, seconds


def table(rows: Iterable[dict[str, Any]]) -> str:
    lines = [
        "| products | scenario | requests/s | p50 ms | p99 ms | errors "
        "| peak RSS/worker MiB |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {row['name']} | {row['rps']:,.0f} | {row['p50']:.1f} "
            f"| {row['p99']:.1f} | {row['errors']} | {row['rss']:.0f} |"
        )
    return "\n".join(lines)


def charts_write(rows: list[dict[str, Any]], directory: Path) -> list[Path]:
    """Draw list_scale.png and orders_hot.png from the table's rows into ``directory``.

    A chart is written only when its rows are there (list pages at two sizes or
    more, orders at two hot counts or more).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    sizes = sorted({row["size"] for row in rows if row["key"] in LIST_SCENARIOS})
    if len(sizes) > 1:
        figure, (latency, throughput) = pyplot.subplots(1, 2, figsize=(11, 4.2))
        for key, label in LIST_SCENARIOS.items():
            points = sorted(
                (row["size"], row["p50"], row["rps"])
                for row in rows
                if row["key"] == key
            )
            if not points:
                continue
            xs = [point[0] for point in points]
            name = label.removeprefix("GET /api/products, ")
            latency.plot(xs, [point[1] for point in points], marker="o", label=name)
            throughput.plot(xs, [point[2] for point in points], marker="o", label=name)
        for axes, title in (
            (latency, "p50 latency (ms)"),
            (throughput, "requests/s"),
        ):
            axes.set_xscale("log")
            axes.set_xticks(sizes, [f"{size:,}" for size in sizes])
            axes.minorticks_off()
            axes.set_xlabel("published products")
            axes.set_title(f"GET /api/products, uncached: {title}")
            axes.set_ylim(bottom=0)
            axes.grid(alpha=0.3)
            axes.legend()
        figure.tight_layout()
        path = directory / "list_scale.png"
        figure.savefig(path, dpi=100)
        pyplot.close(figure)
        written.append(path)
    orders = [row for row in rows if row["key"] == "orders"]
    if len({row["hot"] for row in orders}) > 1:
        figure, (throughput, latency) = pyplot.subplots(1, 2, figsize=(11, 4.2))
        hots = sorted({row["hot"] for row in orders})
        for size in sorted({row["size"] for row in orders}):
            points = sorted(
                (row["hot"], row["rps"], row["p50"])
                for row in orders
                if row["size"] == size
            )
            xs = [point[0] for point in points]
            name = f"{size:,} products"
            throughput.plot(xs, [point[1] for point in points], marker="o", label=name)
            latency.plot(xs, [point[2] for point in points], marker="o", label=name)
        for axes, title in ((throughput, "orders/s"), (latency, "p50 latency (ms)")):
            axes.set_xscale("log")
            axes.set_xticks(hots, [str(hot) for hot in hots])
            axes.minorticks_off()
            axes.set_xlabel("hot products (50 customers buy one at random)")
            axes.set_title(f"POST /api/orders: {title}")
            axes.set_ylim(bottom=0)
            axes.grid(alpha=0.3)
            axes.legend()
        figure.tight_layout()
        path = directory / "orders_hot.png"
        figure.savefig(path, dpi=100)
        pyplot.close(figure)
        written.append(path)
    return written


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=integers,
        default=[1_000, 10_000, 100_000],
        help="catalogue sizes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--hot-products",
        type=integers,
        default=[1, 5, 50],
        help="hot product counts of the order scenario (default 1,5,50)",
    )
    parser.add_argument(
        "--depth", type=int, default=5000, help="rows the deep pages skip, at most"
    )
    parser.add_argument("--orders", type=int, default=10_000, help="seeded per size")
    parser.add_argument("--packages", type=int, default=5, help="seeded per size")
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="WEB_CONCURRENCY; default: config/gunicorn.py",
    )
    parser.add_argument("--access-log", default="off", choices=["off", "json", "text"])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL")
        or "postgres://root@127.0.0.1:5432/fantasize_bench",
        help="its database name gets a suffix per size (_scale_1k, …)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop and re-create the databases"
    )
    parser.add_argument("--charts", default=str(CHARTS_DIR))
    parser.add_argument(
        "--output", default=str(bench.ROOT / "var" / "bench" / "scale.md")
    )
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark runs on PostgreSQL: give --database-url postgres://...")
    return args


def main() -> None:
    args = arguments()
    wrk = bench.wrk_locate()
    var_dir = bench.ROOT / "var" / "bench"
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    server_log = var_dir / "gunicorn-scale.log"
    server_log.write_bytes(b"")
    workdir = Path(tempfile.mkdtemp(prefix="fantasize-bench-scale-"))
    rows: list[dict[str, Any]] = []
    setup = []
    try:
        for products in args.sizes:
            size_rows, seconds = measure_size(args, products, wrk, workdir, server_log)
            rows.extend(size_rows)
            setup.append(f"{products:,}: {seconds:.0f} s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    env = bench.django_env(size_arguments(args, args.sizes[-1]), var_dir)
    charts = charts_write(rows, Path(args.charts))
    report = "\n".join(
        [
            f"Scale run of {time.strftime('%Y-%m-%d %H:%M %Z')}: response cache off, "
            f"{args.orders:,} orders seeded per size (database setup and seeding: "
            f"{', '.join(setup)}).",
            "",
            *bench.machine_describe(args, env),
            "",
            table(rows),
        ]
    )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(report + "\n")
    bench.log(
        "\n"
        + report
        + f"\n\n(written to {args.output}; charts: "
        + (", ".join(str(path) for path in charts) or "none")
        + f"; gunicorn log: {server_log})"
    )


if __name__ == "__main__":
    main()
