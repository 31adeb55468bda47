"""Reading indicators for the screens: each with its figures (``figures.summarize``), in few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from taizhang.indicators import figures
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import period_bounds, periods_between


def spec_of(indicator: Indicator) -> figures.Spec:
    plan = indicator.plan
    return figures.Spec(
        target=indicator.target,
        last_year=indicator.last_year,
        accumulation=indicator.accumulation,
        direction=indicator.direction,
        periodicity=indicator.periodicity,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
    )


def points_of(values: Iterable[IndicatorValue]) -> dict[str, figures.Point]:
    return {v.period: figures.Point(v.value, v.last_year_value) for v in values}


@dataclass
class Row:
    indicator: Indicator
    summary: figures.Summary
    latest: IndicatorValue | None


def summaries(indicators: Iterable[Indicator], as_of: dt.date) -> list[Row]:
    """Every indicator with its figures as of ``as_of`` (values after ``as_of``'s period ignored)."""
    found = list(indicators)
    by_indicator: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(indicator__in=[i.pk for i in found]).order_by("period"):
        if period_bounds(value.period)[0] <= as_of:
            by_indicator[value.indicator_id].append(value)
    rows = []
    for indicator in found:
        values = by_indicator.get(indicator.pk, [])
        summary = figures.summarize(spec_of(indicator), points_of(values), as_of)
        latest = next((v for v in values if v.period == summary.period), None)
        rows.append(Row(indicator, summary, latest))
    return rows


@dataclass
class PeriodRow:
    """One period of an indicator's page: its value (or none) and the figures as of then."""

    period: str
    value: IndicatorValue | None
    summary: figures.Summary | None
    due: bool


def history(indicator: Indicator, as_of: dt.date) -> list[PeriodRow]:
    """Every period of the plan year up to ``as_of``, newest first, with the figures each period's
    value had (so a 同比 or gap is read as it was then)."""
    plan: Plan = indicator.plan
    values = {v.period: v for v in indicator.values.select_related("entered_by")}
    periods = [
        p
        for p in periods_between(plan.starts_on, plan.ends_on, indicator.periodicity)
        if period_bounds(p)[0] <= as_of
    ]
    spec = spec_of(indicator)
    rows = []
    for index, period in enumerate(periods):
        value = values.get(period)
        summary = None
        if value is not None:
            upto = {p: values[p] for p in periods[: index + 1] if p in values}
            summary = figures.summarize(spec, points_of(upto.values()), period_bounds(period)[1])
        rows.append(PeriodRow(period, value, summary, period_bounds(period)[1] < as_of))
    return list(reversed(rows))


def started_periods(plan: Plan, periodicity: str, as_of: dt.date) -> list[str]:
    """The plan's periods of this periodicity that have begun by ``as_of``."""
    return [
        p for p in periods_between(plan.starts_on, plan.ends_on, periodicity) if period_bounds(p)[0] <= as_of
    ]


def default_period(plan: Plan, periodicity: str, as_of: dt.date) -> str | None:
    """The period being entered now: the latest ended one (March in early April), else the current."""
    started = started_periods(plan, periodicity, as_of)
    ended = [p for p in started if period_bounds(p)[1] < as_of]
    if ended:
        return ended[-1]
    return started[-1] if started else None
