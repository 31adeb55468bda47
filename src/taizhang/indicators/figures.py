"""Derived figures of an indicator: plain functions on plain values (no database), one rule each.

Every figure is a ``Figure``: a ``Decimal`` (percent or percentage points, unrounded) or ``None``
with the Chinese reason why it cannot be computed ("—" on screen, never a division error). Values
are rounded for display only (``Figure.text``).

The rules
---------
**序时进度** (time progress) of a period: the share of the year elapsed at the period's last day
(``ledger.periods.period_bounds``), counted in whole months as offices quote it — March and Q1
are 25 %, June 50 %, December 100 %.

**同比** (YoY %) = (value − base) / base × 100, where the base is

1. the same period's value of last year when it is stored (``IndicatorValue.last_year_value``);
2. else, for a cumulative (累计) indicator only, last year's annual value × the period's time
   progress (a pro-rata estimate, flagged ``estimated``: March's cumulative value is compared with
   a quarter of last year's total);
3. else no base: "—" (a per-period or level figure has no comparable annual baseline).

A zero base gives "—" (上年同期为零), a negative base gives "—" (上年同期为负数: the sign of a
growth rate would lie).

**完成率** (completion % of the annual target):

- higher is better: achieved / target × 100, where *achieved* is the latest value for cumulative
  and level indicators, and the sum of this year's period values for per-period ones;
- lower is better (a ceiling, e.g. 能耗 or 事故起数 "控制在…以内"): target / achieved × 100, so that
  staying under the ceiling reads as ≥ 100 % and exceeding it as < 100 %; an achieved value of
  zero or less is within any positive ceiling and reads as 100 % (no division by zero);
- no target, or a target ≤ 0: "—".

**与序时进度的差距** (gap, percentage points; negative = behind):

- cumulative, higher: value / target × 100 − time progress;
- cumulative, lower: time progress − value / target × 100 (the share of the yearly ceiling used so
  far must not run ahead of the time elapsed);
- per-period: the period's value against target / number of periods (12 or 4):
  (value / (target / n) − 1) × 100, its opposite for lower is better;
- level (rates): the value against the target itself, (value / target − 1) × 100, opposite for
  lower is better — a rate is not spread over the year.

**趋势**: the value against the previous period's, up / down / flat (exact equality), with whether
that is better or worse given the direction.

**缺报期**: the periods due (ended before ``as_of``, from the plan's start) without a value.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from taizhang.ledger.periods import cadence_of, period_bounds, periods_between

HUNDRED = Decimal(100)
ZERO = Decimal(0)

CUMULATIVE = "cumulative"
PERIOD = "period"
LEVEL = "level"
HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class Figure:
    """A derived figure: ``value`` (unrounded) or ``None`` with ``reason``."""

    value: Decimal | None
    reason: str = ""
    estimated: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None

    def text(self, places: int = 1, suffix: str = "%") -> str:
        if self.value is None:
            return "—"
        return f"{rounded(self.value, places)}{suffix}"

    def points(self) -> str:
        """As a signed gap in percentage points: ``+3.2个百分点`` / ``-5.0个百分点``."""
        if self.value is None:
            return "—"
        shown = rounded(self.value, 1)
        sign = "+" if shown > 0 else ""
        return f"{sign}{shown}个百分点"


def unknown(reason: str) -> Figure:
    return Figure(None, reason)


def rounded(value: Decimal, places: int = 1) -> Decimal:
    """Round half up for display ("四舍五入"), never for computing."""
    quantum = Decimal(1).scaleb(-places)
    shown = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return abs(shown) if shown == ZERO else shown  # never "-0.0"


def number_text(value: Decimal | None, places: int = 2) -> str:
    """A stored value as a clerk writes it: no trailing zeros, thousands not separated."""
    if value is None:
        return "—"
    shown = rounded(value, places).normalize()
    text = f"{shown:f}"
    return "0" if text in ("-0", "0") else text


# --- time -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)  # pure; asked for each of a plan's 2,000 indicators
def time_progress(period: str) -> Decimal:
    """序时进度 of a period, in percent: whole months elapsed at its last day / 12."""
    _, last = period_bounds(period)
    if cadence_of(period) in ("monthly", "quarterly"):
        return Decimal(last.month) * HUNDRED / 12
    # weeks (not an indicator periodicity, but a valid key): days elapsed
    year_days = (dt.date(last.year, 12, 31) - dt.date(last.year, 1, 1)).days + 1
    return Decimal(last.timetuple().tm_yday) * HUNDRED / year_days


def periods_per_year(period: str) -> int:
    return {"monthly": 12, "quarterly": 4}.get(cadence_of(period), 52)


# --- the figures ----------------------------------------------------------------------------------


def yoy(
    value: Decimal,
    *,
    same_period_last_year: Decimal | None,
    last_year_annual: Decimal | None,
    accumulation: str,
    period: str,
) -> Figure:
    """同比 %, by the rule in the module doc."""
    estimated = False
    if same_period_last_year is not None:
        base = same_period_last_year
    elif accumulation == CUMULATIVE and last_year_annual is not None:
        base = last_year_annual * time_progress(period) / HUNDRED
        estimated = True
    else:
        return unknown("无上年同期数")
    if base == ZERO:
        return unknown("上年同期为零，无法计算同比")
    if base < ZERO:
        return unknown("上年同期为负数，同比无意义")
    return Figure((value - base) / base * HUNDRED, estimated=estimated)


def achieved(accumulation: str, latest: Decimal, period_values: Iterable[Decimal]) -> Decimal:
    """What counts against the annual target: the period values' sum for per-period indicators,
    else the latest value."""
    return sum(period_values, ZERO) if accumulation == PERIOD else latest


def completion(achieved_value: Decimal, *, target: Decimal | None, direction: str) -> Figure:
    """完成率 % of the annual target, by the rule in the module doc."""
    if target is None:
        return unknown("未设年度目标")
    if target <= ZERO:
        return unknown("年度目标为零或负数，无法计算完成率")
    if direction == LOWER:
        if achieved_value <= ZERO:
            return Figure(HUNDRED)
        return Figure(target / achieved_value * HUNDRED)
    return Figure(achieved_value / target * HUNDRED)


def gap(value: Decimal, *, target: Decimal | None, direction: str, accumulation: str, period: str) -> Figure:
    """Gap to 序时进度 in percentage points (negative = behind), by the rule in the module doc."""
    if target is None:
        return unknown("未设年度目标")
    if target <= ZERO:
        return unknown("年度目标为零或负数，无法比较序时进度")
    if accumulation == CUMULATIVE:
        share = value / target * HUNDRED
        elapsed = time_progress(period)
        return Figure(share - elapsed if direction == HIGHER else elapsed - share)
    expected = target / periods_per_year(period) if accumulation == PERIOD else target
    relative = (value / expected - 1) * HUNDRED
    return Figure(relative if direction == HIGHER else -relative)


def behind(figure: Figure) -> bool:
    return figure.value is not None and figure.value < ZERO


@dataclass(frozen=True)
class Trend:
    arrow: str  # "up" / "down" / "flat"
    better: bool | None  # None when flat

    @property
    def label(self) -> str:
        word = {"up": "上升", "down": "下降", "flat": "持平"}[self.arrow]
        if self.better is None:
            return word
        return f"{word}（{'向好' if self.better else '变差'}）"

    @property
    def symbol(self) -> str:
        return {"up": "↑", "down": "↓", "flat": "→"}[self.arrow]


def trend(value: Decimal, previous: Decimal | None, *, direction: str) -> Trend | None:
    """The value against the previous period's (None without one)."""
    if previous is None:
        return None
    if value == previous:
        return Trend("flat", None)
    up = value > previous
    return Trend("up" if up else "down", up == (direction == HIGHER))


@functools.lru_cache(maxsize=256)  # pure; the same for every indicator of a plan and periodicity
def due_periods(starts_on: dt.date, ends_on: dt.date, periodicity: str, as_of: dt.date) -> tuple[str, ...]:
    """The periods of [starts_on, ends_on] that have ended before ``as_of``."""
    return tuple(p for p in periods_between(starts_on, ends_on, periodicity) if period_bounds(p)[1] < as_of)


def missing_periods(due: Sequence[str], entered: Iterable[str]) -> list[str]:
    have = set(entered)
    return [p for p in due if p not in have]


# --- one indicator at once ------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What the figures need of an indicator."""

    target: Decimal | None
    last_year: Decimal | None
    accumulation: str
    direction: str
    periodicity: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class Point:
    """One period's value (and last year's for the same period, when stored)."""

    value: Decimal
    last_year: Decimal | None = None


@dataclass(frozen=True)
class Summary:
    period: str | None
    value: Decimal | None
    yoy: Figure
    completion: Figure
    gap: Figure
    trend: Trend | None
    missing: list[str] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return behind(self.gap)


def summarize(spec: Spec, points: Mapping[str, Point], as_of: dt.date) -> Summary:
    """Latest value, 同比, 完成率, gap to 序时进度, trend and missing periods of one indicator."""
    ordered = sorted(p for p in points if spec.starts_on.year == period_bounds(p)[0].year)
    missing = missing_periods(due_periods(spec.starts_on, spec.ends_on, spec.periodicity, as_of), points)
    if not ordered:
        none = unknown("尚无填报数据")
        return Summary(None, None, none, none, none, None, missing)
    latest = ordered[-1]
    point = points[latest]
    previous = points[ordered[-2]].value if len(ordered) > 1 else None
    return Summary(
        period=latest,
        value=point.value,
        yoy=yoy(
            point.value,
            same_period_last_year=point.last_year,
            last_year_annual=spec.last_year,
            accumulation=spec.accumulation,
            period=latest,
        ),
        completion=completion(
            achieved(spec.accumulation, point.value, (points[p].value for p in ordered)),
            target=spec.target,
            direction=spec.direction,
        ),
        gap=gap(
            point.value,
            target=spec.target,
            direction=spec.direction,
            accumulation=spec.accumulation,
            period=latest,
        ),
        trend=trend(point.value, previous, direction=spec.direction),
        missing=missing,
    )
