import argparse
from pathlib import Path
from typing import Any

import pytest

from benchmarks.scale import charts_write, size_arguments, table

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _row(size: int, key: str, rps: float, p50: float, hot: int = 0) -> dict[str, Any]:
    row = {"size": size, "key": key, "name": key, "rps": rps, "p50": p50}
    row.update(p99=p50 * 3, errors=0, rss=120.0)
    if hot:
        row["hot"] = hot
    return row


ROWS = [
    *(
        _row(size, key, rps=1000 / (index + 1), p50=20.0 * (index + 1))
        for index, size in enumerate((1_000, 10_000, 100_000))
        for key in ("first", "cursor", "page")
    ),
    *(
        _row(size, "orders", rps=10.0 * hot, p50=300 / hot, hot=hot)
        for size in (1_000, 10_000)
        for hot in (1, 5, 50)
    ),
]


def test_charts_write_draws_the_list_and_order_charts_as_png(tmp_path: Path) -> None:
    # when
    written = charts_write(ROWS, tmp_path)

    # then
    assert [path.name for path in written] == ["list_scale.png", "orders_hot.png"]
    for path in written:
        assert path.read_bytes()[:8] == PNG_SIGNATURE


def test_charts_write_skips_a_chart_without_two_points(tmp_path: Path) -> None:
    # given
    rows = [row for row in ROWS if row["size"] == 1_000]

    # when
    written = charts_write(rows, tmp_path)

    # then
    assert [path.name for path in written] == ["orders_hot.png"]
    assert not (tmp_path / "list_scale.png").exists()


def test_table_has_one_line_per_row() -> None:
    # when
    lines = table(ROWS[:1]).splitlines()

    # then
    assert lines[2] == "| 1,000 | first | 1,000 | 20.0 | 60.0 | 0 | 120 |"


@pytest.mark.parametrize(
    ("products", "database"),
    [
        (1_000, "fantasize_bench_scale_1k"),
        (100_000, "fantasize_bench_scale_100k"),
        (2_500, "fantasize_bench_scale_2500"),
    ],
    ids=["thousand_case", "hundred_thousand_case", "not_round_case"],
)
def test_size_arguments_give_each_size_its_own_database(
    products: int, database: str
) -> None:
    # given
    args = argparse.Namespace(
        database_url="postgres://root@127.0.0.1:5432/fantasize_bench", duration=5
    )

    # when
    sized = size_arguments(args, products)

    # then
    assert sized.database_url == f"postgres://root@127.0.0.1:5432/{database}"
    assert sized.duration == 5
    assert args.database_url.endswith("/fantasize_bench")
