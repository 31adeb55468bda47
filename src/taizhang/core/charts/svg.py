"""Charts drawn as SVG text, on the server, in plain Python (no JavaScript, nothing downloaded).

What each drawing is for:

- the picture is ``role="img"`` with a ``<title>`` and a ``<desc>`` (a sentence of its numbers);
  the page puts the full numbers beside it in a table (``model.table``);
- it scales with its container (``viewBox``; the page's stylesheet sets ``width: 100%``) and is
  drawn narrow (360 units) so that its 12-unit text is still about 12 px on a 390 px phone;
- colour is never the only difference: each line has its own dash and marker shape, so a
  black-and-white print still tells them apart; text is dark on a transparent background;
- labels are the browser's (or converter's) text in a CJK-capable sans-serif, escaped;
- the same data always gives the same text (coordinates rounded to 0.1), so tests compare strings.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from html import escape

from taizhang.core.charts.model import BarChart, Chart, LineChart, Series, number_text
from taizhang.core.charts.scale import axis

WIDTH = 360
FONT_SIZE = 12
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
    "'WenQuanYi Micro Hei', 'Hiragino Sans GB', sans-serif"
)
INK = "#1f2937"
MUTED = "#4b5563"
GRID = "#d1d5db"
LINE_HEIGHT = 18
# Per series, so that lines differ without colour: stroke dash patterns and marker shapes.
DASHES = ("", "6 3", "2 2", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")
EMPTY_TEXT = "暂无数据"


def render(chart: Chart, chart_id: str, width: int = WIDTH) -> str:
    """The chart as an ``<svg>`` element; ``chart_id`` keeps its element ids unique on a page."""
    if chart.empty:
        return _empty(chart, chart_id, width)
    if isinstance(chart, LineChart):
        return _line(chart, chart_id, width)
    return _bars(chart, chart_id, width)


# --- text -------------------------------------------------------------------------------------


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of ``text``'s width: a CJK character is one em, anything else 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text`` cut to ``width`` with an ellipsis (the data table keeps it whole)."""
    if text_width(text, size) <= width:
        return text
    kept = ""
    for c in text:
        if text_width(kept + c + "…", size) > width:
            break
        kept += c
    return kept + "…"


def n(value: float) -> str:
    """A coordinate: to 0.1, no trailing ``.0``, never ``-0``."""
    text = f"{round(value, 1) + 0.0:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _text(
    x: float, y: float, body: str, anchor: str = "start", fill: str = INK, size: int = 0, halo: bool = False
) -> str:
    extra = f' font-size="{size}"' if size else ""
    if halo:  # a white outline under the letters: a value stays legible where it crosses a line
        extra += ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return f'<text x="{n(x)}" y="{n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>{escape(body)}</text>'


def _rule(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return f'<line x1="{n(x1)}" y1="{n(y1)}" x2="{n(x2)}" y2="{n(y2)}" stroke="{stroke}"{extra}/>'


def _open(chart: Chart, chart_id: str, width: int, height: float) -> list[str]:
    ident = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {n(height)}" '
        f'width="{width}" height="{n(height)}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(chart))}</desc>',
    ]


def _empty(chart: Chart, chart_id: str, width: int) -> str:
    parts = _open(chart, chart_id, width, 48)
    parts.append(_text(width / 2, 28, EMPTY_TEXT, "middle", MUTED))
    return "".join([*parts, "</svg>"])


def describe(chart: Chart) -> str:
    """The ``<desc>``: the chart's own sentence, else one made of its first and last values."""
    if chart.description:
        return chart.description
    if chart.empty:
        return EMPTY_TEXT
    if isinstance(chart, LineChart):
        first, last = chart.categories[0], chart.categories[-1]
        span = first if len(chart.categories) == 1 else f"{first}至{last}"
        moves = []
        for s in chart.series:
            known = [i for i, v in enumerate(s.values) if v is not None]
            if known:
                first, last = s.text(known[0], chart.unit), s.text(known[-1], chart.unit)
                moves.append(f"{s.name}{first}" if len(known) == 1 else f"{s.name}由{first}到{last}")
        return f"{span}：{'，'.join(moves)}"
    shown = [
        f"{label}{'、'.join(f'{s.name}{s.text(i, chart.unit)}' for s in chart.series)}"
        for i, label in enumerate(chart.labels[:8])
    ]
    more = f"等{len(chart.labels)}项" if len(chart.labels) > 8 else ""
    return "；".join(shown) + more


# --- legend -------------------------------------------------------------------------------------


def _marker(shape: str, x: float, y: float, colour: str, size: float = 3.5) -> str:
    if shape == "square":
        return (
            f'<rect x="{n(x - size)}" y="{n(y - size)}" width="{n(2 * size)}" height="{n(2 * size)}" '
            f'fill="{colour}"/>'
        )
    if shape == "triangle":
        s = size + 0.5
        points = f"{n(x)},{n(y - s)} {n(x + s)},{n(y + size)} {n(x - s)},{n(y + size)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        s = size + 0.8
        points = f"{n(x)},{n(y - s)} {n(x + s)},{n(y)} {n(x)},{n(y + s)} {n(x - s)},{n(y)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{n(x)}" cy="{n(y)}" r="{n(size)}" fill="{colour}"/>'


def _dash(index: int) -> str:
    dash = DASHES[index % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _legend(items: list[tuple[str, str]], width: int, top: float) -> tuple[list[str], float]:
    """Legend entries (sample markup drawn at (0, 0) → placed by translate, text) wrapped into
    rows; returns the markup and the height used."""
    parts: list[str] = []
    x, y = 0.0, top
    for sample, label in items:
        label = fit(label, width - 28)
        w = 26 + text_width(label) + 12
        if x > 0 and x + w > width:
            x, y = 0.0, y + LINE_HEIGHT
        parts.append(f'<g transform="translate({n(x)},{n(y + LINE_HEIGHT / 2)})">{sample}</g>')
        parts.append(_text(x + 26, y + LINE_HEIGHT / 2 + 4, label))
        x += w
    return parts, (y - top + LINE_HEIGHT if items else 0.0)


def _line_sample(index: int, colour: str) -> str:
    return f'<line x1="1" y1="0" x2="21" y2="0" stroke="{colour}" stroke-width="2"{_dash(index)}/>' + _marker(
        MARKERS[index % len(MARKERS)], 11, 0, colour
    )


def _bar_sample(colour: str) -> str:
    return f'<rect x="3" y="-5" width="16" height="10" fill="{colour}"/>'


def _reference_sample() -> str:
    return f'<line x1="11" y1="-7" x2="11" y2="7" stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2"/>'


# --- line chart ---------------------------------------------------------------------------------


PLOT_HEIGHT = 160


def _line(chart: LineChart, chart_id: str, width: int) -> str:
    ax = axis(
        chart.known_values,
        integer=chart.integer,
        include_zero=chart.floor is None,
        floor=chart.floor,
    )
    legend_items = [
        (_line_sample(i, s.colour), _legend_label(s, chart.unit)) for i, s in enumerate(chart.series)
    ]
    legend, legend_h = _legend(legend_items, width, 0)
    tick_texts = [f"{_tick(t, chart.integer)}" for t in ax.ticks]
    left = max(text_width(t) for t in tick_texts) + 8
    right = 10.0
    top = legend_h + 10
    plot_w = width - left - right
    bottom = top + PLOT_HEIGHT
    height = bottom + 8 + LINE_HEIGHT

    def y_of(value: float) -> float:
        f = ax.fraction(value)
        return top + (f if chart.inverted else 1 - f) * PLOT_HEIGHT

    count = len(chart.categories)
    pad = 10.0
    step = (plot_w - 2 * pad) / (count - 1) if count > 1 else 0.0

    def x_of(index: int) -> float:
        return left + plot_w / 2 if count == 1 else left + pad + index * step

    parts = _open(chart, chart_id, width, height)
    parts += legend
    parts.append('<g class="grid">')
    for tick, label in zip(ax.ticks, tick_texts, strict=True):
        y = y_of(tick)
        parts.append(_rule(left, y, width - right, y, GRID))
        parts.append(_text(left - 4, y + 4, label, "end", MUTED))
    parts.append("</g>")
    # x labels: every k-th, counted back from the latest (the one a reader looks for)
    widest = max(text_width(c) for c in chart.categories) + 6
    every = max(1, math.ceil(widest / step)) if count > 1 and step > 0 else 1
    parts.append('<g class="x-labels">')
    for i, category in enumerate(chart.categories):
        if (count - 1 - i) % every == 0:
            parts.append(_text(x_of(i), bottom + 6 + FONT_SIZE, category, "middle", MUTED))
    parts.append("</g>")
    for index, s in enumerate(chart.series):
        parts.append(f'<g class="series" aria-hidden="true">{_series_path(s, index, x_of, y_of)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _series_path(s: Series, index: int, x_of: Callable[[int], float], y_of: Callable[[float], float]) -> str:
    runs: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(s.values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x_of(i), y_of(value)))
    out = []
    for run in runs:
        if len(run) > 1:
            d = " ".join(f"{'M' if k == 0 else 'L'}{n(x)} {n(y)}" for k, (x, y) in enumerate(run))
            out.append(
                f'<path d="{d}" fill="none" stroke="{s.colour}" stroke-width="2" '
                f'stroke-linejoin="round"{_dash(index)}/>'
            )
    shape = MARKERS[index % len(MARKERS)]
    out += [_marker(shape, x, y, s.colour) for run in runs for x, y in run]
    return "".join(out)


def _legend_label(s: Series, unit: str) -> str:
    """A line's name with its latest value (what the leader reads first)."""
    known = [i for i, v in enumerate(s.values) if v is not None]
    return f"{s.name} {s.text(known[-1], unit)}" if known else s.name


def _tick(value: float, integer: bool) -> str:
    return number_text(value, 0 if integer else 1)


# --- horizontal bars ------------------------------------------------------------------------------


BAR = 12.0
BAR_GAP = 3.0
GROUP_GAP = 8.0


def _bars(chart: BarChart, chart_id: str, width: int) -> str:
    values = chart.known_values
    ax = axis(
        values + [r.value for r in chart.references],
        count=4,
        minimum_high=100.0 if chart.unit == "%" else None,
    )
    legend_items = [(_bar_sample(s.colour), s.name) for s in chart.series if len(chart.series) > 1]
    legend_items += [(_reference_sample(), r.label) for r in chart.references]
    legend, legend_h = _legend(legend_items, width, 0)
    texts = [s.text(i, chart.unit) for s in chart.series for i in range(len(chart.labels))]
    value_room = max(text_width(t, 11) for t in texts) + 8
    left, right = 2.0, width - value_room
    top = legend_h + (6 if legend_h else 0)

    def x_of(value: float) -> float:
        return left + ax.fraction(value) * (right - left)

    group_h = FONT_SIZE + 4 + len(chart.series) * (BAR + BAR_GAP) + GROUP_GAP
    plot_bottom = top + len(chart.labels) * group_h
    height = plot_bottom + 4 + LINE_HEIGHT
    parts = _open(chart, chart_id, width, height)
    parts += legend
    parts.append('<g class="grid">')
    for tick in ax.ticks:
        x = x_of(tick)
        parts.append(_rule(x, top, x, plot_bottom, GRID))
        anchor = "start" if tick == ax.ticks[0] else ("end" if tick == ax.ticks[-1] else "middle")
        label = f"{_tick(tick, False)}{chart.unit}"
        parts.append(_text(x, plot_bottom + 4 + FONT_SIZE, label, anchor, MUTED))
    parts.append("</g>")
    zero = x_of(min(max(0.0, ax.low), ax.high))
    for g, label in enumerate(chart.labels):
        y = top + g * group_h
        parts.append(_text(left, y + FONT_SIZE, fit(label, width - left)))
        y += FONT_SIZE + 4
        for s in chart.series:
            value = s.values[g] if g < len(s.values) else None
            if value is not None:
                x = x_of(value)
                x0, x1 = min(zero, x), max(zero, x)
                parts.append(
                    f'<rect x="{n(x0)}" y="{n(y)}" width="{n(max(x1 - x0, 0.5))}" height="{n(BAR)}" '
                    f'fill="{s.colour}"/>'
                )
                at = max(x1, zero) + 4
                parts.append(_text(at, y + BAR - 2, s.text(g, chart.unit), "start", INK, 11, halo=True))
            else:
                parts.append(_text(zero + 4, y + BAR - 2, "—", "start", MUTED, 11))
            y += BAR + BAR_GAP
    if values and ax.low < 0 < ax.high:
        parts.append(_rule(zero, top, zero, plot_bottom, MUTED))
    for r in chart.references:
        x = x_of(r.value)
        parts.append(_rule(x, top, x, plot_bottom, INK, ' stroke-width="1.5" stroke-dasharray="3 2"'))
    parts.append("</svg>")
    return "".join(parts)
