"""What a chart shows, apart from how it is drawn: plain frozen dataclasses of series.

The same ``LineChart`` or ``BarChart`` is drawn as SVG for a page (``charts.svg``) and can be drawn
into a .docx bulletin by the writing side; ``table`` gives the numbers as rows, for the data table
that screen readers (and anyone printing) read instead of the picture. No Django import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True)
class Series:
    """One line of a line chart, or one bar of each group of a bar chart.

    ``texts``, when given, is how each value is written (e.g. a figure rounded by its own rule,
    ``45.0%``); otherwise values are written by ``number_text``."""

    name: str
    values: tuple[float | None, ...]
    colour: str = "#1f2937"
    texts: tuple[str, ...] = ()

    def text(self, index: int, unit: str = "") -> str:
        if index < len(self.texts):
            return self.texts[index]
        value = self.values[index] if index < len(self.values) else None
        return "—" if value is None else f"{number_text(value)}{unit}"


@dataclass(frozen=True)
class Reference:
    """A line across the plot at ``value`` (a bar chart's 100 % target), with its name."""

    value: float
    label: str


class _Plotted:
    """What both kinds of chart answer: their keys (categories, labels) and values."""

    series: tuple[Series, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def known_values(self) -> list[float]:
        return [v for s in self.series for v in s.values if v is not None]

    @property
    def empty(self) -> bool:
        return not self.keys or not self.known_values


@dataclass(frozen=True)
class LineChart(_Plotted):
    """Values over ``categories`` (weeks, months), one line per series; ``None`` leaves a gap.

    ``integer``: counts or ranks (integer ticks); ``inverted``: the smallest value on top (rank 1);
    ``floor``: the axis's lowest value whatever the data (ranks start at 1)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    key_title: str = ""
    unit: str = ""
    integer: bool = False
    inverted: bool = False
    floor: float | None = None
    description: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return self.categories


@dataclass(frozen=True)
class BarChart(_Plotted):
    """Horizontal bars, one group per label and one bar per series in each group (a single series
    is a plain bar chart; two with a reference line is a bullet-like comparison)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    key_title: str = ""
    unit: str = ""
    references: tuple[Reference, ...] = ()
    description: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return self.labels


Chart: TypeAlias = LineChart | BarChart


@dataclass(frozen=True)
class Table:
    """A chart's numbers: a header row and one row per category or label."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def table(chart: Chart) -> Table:
    keys = chart.keys
    head = (chart.key_title or "项目", *(s.name for s in chart.series))
    rows = tuple((key, *(s.text(i, chart.unit) for s in chart.series)) for i, key in enumerate(keys))
    return Table(head, rows)


def number_text(value: float, places: int = 1) -> str:
    """A value as written on a chart: whole numbers without decimals, others to ``places``, never
    ``-0``. Rounds half away from zero, as offices do (not Python's half to even)."""
    scale = 10**places
    scaled = int(abs(value) * scale + 0.5 + 1e-9)
    sign = "-" if value < 0 and scaled else ""
    whole, frac = divmod(scaled, scale)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:0{places}d}".rstrip("0")
