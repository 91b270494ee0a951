"""Rendering admin-authored templates safely.

Templates are Jinja2 in a sandbox, filled from plain data only (dicts, lists, strings,
numbers): no settings, models or callables are reachable, attribute access to
underscored names is refused, and a template that breaks a rule renders as an error
marker instead of raising. HTML bodies are autoescaped.

A template also runs under a budget: loader tags (include, import, extends) are
refused, the operators and filters that can grow a value (``*``, ``%``, ``**``,
``format``, ``center``, ``replace`` …) are capped, every part stops after
RENDER_TIME_BUDGET_SECONDS and its output is at most RENDER_MAX_CHARACTERS long.
Saving a template renders it with the event's sample data under the same budget.
"""

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import TemplateError, Undefined, nodes
from jinja2.filters import FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment

from notify.defaults import DEFAULT_TEMPLATES, SAMPLE_CONTEXTS

logger = logging.getLogger(__name__)

PARTS = ("subject", "text", "html", "push")
RENDER_ERROR = "[template error]"
RENDER_TIME_BUDGET_SECONDS = 1.0
RENDER_MAX_CHARACTERS = 100_000
MAX_FORMAT_WIDTH = 100
MAX_POWER_EXPONENT = 64
MAX_INTEGER_BITS = 4096
LOADER_TAGS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
# A printf conversion: flags, width, precision (``*`` takes them from the arguments).
FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class RenderBudgetError(BaseException):
    """A template went over its budget.

    A BaseException, so that no ``except Exception`` inside Jinja swallows it and
    lets the render run on unbounded; ``_render`` catches it.
    """


def _too_big(size: int) -> None:
    if size > RENDER_MAX_CHARACTERS:
        raise RenderBudgetError("The template produces too much text.")


def _format_checked(template: str) -> None:
    for match in FORMAT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                raise RenderBudgetError(
                    f"Format widths above {MAX_FORMAT_WIDTH} are not allowed."
                )


def _integer_checked(bits: int) -> None:
    if bits > MAX_INTEGER_BITS:
        raise RenderBudgetError("The template computes too large a number.")


def _multiply(left: Any, right: Any) -> Any:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(times, int):
            _too_big(len(sequence) * max(times, 0))
    if isinstance(left, int) and isinstance(right, int):
        _integer_checked(abs(left).bit_length() + abs(right).bit_length())
    return left * right


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _format_checked(left)
    return left % right


def _power(left: Any, right: Any) -> Any:
    if isinstance(right, int | float) and abs(right) > MAX_POWER_EXPONENT:
        raise RenderBudgetError(
            f"Exponents above {MAX_POWER_EXPONENT} are not allowed."
        )
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        _integer_checked(abs(left).bit_length() * right)
    return left**right


def _width_capped(name: str, *positions: int) -> Callable[..., Any]:
    """A Jinja filter whose width-like arguments are at most MAX_FORMAT_WIDTH."""
    original = FILTERS[name]

    def capped(*args: Any, **kwargs: Any) -> Any:
        values = [args[i] for i in positions if i < len(args)]
        values += [v for k, v in kwargs.items() if k in ("width", "indent")]
        for value in values:
            size = len(value) if isinstance(value, str) else value
            if isinstance(size, int) and size > MAX_FORMAT_WIDTH:
                raise RenderBudgetError(
                    f"Widths above {MAX_FORMAT_WIDTH} are not allowed."
                )
        result = original(*args, **kwargs)
        if isinstance(result, str):
            _too_big(len(result))
        return result

    return capped


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    _format_checked(str(value))
    result: str = FILTERS["format"](value, *args, **kwargs)
    _too_big(len(result))
    return result


def _replace_filter(
    eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None
) -> Any:
    text, old, new = str(value), str(old), str(new)
    occurrences = len(text) + 1 if old == "" else text.count(old)
    if count is not None:
        occurrences = min(occurrences, max(count, 0))
    _too_big(len(text) + occurrences * max(len(new) - len(old), 0))
    return FILTERS["replace"](eval_ctx, value, old, new, count)


_replace_filter.jinja_pass_arg = FILTERS["replace"].jinja_pass_arg  # type: ignore[attr-defined]


def _size_checked(name: str) -> Callable[..., Any]:
    original = FILTERS[name]

    def checked(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if isinstance(result, str):
            _too_big(len(result))
        return result

    if hasattr(original, "jinja_pass_arg"):
        checked.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


# Only filters that read and shape data; the ones that can grow text are capped.
_PLAIN_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape",
    "filesizeformat", "first", "float", "forceescape", "int", "last", "length",
    "lower", "max", "min", "reverse", "round", "safe", "sort", "string",
    "striptags", "sum", "title", "trim", "truncate", "unique", "upper",
    "urlencode", "wordcount",
)  # fmt: skip
SAFE_FILTERS: dict[str, Callable[..., Any]] = {
    **{name: FILTERS[name] for name in _PLAIN_FILTERS},
    "center": _width_capped("center", 1),
    "indent": _width_capped("indent", 1),
    "wordwrap": _width_capped("wordwrap", 2),
    "format": _format_filter,
    "replace": _replace_filter,
    "join": _size_checked("join"),
    "list": _size_checked("list"),
}


class _BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with no callables and no loader; growing operators are capped."""

    intercepted_binops = frozenset(["*", "%", "**"])
    _CAPPED_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
        "*": _multiply,
        "%": _modulo,
        "**": _power,
    }

    def is_safe_callable(self, obj: Any) -> bool:
        return False

    def call_binop(
        self, context: Any, operator_name: str, left: Any, right: Any
    ) -> Any:
        capped = self._CAPPED_BINOPS.get(operator_name)
        if capped is None:
            return self.binop_table[operator_name](left, right)
        return capped(left, right)


def _environment(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    environment = _BudgetedEnvironment(
        autoescape=autoescape, undefined=Undefined, keep_trailing_newline=False
    )
    environment.globals.clear()  # no range, lipsum, cycler, dict, namespace …
    environment.filters = dict(SAFE_FILTERS)
    return environment


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def plain(data: Any) -> Any:
    """A deep copy holding only JSON types: whatever the caller passed, no objects."""
    return json.loads(json.dumps(data, default=str))


def _loader_tags_refused(source: str) -> None:
    tree = _TEXT.parse(source)
    for node in tree.find_all(LOADER_TAGS):
        tag = type(node).__name__.lower().replace("fromimport", "from … import")
        raise TemplateError(f"{{% {tag} %}} is not allowed: templates stand alone.")


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Stop the template's Python frames once ``seconds`` have passed.

    Jinja compiles a template to Python, so a trace function sees its loops; it
    checks the clock every 1024 events. Work done in one C call is bounded by the
    operator and filter caps instead.
    """
    deadline = time.monotonic() + seconds
    events = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal events
        events += 1
        if events & 1023 == 0 and time.monotonic() > deadline:
            raise RenderBudgetError("The template takes too long to render.")
        return trace if frame.f_code.co_filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)


def _render_strict(source: str, context: dict[str, Any], *, html: bool) -> str:
    """Render within the budget; raises whatever went wrong."""
    _loader_tags_refused(source)
    environment = _HTML if html else _TEXT
    with _time_budget(RENDER_TIME_BUDGET_SECONDS):
        output = environment.from_string(source).render(context)
    _too_big(len(output))
    return output


def _render(source: str, context: dict[str, Any], *, html: bool) -> str:
    try:
        return _render_strict(source, context, html=html)
    except (Exception, RenderBudgetError):
        logger.warning("email template failed to render", exc_info=True)
        return RENDER_ERROR


def template_check(source: str, *, context: dict[str, Any] | None = None) -> str | None:
    """Why ``source`` cannot be used, or None.

    It must parse, use no loader tags, and render ``context`` (sample data) as text
    and as HTML within the budget without an error.
    """
    try:
        _loader_tags_refused(source)
        data = plain(context or {})
        for html in (False, True):
            _render_strict(source, data, html=html)
    except RenderBudgetError as error:
        return str(error)
    except TemplateError as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - whatever a render raises is reported
        return f"{type(error).__name__}: {error}"
    return None


def email_render(*, content: dict[str, Any], context: dict[str, Any]) -> dict[str, str]:
    """Subject, text, HTML and push text of a template, filled from ``context``."""
    data = plain(context)
    rendered = {}
    for part in PARTS:
        source = content.get(part) or ""
        if not isinstance(source, str):
            source = ""
        rendered[part] = _render(source, data, html=part == "html")
    rendered["subject"] = " ".join(rendered["subject"].split())[:200]
    return rendered


def default_content(event: str) -> dict[str, str]:
    return dict(DEFAULT_TEMPLATES[event])


def sample_context(event: str) -> dict[str, Any]:
    return plain(SAMPLE_CONTEXTS.get(event, SAMPLE_CONTEXTS["announcement"]))
