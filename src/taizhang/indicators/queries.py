"""Reading indicators for the screens: each with its figures (``figures.summarize``), in few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet

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


def points_of(values: Iterable[IndicatorValue | Entered]) -> dict[str, figures.Point]:
    return {v.period: figures.Point(v.value, v.last_year_value) for v in values}


class Entered(NamedTuple):
    """The columns of a stored value the lists read (tuples, not model rows: 2,000 indicators have
    24,000 values a year)."""

    period: str
    value: Decimal
    last_year_value: Decimal | None
    rank: int | None
    rank_of: int | None


@dataclass
class Row:
    indicator: Indicator
    summary: figures.Summary
    latest: Entered | None


def summaries(indicators: Iterable[Indicator], as_of: dt.date) -> list[Row]:
    """Every indicator with its figures as of ``as_of`` (values after ``as_of``'s period ignored)."""
    found = list(indicators)
    return _summarize(found, IndicatorValue.objects.filter(indicator__in=[i.pk for i in found]), as_of)


def _summarize(found: list[Indicator], values: QuerySet[IndicatorValue], as_of: dt.date) -> list[Row]:
    # Plain tuples per value (a county has 24,000 a year); an ``Entered`` only for each latest.
    by_indicator: dict[int, list[tuple[str, Decimal, Decimal | None, int | None, int | None]]] = defaultdict(
        list
    )
    started: dict[str, bool] = {}  # a few dozen distinct periods among thousands of values
    for indicator_id, period, value, last_year, rank, rank_of in values.order_by(
        "indicator_id", "period"
    ).values_list("indicator_id", "period", "value", "last_year_value", "rank", "rank_of"):
        if period not in started:
            started[period] = period_bounds(period)[0] <= as_of
        if started[period]:
            by_indicator[indicator_id].append((period, value, last_year, rank, rank_of))
    rows = []
    for indicator in found:
        entered = by_indicator.get(indicator.pk, [])
        points = {period: figures.Point(value, last_year) for period, value, last_year, *_ in entered}
        summary = figures.summarize(spec_of(indicator), points, as_of)
        latest = next((Entered(*e) for e in entered if e[0] == summary.period), None)
        rows.append(Row(indicator, summary, latest))
    return rows


# What ``spec_of`` and a list line read of an indicator: the rest (source, audit times) stays unread.
LISTED_FIELDS = (
    "id",
    "plan_id",
    "name",
    "measure",
    "target",
    "last_year",
    "owner_unit_id",
    "periodicity",
    "accumulation",
    "direction",
    "sort_order",
)


def plan_summaries(indicators: QuerySet[Indicator], plan: Plan, as_of: dt.date) -> list[Row]:
    """``summaries`` of some of one plan's indicators (2,000 in a county): the plan is read once,
    not joined to every row, and only the columns the figures and a list line need."""
    chosen = indicators.filter(plan=plan)
    found = list(chosen.only(*LISTED_FIELDS).order_by("sort_order", "id"))
    for indicator in found:
        indicator.plan = plan
    return _summarize(found, IndicatorValue.objects.filter(indicator__in=chosen.values("pk")), as_of)


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
