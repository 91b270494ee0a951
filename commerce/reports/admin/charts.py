"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, no extra assets."""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 240, 56, 40, 16


def bar_chart_svg(
    *, labels: Sequence[str], values: Sequence[Decimal | int], title: str
) -> SafeString:
    """A bar chart with a y-axis maximum, first/last labels and a tooltip per bar."""
    count = max(len(values), 1)
    top = max([float(v) for v in values] + [0.0]) or 1.0
    plot_width = WIDTH - PAD_LEFT - 8
    plot_height = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_width / count
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="shop-chart" '
        f'style="width:100%;max-width:{WIDTH}px;height:auto">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="currentColor" stroke-opacity="0.4"/>',
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - 8}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="currentColor" stroke-opacity="0.4"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 10}" text-anchor="end" '
        f'font-size="11" fill="currentColor">{escape(_number(top))}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{HEIGHT - PAD_BOTTOM}" text-anchor="end" '
        f'font-size="11" fill="currentColor">0</text>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = float(value) / top * plot_height
        x = PAD_LEFT + index * step + (step - bar) / 2
        y = HEIGHT - PAD_BOTTOM - height
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" fill="#007d7e" data-label="{escape(label)}" '
            f'data-value="{escape(str(value))}"><title>{escape(label)}: '
            f"{escape(str(value))}</title></rect>"
        )
    if labels:
        parts.append(
            f'<text x="{PAD_LEFT}" y="{HEIGHT - 14}" font-size="11" '
            f'fill="currentColor">{escape(labels[0])}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - 8}" y="{HEIGHT - 14}" font-size="11" '
            f'text-anchor="end" fill="currentColor">{escape(labels[-1])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
