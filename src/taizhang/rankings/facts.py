"""Read one plan's per-unit facts for one month from the ledger and supervision (rules imported,
never restated): report states from ``ledger.obligations.period_state_expr``, colours from
supervision's stored ``TaskColour`` (this month) or its ``ColourChange`` history (past months).

What counts in month M (a ``YYYY-MM``), per lead unit of the plan's tasks:

- **reports**: the plan's reporting periods that *end* in M (for a monthly plan, M itself; a
  quarterly plan's quarter in its last month), each task's ``PeriodState`` on ``as_of``: on time,
  late or missing (upcoming, open and exempt periods count nothing).
- **done on time**: tasks now 已完成 whose colour turned white (销号, ``TaskColour.since``) in M,
  on or before their deadline (a task without a deadline is never late).
- **red tasks**: for the month containing ``as_of`` (or later), the stored colour; for a past
  month, the colour recorded last before the month ended.
- **indicators behind**: the unit's indicators of the plan behind 序时进度 at the month's end (or on
  ``as_of`` within the month), by ``indicators.figures`` as the indicator pages show them then.
- **overdue notices**: notices of the plan to the unit whose reply deadline fell in M (and before
  ``as_of``) with no reply by that deadline — escalated ones included, as they went unanswered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery

from taizhang.core.colours import Colour
from taizhang.indicators import queries as indicator_queries
from taizhang.indicators.models import Indicator
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan, Task, TaskStatus
from taizhang.ledger.obligations import PeriodState, period_state_expr, plan_periods
from taizhang.ledger.periods import day_start, local_date, period_bounds, period_for
from taizhang.rankings.scores import UnitFacts
from taizhang.supervision.models import ColourChange, Notice, TaskColour

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
STATE_KEYS = {
    PeriodState.ON_TIME: "on_time_reports",
    PeriodState.LATE: "late_reports",
    PeriodState.MISSING: "missing_reports",
}


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM``; a Chinese ``DomainError`` otherwise."""
    if not _MONTH.match(month or ""):
        raise DomainError(f"期别格式不正确：{month!r}（应如 2026-10）", field="period")
    return period_bounds(month)


def previous_month(month: str) -> str:
    first, _ = month_bounds(month)
    return period_for(first - dt.timedelta(days=1), "monthly")


def plan_months(plan: Plan) -> list[str]:
    """The months a plan can be ranked for (its reporting start to December)."""
    return [period_for(dt.date(plan.year, m, 1), "monthly") for m in range(plan.starts_on.month, 13)]


def check_month(plan: Plan, month: str) -> str:
    month_bounds(month)
    if month not in plan_months(plan):
        first, last = plan_months(plan)[0], plan_months(plan)[-1]
        raise DomainError(f"期别 {month} 不在该计划的报送期内（{first} 至 {last}）", field="period")
    return month


def month_periods(plan: Plan, month: str) -> list[str]:
    """The plan's reporting periods that end in ``month`` (its reports are that month's): a
    monthly plan's month itself, the weeks ending in it, a quarter in its last month."""
    first, last = month_bounds(month)
    return [p for p in plan_periods(plan) if first <= period_bounds(p)[1] <= last]


def unit_facts(plan: Plan, month: str, as_of: dt.date) -> list[UnitFacts]:
    """Each lead unit of the plan's tasks with its counts for ``month`` as known on ``as_of``."""
    first, last = month_bounds(month)
    tasks = Task.objects.filter(plan=plan, lead_unit__isnull=False)
    names = dict(tasks.order_by().values_list("lead_unit_id", "lead_unit__name").distinct())
    counts: dict[int, Counter[str]] = defaultdict(Counter)

    for period in month_periods(plan, month):
        rows = (  # counted in the database: units × states, not a row per task
            tasks.order_by()
            .annotate(state=period_state_expr(period, as_of, plan))
            .values("lead_unit_id", "state")
            .annotate(n=Count("id"))
            .values_list("lead_unit_id", "state", "n")
        )
        for unit_id, state, n in rows:
            key = STATE_KEYS.get(state)  # a PeriodState is its value (TextChoices)
            if key:
                counts[unit_id][key] += n

    done = TaskColour.objects.filter(
        task__in=tasks, task__status=TaskStatus.DONE, colour=Colour.WHITE
    ).values_list("task__lead_unit_id", "task__deadline", "since")
    for unit_id, deadline, since in done:
        day = local_date(since)
        if first <= day <= last and (deadline is None or day <= deadline):
            counts[unit_id]["done_on_time"] += 1

    red: Iterable[int]
    if last >= as_of:
        red = TaskColour.objects.filter(task__in=tasks, colour=Colour.RED).values_list(
            "task__lead_unit_id", flat=True
        )
    else:
        then = ColourChange.objects.filter(task=OuterRef("pk"), at__lt=day_start(last + dt.timedelta(days=1)))
        red = (
            tasks.annotate(colour_then=Subquery(then.order_by("-at", "-id").values("after")[:1]))
            .filter(colour_then=Colour.RED)
            .values_list("lead_unit_id", flat=True)
        )
    for unit_id in red:
        counts[unit_id]["red_tasks"] += 1

    due_before = min(last, as_of - dt.timedelta(days=1))
    notices = Notice.objects.filter(
        plan=plan, unit_id__in=names, reply_due__gte=first, reply_due__lte=due_before
    ).prefetch_related("replies")
    for notice in notices:
        answered = any(local_date(r.replied_at) <= notice.reply_due for r in notice.replies.all())
        if not answered:
            counts[notice.unit_id]["overdue_notices"] += 1

    indicators = Indicator.objects.filter(owner_unit_id__in=names)
    for row in indicator_queries.plan_summaries(indicators, plan, min(last, as_of)):
        if row.summary.behind:
            counts[row.indicator.owner_unit_id]["indicators_behind"] += 1

    return [UnitFacts(unit_id, name, **counts[unit_id]) for unit_id, name in names.items()]
