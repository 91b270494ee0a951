"""Rendering admin-authored templates safely.

Templates are Jinja2 in a sandbox, filled from plain data only (dicts, lists, strings,
numbers): no settings, models or callables are reachable, attribute access to
underscored names is refused, and a template that breaks a rule renders as an error
marker instead of raising. HTML bodies are autoescaped.
"""

import json
import logging
from typing import Any

from jinja2 import StrictUndefined, TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from notify.defaults import DEFAULT_TEMPLATES, SAMPLE_CONTEXTS

logger = logging.getLogger(__name__)

PARTS = ("subject", "text", "html", "push")
RENDER_ERROR = "[template error]"


class _NoCallsEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with no callables at all: templates may only read and filter."""

    def is_safe_callable(self, obj: Any) -> bool:
        return False


def _environment(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    environment = _NoCallsEnvironment(
        autoescape=autoescape, undefined=Undefined, keep_trailing_newline=False
    )
    environment.globals.clear()  # no range, lipsum, cycler, dict, namespace …
    return environment


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)
_CHECK = ImmutableSandboxedEnvironment(undefined=StrictUndefined)


def plain(data: Any) -> Any:
    """A deep copy holding only JSON types: whatever the caller passed, no objects."""
    return json.loads(json.dumps(data, default=str))


def template_check(source: str) -> str | None:
    """The syntax error of ``source``, or None."""
    try:
        _CHECK.parse(source)
    except TemplateError as error:
        return str(error)
    return None


def _render(source: str, context: dict[str, Any], *, html: bool) -> str:
    environment = _HTML if html else _TEXT
    try:
        return environment.from_string(source).render(context)
    except TemplateError:
        logger.warning("email template failed to render", exc_info=True)
        return RENDER_ERROR


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
