"""Charts drawn on the server as SVG (no script: they work under the site's CSP, print, and
need nothing at run time), each from a Table whose rows the page prints beside it and offers
as CSV, so the three always agree."""

import csv
import dataclasses
import functools
import math

from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify

WIDTH, HEIGHT = 480, 210
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 10, 26
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# Labels written under the x axis at most (every n-th label when there are more).
X_LABELS = 5
# A horizontal bar's row: its label above it, then the bar.
ROW = 36
# Lines of more points than this are drawn without a dot (and its tooltip) per point.
POINTS_MARKED = 92


def truncate(text):
    return Truncator(str(text)).chars(70)


@dataclasses.dataclass
class Table:
    """A table of figures: `rows` of values under `headers`, the first column the labels;
    `links` (optional) an address for each row's label."""

    slug: str
    caption: str
    headers: list
    rows: list
    chart: object = None
    links: list = dataclasses.field(default_factory=list)

    def labelled_rows(self):
        """(link or "", row) for each row, for the template."""
        return [(self.links[n] if self.links else "", row) for n, row in enumerate(self.rows)]

    @property
    def wide(self):
        """Too many columns to sit beside a chart."""
        return len(self.headers) > 4

    @functools.cached_property
    def numeric(self):
        """The columns holding numbers only (aligned to the right)."""
        return [
            n
            for n in range(1, len(self.headers))
            if all(isinstance(row[n], int | float) for row in self.rows)
        ]

    def csv_response(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(self.slug)}.csv"'
        writer = csv.writer(response)
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return response


@dataclasses.dataclass
class Chart:
    kind: str  # "bars", "hbars" or "lines"
    title: str
    ticks: list = dataclasses.field(default_factory=list)  # (position, value) of grid lines
    x_labels: list = dataclasses.field(default_factory=list)  # (x, text)
    bars: list = dataclasses.field(default_factory=list)
    series: list = dataclasses.field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    zero: float = HEIGHT - BOTTOM

    def svg(self, slug):
        """The chart as SVG markup: written here rather than by a template, as a chart of a
        few hundred points costs a template loop per point. Every text is escaped."""
        title = f"{slug}-chart-title"
        parts = [
            format_html(
                '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
                'focusable="false"><title id="{}">{} (the table beside it gives every figure)'
                "</title>",
                self.kind, self.width, self.height, title, title, self.title,
            )
        ]  # fmt: skip
        for y, value in self.ticks:
            parts.append(
                format_html(
                    '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="tick" x="{}" y="{}" dy="4" text-anchor="end">{}</text>',
                    self.left, self.right, f"{y:.1f}", f"{y:.1f}", self.left - 6, f"{y:.1f}", value,
                )
            )  # fmt: skip
        for bar in self.bars:
            if self.kind == "hbars":
                parts.append(
                    format_html(
                        '<text class="bar-label" x="0" y="{}">{} — {}</text>',
                        f"{bar['text_y']:.1f}", truncate(bar["label"]), bar["value"],
                    )
                )  # fmt: skip
            parts.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title>'
                    "</rect>",
                    f"{bar['x']:.1f}", f"{bar['y']:.1f}", f"{bar['width']:.1f}",
                    f"{bar['height']:.1f}", bar["label"], bar["value"],
                )
            )  # fmt: skip
        for series in self.series:
            parts.append(
                format_html(
                    '<polyline class="line series-{}" points="{}"/>',
                    series["number"],
                    series["path"],
                )
            )
            if len(series["points"]) <= POINTS_MARKED:
                parts.extend(
                    format_html(
                        '<circle class="point series-{}" cx="{}" cy="{}" r="3"><title>{}, {}: {}'
                        "</title></circle>",
                        series["number"], f"{p['x']:.1f}", f"{p['y']:.1f}", series["name"],
                        p["label"], p["value"],
                    )
                    for p in series["points"]
                )  # fmt: skip
        if self.kind != "hbars":
            parts.append(
                format_html(
                    '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                    self.left, self.right, f"{self.zero:.1f}", f"{self.zero:.1f}",
                )
            )  # fmt: skip
        parts.extend(
            format_html(
                '<text class="x-label" x="{}" y="{}" text-anchor="{}">{}</text>',
                f"{x:.1f}", self.height - 8, anchor, text,
            )
            for x, text, anchor in self.x_labels
        )  # fmt: skip
        parts.append(mark_safe("</svg>"))
        return mark_safe("".join(parts))


def nice(value):
    """1, 2 or 5 times a power of ten, at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


class Scale:
    """Values from `low` (0, or below it for negative figures) to `high`, on a length."""

    def __init__(self, values, start, length):
        values = list(values)
        self.high = nice(max(values, default=0))
        lowest = min(values, default=0)
        self.low = -nice(-lowest) if lowest < 0 else 0
        self.start, self.length = start, length

    def __call__(self, value):
        return self.start + self.length * (value - self.low) / (self.high - self.low)

    def ticks(self):
        """Grid lines at round values: 0, 10... 50, or 0, 5... 20, or each unit up to 5."""
        span = self.high - self.low
        count = span if span <= 5 else (4 if str(span)[0] == "2" else 5)
        step = span / count
        return [(self(self.low + n * step), round(self.low + n * step)) for n in range(count + 1)]


def x_labels(labels, x_of):
    """(x, text, anchor) of every n-th label; one at the right edge ends there."""
    every = max(1, math.ceil(len(labels) / X_LABELS))
    return [
        (x_of(n), str(label), "end" if x_of(n) > WIDTH - RIGHT - 10 else "middle")
        for n, label in enumerate(labels)
        if n % every == 0
    ]


def bar_chart(table, column=1, horizontal=False):
    """One bar per row of `table`, its length the value in `column`: upright under short
    labels (days, hours, steps), lying with the label above it for long ones (titles)."""
    labels = [str(row[0]) for row in table.rows]
    values = [row[column] or 0 for row in table.rows]
    title = f"{table.caption}: {table.headers[column]}"
    if horizontal:
        height = TOP + BOTTOM + ROW * max(len(values), 1)
        scale = Scale(values, 0, WIDTH - RIGHT)
        bars = [
            {"x": 0, "y": TOP + n * ROW + 17, "width": scale(value), "height": ROW - 20,
             "label": labels[n], "value": value, "text_y": TOP + n * ROW + 13}
            for n, value in enumerate(values)
        ]  # fmt: skip
        return Chart("hbars", title, bars=bars, height=height, bottom=height - BOTTOM, left=0)
    scale = Scale(values, TOP + PLOT_HEIGHT, -PLOT_HEIGHT)
    slot = PLOT_WIDTH / max(len(values), 1)
    zero = scale(0)
    bars = [
        {"x": LEFT + n * slot + slot * 0.1, "y": min(scale(value), zero),
         "width": slot * 0.8, "height": abs(zero - scale(value)), "label": labels[n],
         "value": value}
        for n, value in enumerate(values)
    ]  # fmt: skip
    return Chart(
        "bars",
        title,
        ticks=scale.ticks(),
        x_labels=x_labels(labels, lambda n: LEFT + n * slot + slot / 2),
        bars=bars,
        zero=zero,
    )


def line_chart(table, columns=None):
    """One line per column (all but the labels, unless `columns` says which), a point per row."""
    columns = list(columns or range(1, len(table.headers)))
    labels = [str(row[0]) for row in table.rows]
    scale = Scale(
        (row[c] or 0 for row in table.rows for c in columns), TOP + PLOT_HEIGHT, -PLOT_HEIGHT
    )
    step = PLOT_WIDTH / max(len(labels) - 1, 1)
    series = []
    for number, column in enumerate(columns):
        points = [
            {"x": LEFT + n * step, "y": scale(row[column] or 0), "label": labels[n],
             "value": row[column] or 0}
            for n, row in enumerate(table.rows)
        ]  # fmt: skip
        series.append(
            {
                "name": table.headers[column],
                "number": number + 1,
                "points": points,
                "path": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points),
            }
        )
    return Chart(
        "lines",
        table.caption,
        ticks=scale.ticks(),
        x_labels=x_labels(labels, lambda n: LEFT + n * step),
        series=series,
        zero=scale(0),
    )
