"""Reporting periods: keys, bounds and windows (the calendar; what a task owes is ``obligations``).

Period keys: ``2026-03`` (monthly), ``2026-W11`` (ISO week, weekly), ``2026-Q1`` (quarterly).

The window of a period opens on its first day and closes ``report_window_days`` days after its
last day (default 5: March's progress is due by 5 April, "次月5日前报送"). Everything is computed
for an explicit ``as_of`` date, so results are deterministic.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Cadence

if TYPE_CHECKING:
    from taizhang.ledger.models import Plan

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def today() -> dt.date:
    """Today in the configured time zone (Asia/Shanghai)."""
    return timezone.localdate()


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the configured time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_for(day: dt.date, cadence: str) -> str:
    """The key of the period that contains ``day``."""
    if cadence == Cadence.MONTHLY:
        return f"{day.year:04d}-{day.month:02d}"
    if cadence == Cadence.WEEKLY:
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if cadence == Cadence.QUARTERLY:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    raise DomainError(f"未知的报送周期：{cadence}")


def cadence_of(period: str) -> str:
    if _MONTH.match(period):
        return Cadence.MONTHLY
    if _WEEK.match(period):
        return Cadence.WEEKLY
    if _QUARTER.match(period):
        return Cadence.QUARTERLY
    raise DomainError(f"报送期格式不正确：{period!r}（应如 2026-03、2026-W11 或 2026-Q1）", field="period")


@functools.lru_cache(maxsize=8192)  # pure, and asked for every period of every task by the lists
def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period. Raises DomainError on a malformed key."""
    if m := _MONTH.match(period):
        year, month = int(m[1]), int(m[2])
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    if m := _WEEK.match(period):
        try:
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise DomainError(f"{m[1]}年没有第{int(m[2])}周", field="period") from None
        return first, first + dt.timedelta(days=6)
    if m := _QUARTER.match(period):
        year, quarter = int(m[1]), int(m[2])
        first = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        following = dt.date(year + last_month // 12, last_month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    cadence_of(period)  # raises the message
    raise AssertionError("unreachable")


def period_label(period: str) -> str:
    """Chinese label: 2026年3月 / 2026年第11周 / 2026年第一季度."""
    if m := _MONTH.match(period):
        return f"{m[1]}年{int(m[2])}月"
    if m := _WEEK.match(period):
        return f"{m[1]}年第{int(m[2])}周"
    if m := _QUARTER.match(period):
        return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
    cadence_of(period)
    raise AssertionError("unreachable")


def next_period(period: str) -> str:
    _, last = period_bounds(period)
    return period_for(last + dt.timedelta(days=1), cadence_of(period))


def periods_between(start: dt.date, end: dt.date, cadence: str) -> list[str]:
    """Keys of every period that overlaps [start, end], in order (empty if end < start)."""
    return list(_periods_between(start, end, cadence))


@functools.lru_cache(maxsize=1024)  # a plan's periods, asked once per task of the plan
def _periods_between(start: dt.date, end: dt.date, cadence: str) -> tuple[str, ...]:
    if end < start:
        return ()
    out = [period_for(start, cadence)]
    last = period_for(end, cadence)
    while out[-1] != last:
        out.append(next_period(out[-1]))
    return tuple(out)


@dataclass(frozen=True)
class Window:
    period: str
    opens: dt.date
    closes: dt.date  # inclusive: the last day a report is on time

    def is_open(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes


@functools.lru_cache(maxsize=8192)  # pure; asked per period of every task by the lists and colours
def report_window(period: str, window_days: int) -> Window:
    first, last = period_bounds(period)
    return Window(period, first, last + dt.timedelta(days=window_days))


def plan_window(plan: Plan, period: str) -> Window:
    return report_window(period, plan.report_window_days)


def open_periods(plan: Plan, as_of: dt.date) -> list[str]:
    """Periods of the plan whose window is open on ``as_of`` (what a reporter may report now)."""
    candidates = periods_between(plan.starts_on, plan.ends_on, plan.cadence)
    return [p for p in candidates if plan_window(plan, p).is_open(as_of)]


def due_period(plan: Plan, as_of: dt.date) -> str | None:
    """The period being reported now: the open one that closes first; else the last one closed
    (after the plan's last window); ``None`` before the plan's first window opens."""
    opened = open_periods(plan, as_of)
    if opened:
        return opened[0]
    return last_closed_period(plan, as_of)


def last_closed_period(plan: Plan, as_of: dt.date) -> str | None:
    """The latest period of the plan whose window closed before ``as_of`` (``None`` if none yet)."""
    closed = [
        p
        for p in periods_between(plan.starts_on, plan.ends_on, plan.cadence)
        if plan_window(plan, p).closes < as_of
    ]
    return closed[-1] if closed else None
