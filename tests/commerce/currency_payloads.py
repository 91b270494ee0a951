"""Every amount a payload carries has its currency beside it: a walker for tests.

The shop's rule (issue 15): a JSON object that holds a price or an amount also holds a
``currency`` field with the ISO 4217 code, and amounts travel as Decimal strings.
``assert_currency_beside_amounts`` walks any decoded JSON (dicts, lists, scalars) and
checks every object with an amount key; CSV, XLSX and JSON exports are checked the same
way once their rows are dicts (``csv_records``, ``xlsx_records``).

To cover a new payload, call the assertion on its body. A new amount key that
``is_amount_key`` does not recognise goes into ``AMOUNT_KEYS``, or its suffix into
``AMOUNT_SUFFIXES``.
"""

import csv
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from io import BytesIO, StringIO
from typing import Any

AMOUNT_KEYS = frozenset(
    {
        "price",
        "price_delta",
        "amount",
        "total",
        "subtotal",
        "revenue",
        "average_order_value",
        "shipping",
        "tax",
        "discount",
    }
)
# compare_at_price, unit_price, line_total, order_total, shipping_total, total_spent, …
AMOUNT_SUFFIXES = ("_price", "_total", "_subtotal", "_amount", "_revenue", "_spent")


def is_amount_key(key: str) -> bool:
    """Whether ``key`` names an amount of money (``price``, ``line_total``, …)."""
    return key in AMOUNT_KEYS or key.endswith(AMOUNT_SUFFIXES)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def amount_objects(
    payload: Any, path: str = "$"
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(path, object)`` for every object in ``payload`` that holds an amount.

    An amount is a scalar under an amount key; an object or a list under such a key
    (``"total": {...}``) is walked into, not taken for an amount.
    """
    if isinstance(payload, dict):
        if any(
            is_amount_key(str(key)) and _is_scalar(value)
            for key, value in payload.items()
        ):
            yield path, payload
        for key, value in payload.items():
            yield from amount_objects(value, f"{path}.{key}")
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            yield from amount_objects(value, f"{path}[{index}]")


def _amount_problem(value: Any) -> str | None:
    """Why ``value`` is not an amount on the wire (a Decimal string, or empty)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str | Decimal):
        return f"{value!r} is not a Decimal string"
    try:
        Decimal(value)
    except InvalidOperation:
        return f"{value!r} is not a decimal number"
    return None


def assert_currency_beside_amounts(payload: Any, *, currency: str) -> int:
    """Assert every object with an amount has ``currency`` beside it; return how many.

    Amounts must be Decimal strings (or null). Fails when the payload holds no amount
    at all, so that a test cannot pass by walking an empty list.
    """
    found = list(amount_objects(payload))
    problems = []
    for path, item in found:
        if item.get("currency") != currency:
            keys = ", ".join(sorted(map(str, item)))
            problems.append(
                f"{path}: currency {item.get('currency')!r}, expected {currency!r} "
                f"(keys: {keys})"
            )
        for key, value in item.items():
            if is_amount_key(str(key)) and _is_scalar(value):
                problem = _amount_problem(value)
                if problem:
                    problems.append(f"{path}.{key}: {problem}")
    assert not problems, "\n".join(problems)
    assert found, "the payload holds no amount: nothing was checked"
    return len(found)


def csv_records(content: bytes | str) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts keyed by its header."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return list(csv.DictReader(StringIO(text)))


def xlsx_records(content: bytes) -> list[dict[str, Any]]:
    """The rows of the first sheet of an XLSX file as dicts keyed by its header."""
    import openpyxl

    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]
