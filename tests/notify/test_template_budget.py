"""Templates that raise or run away are refused on save and never break a send."""

import time

import pytest
from django.core.exceptions import ValidationError

from notify.rendering import RENDER_ERROR, email_render
from notify.services import template_content_validate

CONTEXT = {"order": {"number": "FNT-1", "total": "9.00"}, "user": {"name": "Ada"}}

HOSTILE = [
    ("{% include 'other.txt' %}", "include"),
    ("{% import 'macros.txt' as m %}", "import"),
    ("{% from 'macros.txt' import x %}", "import"),
    ("{% extends 'base.txt' %}", "extends"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{{ 'a' + 1 }}", "TypeError"),
    ("{{ '%999999999d'|format(1) }}", "Format widths"),
    ("{{ '%999999999d' % 1 }}", "Format widths"),
    ("{{ '%*d'|format(999999999, 1) }}", "Format widths"),
    ("{{ 'a' * 999999999 }}", "too much text"),
    ("{{ ['a'] * 999999999 }}", "too much text"),
    ("{{ 10 ** 10000000 }}", "Exponents"),
    ("{{ 99999999 ** 60 ** 60 }}", "too large a number"),
    (
        "{% set n = 99999999999 %}{% set n = n * n %}{% set n = n * n %}"
        "{% set n = n * n %}{% set n = n * n %}{% set n = n * n %}{% set n = n * n %}"
        "{% set n = n * n %}{{ n }}",
        "too large a number",
    ),
    ("{{ 'x'|center(999999999) }}", "Widths"),
    ("{{ 'x'|indent(999999999) }}", "Widths"),
    (
        "{{ order.number|replace('', 'aaaaaaaaaa')|replace('', 'aaaaaaaaaa')"
        "|replace('', 'aaaaaaaaaa')|replace('', 'aaaaaaaaaa')"
        "|replace('', 'aaaaaaaaaa') }}",
        "too much text",
    ),
    (
        "{% for a in order.number * 20 %}{% for b in order.number * 20 %}"
        "{% for c in order.number * 20 %}{% for d in order.number * 20 %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        "too long",
    ),
]
IDS = [
    "include", "import", "from_import", "extends", "division_by_zero", "str_plus_int",
    "format_filter_width", "percent_operator_width", "star_width", "string_repeat",
    "list_repeat", "power", "power_tower", "squaring", "center", "indent", "replace_growth", "nested_loops",
]  # fmt: skip


@pytest.mark.parametrize(("source", "reason"), HOSTILE, ids=IDS)
def test_a_hostile_template_is_refused_on_save_with_the_reason(source, reason):
    started = time.monotonic()

    with pytest.raises(ValidationError) as refused:
        template_content_validate(
            {"subject": "Order", "text": source, "html": "", "push": ""},
            event="order_placed",
        )

    assert list(refused.value.message_dict) == ["text"]
    assert reason in refused.value.message_dict["text"][0]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("source", "reason"), HOSTILE, ids=IDS)
def test_a_hostile_template_renders_as_the_error_marker_when_sent(source, reason):
    started = time.monotonic()

    rendered = email_render(
        content={"subject": "Order {{ order.number }}", "text": source, "html": source},
        context=CONTEXT,
    )

    assert rendered["subject"] == "Order FNT-1"
    assert rendered["text"] == RENDER_ERROR
    assert rendered["html"] == RENDER_ERROR
    assert time.monotonic() - started < 5


def test_ordinary_templates_still_pass_and_render():
    content = template_content_validate(
        {
            "subject": "Order {{ order.number }} for {{ user.name|title }}",
            "text": "{{ '%.2f'|format(3.14159) }} {{ 'ab' * 3 }} {{ 2 ** 10 }}"
            "{% for line in [1, 2] %}-{{ line }}{% endfor %}"
            "{{ order.number|replace('FNT', 'No') }}{{ 'x'|center(5) }}",
            "html": "<b>{{ order.total }}</b>",
            "push": "",
        },
        event="order_placed",
    )

    rendered = email_render(content=content, context=CONTEXT)

    assert rendered["subject"] == "Order FNT-1 for Ada"
    assert rendered["text"] == "3.14 ababab 1024-1-2No-1  x  "
    assert rendered["html"] == "<b>9.00</b>"
