"""Server-side SVG charts: accessible (role="img", title, desc), mirrored for right-to-left."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .results import Result

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 640, 22, 8, 240


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def bar_chart(
    chart_id: str, title: str, desc: str, items: list[tuple[str, int]], *, rtl: bool = False
) -> SafeString:
    """Horizontal bars, one per (label, value); labels at the start side, values after bars."""
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    biggest = max((v for _l, v in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 80
    parts = []
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * value / biggest)
        bar_x = WIDTH - LABEL_WIDTH - length if rtl else LABEL_WIDTH
        label_x, anchor = (WIDTH - 8, "end") if rtl else (8, "start")
        value_x = bar_x - 6 if rtl else bar_x + length + 6
        value_anchor = "end" if rtl else "start"
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>'
                '<rect class="chart-bar chart-bar-{}" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="{}">{}</text>',
                label_x,
                y + 16,
                anchor,
                _truncate(label),
                index % 6,
                bar_x,
                y,
                length,
                BAR_HEIGHT,
                value_x,
                y + 16,
                value_anchor,
                _number(value),
            )
        )
    return _svg(chart_id, title, desc, height, mark_safe("".join(parts)))  # noqa: S308


def line_chart(
    chart_id: str, title: str, desc: str, points: list[tuple[str, int]], *, rtl: bool = False
) -> SafeString:
    """A line over time (first point at the start side), with the first and last values marked."""
    height, pad = 220, 40
    values = [v for _l, v in points] or [0]
    low, high = min(0, *values), max(values) or 1
    step = (WIDTH - 2 * pad) / max(1, len(points) - 1)

    def xy(index: int, value: int) -> tuple[float, float]:
        x = pad + index * step
        x = WIDTH - x if rtl else x
        y = height - pad - (value - low) / ((high - low) or 1) * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    coords = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, (_l, v) in enumerate(points)))
    parts = [format_html('<polyline class="chart-line" points="{}"></polyline>', coords)]
    for index in {0, len(points) - 1} if points else set():
        label, value = points[index]
        x, y = xy(index, value)
        parts.append(
            format_html(
                '<circle class="chart-dot" cx="{}" cy="{}" r="4"></circle>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                y,
                x,
                y - 10,
                _number(value),
                x,
                height - 12,
                label,
            )
        )
    return _svg(chart_id, title, desc, height, mark_safe("".join(parts)))  # noqa: S308


def report_chart(result: Result, *, rtl: bool = False) -> SafeString | str:
    """The chart a report's result asks for (bars or a line), or "" for a table-only report."""
    report = result.report
    chart_id, title, desc = f"chart-{result.key}", str(report.label), str(report.help_text)
    if result.chart in ("bars", "funnel"):
        if result.key == "escalation_sources":  # rows are (kind, where, count)
            items = [(f"{row[0]}: {row[1]}", row[2]) for row in result.rows]
        else:
            items = [(str(row[0]), row[1]) for row in result.rows]
        return bar_chart(chart_id, title, desc, items, rtl=rtl)
    if result.chart == "line":
        return line_chart(chart_id, title, desc, [(r[0], r[1]) for r in result.rows], rtl=rtl)
    return ""


def _truncate(text: str, limit: int = 34) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(chart_id: str, title: str, desc: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        # Coordinates are mirrored by hand for right-to-left, so text anchors must not flip too.
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="{}-title" '
        'aria-describedby="{}-desc" xmlns="http://www.w3.org/2000/svg" focusable="false" '
        'direction="ltr">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        body,
    )
