"""Small inline SVG charts, rendered on the server; no chart library.

Each chart is an ``<svg role="img">`` with a text summary in ``aria-label``, a
``<title>`` per bar for mouse users, and the numbers are also given as a table
by the templates, so nothing depends on seeing the picture.
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# Status colours: each passes 3:1 against white as a graphic (WCAG 1.4.11).
STATUS_COLOURS = {
    "extracted": "#6b6b6b",
    "queued": "#8a5a00",
    "assigned": "#1f5fa8",
    "in_review": "#6a3fa0",
    "proposed": "#b3261e",
    "approved": "#00707a",
    "published": "#2e7d32",
    "dismissed": "#3d3d3d",
}


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@register.simple_tag
def stacked_columns(days, series, label: str, height: int = 140) -> str:
    """Columns per day, stacked by status. ``series``: [(key, label, [n per day])]."""
    n_days = len(days)
    if not n_days:
        return ""
    totals = [sum(s[2][i] for s in series) for i in range(n_days)]
    top = max(totals + [1])
    width, pad_left, pad_bottom = 320, 28, 18
    col_w = (width - pad_left) / n_days
    plot_h = height - pad_bottom
    bars = []
    for i, day in enumerate(days):
        y = plot_h
        for key, series_label, values in series:
            v = values[i]
            if not v:
                continue
            h = v / top * (plot_h - 4)
            y -= h
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _num(pad_left + i * col_w + 1),
                    _num(y),
                    _num(col_w - 2),
                    _num(h),
                    STATUS_COLOURS.get(key, "#555"),
                    date_format(day, "d M"),  # "04 Dec", month in the desk's language
                    v,
                    series_label,
                )
            )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
        (
            (_num(pad_left + i * col_w + col_w / 2), height - 4, d.strftime("%d"))
            for i, d in enumerate(days)
            if i % 2 == 0 or i == n_days - 1
        ),
    )
    axis = format_html(
        '<text x="{}" y="10" class="tick" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="tick" text-anchor="end">0</text>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>',
        pad_left - 4,
        top,
        pad_left - 4,
        plot_h,
        pad_left,
        plot_h,
        width,
        plot_h,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}{}</svg>',
        width,
        height,
        label,
        axis,
        mark_safe("".join(bars)),
        ticks,
    )


@register.simple_tag
def horizontal_bars(rows, label: str) -> str:
    """One bar per row. ``rows``: [(label, value, colour or "")]."""
    rows = list(rows)
    if not rows:
        return ""
    top = max([r[1] for r in rows] + [1])
    label_w, width, bar_h, gap = 110, 320, 16, 6
    height = len(rows) * (bar_h + gap)
    parts = []
    for i, (row_label, value, colour) in enumerate(rows):
        y = i * (bar_h + gap)
        w = value / top * (width - label_w - 34)
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="tick">{}</text>',
                label_w - 6,
                y + bar_h - 4,
                row_label,
                label_w,
                y,
                _num(max(w, 0)),
                bar_h,
                colour or "#1f5fa8",
                row_label,
                value,
                _num(label_w + w + 4),
                y + bar_h - 4,
                value,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        width,
        height,
        label,
        mark_safe("".join(parts)),
    )
