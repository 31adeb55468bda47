"""What each role's home page shows, computed for an explicit "as of" date.

- reporter: their unit's (lead or co-operating) tasks owing a report in the open periods, with the
  window, what is submitted / returned / missing / late, and a link to report;
- supervisor: the plan at a glance — tasks by status, reports pending review, and the last closed
  period's late and missing reports by unit;
- leader: progress by category and by unit, lagging tasks, recent reports and 批示.

Bounded for large ledgers: aggregates are SQL GROUP BYs, lists are sliced, and the reporter's view
reads report *tuples* rather than model rows for its period arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    Count,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from taizhang.accounts.models import Unit, User
from taizhang.ledger import scope
from taizhang.ledger.models import (
    CLOSED_STATUSES,
    Comment,
    Plan,
    ProgressReport,
    ReviewState,
    Task,
    TaskStatus,
)
from taizhang.ledger.periods import (
    Window,
    last_closed_period,
    open_periods,
    period_for,
    periods_between,
    plan_window,
)
from taizhang.ledger.queries import (
    ReportRow,
    comments_in_scope,
    pending_reports,
    reports_in_scope,
    visible_plans,
)

ACTIVE_PLANS = 3
REPORTER_TASK_LIMIT = 300
ROW_LIMIT = 50
HORIZON_PERIODS = 3  # the reporter's home lists missing / late reports of the last 3 closed periods
LIST_LIMIT = 10


def status_counts(tasks: QuerySet[Task]) -> tuple[int, list[tuple[str, str, int]]]:
    """(total, [(status, label, count)]) in one GROUP BY."""
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    return sum(by_status.values()), [
        (value, str(label), by_status.get(value, 0)) for value, label in TaskStatus.choices
    ]


def active_plans(user: User, as_of: dt.date, limit: int = ACTIVE_PLANS) -> list[Plan]:
    """The plans of the current year the user may see (or, if none, of the latest year)."""
    plans = visible_plans(user).select_related("owner_unit")
    current = list(plans.filter(year=as_of.year).order_by("id")[:limit])
    if current:
        return current
    return list(plans.filter(year__lt=as_of.year).order_by("-year", "id")[:limit])


def _day_after(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` ends, in the configured time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


# --- reporter -----------------------------------------------------------------------------------


@dataclass
class ReporterHome:
    """Lists are complete; the page shows the first ``ROW_LIMIT`` of each with the total."""

    due: list[ReportRow] = field(default_factory=list)
    returned: list[ReportRow] = field(default_factory=list)
    missing: list[ReportRow] = field(default_factory=list)
    late: list[ReportRow] = field(default_factory=list)  # the latest LIST_LIMIT of late_count
    late_count: int = 0
    periods: list[tuple[Plan, str, dt.date, dt.date]] = field(default_factory=list)
    since: dt.date | None = None  # missing and late count periods starting on or after this day
    truncated: bool = False

    @property
    def due_submitted(self) -> int:
        return sum(1 for row in self.due if row.submitted)

    @property
    def due_open(self) -> int:
        return sum(1 for row in self.due if not row.submitted)

    @property
    def due_shown(self) -> list[ReportRow]:
        return self.due[:ROW_LIMIT]

    @property
    def missing_shown(self) -> list[ReportRow]:
        return self.missing[:ROW_LIMIT]

    @property
    def returned_shown(self) -> list[ReportRow]:
        return self.returned[:ROW_LIMIT]


def _still_reported(plan: Plan, as_of: dt.date) -> bool:
    """This year's plans, and last year's until its last window closes."""
    return (
        plan.year >= as_of.year or plan_window(plan, period_for(plan.ends_on, plan.cadence)).closes >= as_of
    )


def _recent_windows(plan: Plan, as_of: dt.date, closed: int) -> dict[str, Window]:
    """The plan's periods whose window is open on ``as_of``, and the last ``closed`` closed ones."""
    found: list[tuple[str, Window]] = []
    for period in periods_between(plan.starts_on, plan.ends_on, plan.cadence):
        window = plan_window(plan, period)
        if window.opens > as_of:
            break
        found.append((period, window))
    shut = [item for item in found if item[1].closes < as_of][-closed:] if closed else []
    return dict(shut + [item for item in found if item[1].is_open(as_of)])


def reporter_home(user: User, as_of: dt.date, limit: int = REPORTER_TASK_LIMIT) -> ReporterHome:
    """What the reporter's unit owes: the open periods' reports (submitted or not), returned reports
    to correct, and missing / late reports of the last ``HORIZON_PERIODS`` closed periods (older
    ones stay on each task's page). Reads report tuples for those periods only."""
    home = ReporterHome()
    tasks = list(
        scope.tasks_in_scope(user)
        .filter(plan__year__in=[as_of.year - 1, as_of.year])
        .select_related("plan", "lead_unit")
        .defer("content", "category_path", "plan__title")
        .order_by("-plan__year", "plan_id", "seq", "id")[: limit + 1]
    )
    home.truncated = len(tasks) > limit
    plans = {t.plan_id: t.plan for t in tasks[:limit] if _still_reported(t.plan, as_of)}
    tasks = [t for t in tasks[:limit] if t.plan_id in plans]
    if not tasks:
        return home
    windows = {pk: _recent_windows(plan, as_of, HORIZON_PERIODS) for pk, plan in plans.items()}
    for pk, plan in sorted(plans.items()):
        for period, window in windows[pk].items():
            if window.is_open(as_of):
                home.periods.append((plan, period, window.opens, window.closes))
            elif home.since is None or window.opens < home.since:
                home.since = window.opens
    by_id = {t.pk: t for t in tasks}
    own_units = scope.scope_unit_ids(user)
    # lateness is decided in SQL (no datetime per row): submitted on or after the day after the close
    late_when = [
        When(period=period, submitted_at__gte=_day_after(window.closes), then=Value(1))
        for found in windows.values()
        for period, window in found.items()
    ]
    facts: dict[tuple[int, str], tuple[str, bool]] = {
        (task_id, period): (state, bool(late))
        for task_id, period, state, late in ProgressReport.objects.filter(
            task_id__in=list(by_id), period__in={p for found in windows.values() for p in found}
        )
        .annotate(late=Case(*late_when, default=Value(0), output_field=IntegerField()))
        .values_list("task_id", "period", "state", "late")
    }

    def row(task: Task, period: str, window: Window, state: str = "") -> ReportRow:
        return ReportRow(
            task, period, window.opens, window.closes, state=state, leads=task.lead_unit_id in own_units
        )

    for report in (
        ProgressReport.objects.filter(task_id__in=list(by_id), state=ReviewState.RETURNED)
        .select_related("reviewer")
        .defer("text", "zero_reason")
        .order_by("period", "task_id")
    ):
        task = by_id[report.task_id]
        returned = row(task, report.period, plan_window(task.plan, report.period), report.state)
        returned.report = report
        home.returned.append(returned)
    late: list[tuple[str, int, Task, Window]] = []
    for task in tasks:
        plan = task.plan
        owes_nothing = task.status in CLOSED_STATUSES
        for period, window in windows[plan.pk].items():
            owed = window.opens <= plan.starts_on or task.deadline is None or task.deadline >= window.opens
            if not owed:
                break  # periods are in order: later ones are past the deadline too
            fact = facts.get((task.pk, period))
            if window.is_open(as_of):
                if fact is not None or not owes_nothing:
                    home.due.append(row(task, period, window, fact[0] if fact else ""))
            elif fact is None:
                if not owes_nothing:
                    home.missing.append(row(task, period, window))
            elif fact[1] and fact[0] != ReviewState.RETURNED:
                late.append((period, task.seq, task, window))
    home.late_count = len(late)
    late.sort(key=lambda item: (item[0], item[1]), reverse=True)
    for period, _, task, window in late[:LIST_LIMIT]:
        home.late.append(row(task, period, window))
        home.late[-1].late = True
    home.missing.sort(key=lambda r: (r.period, r.task.seq))
    return home


# --- supervisor ---------------------------------------------------------------------------------


@dataclass
class UnitReporting:
    unit: str
    owing: int
    reported: int
    late: int

    @property
    def missing(self) -> int:
        return self.owing - self.reported


@dataclass
class PlanReporting:
    plan: Plan
    period: str | None
    closes: dt.date | None
    owing: int = 0
    reported: int = 0
    late: int = 0
    units: list[UnitReporting] = field(default_factory=list)
    current: str | None = None
    current_closes: dt.date | None = None
    current_owing: int = 0
    current_reported: int = 0

    @property
    def missing(self) -> int:
        return self.owing - self.reported

    @property
    def flagged(self) -> list[UnitReporting]:
        """Units with missing or late reports, worst first."""
        return [u for u in self.units if u.missing or u.late]


@dataclass
class _Counts:
    owing: int = 0
    reported: int = 0
    late: int = 0


def _period_counts(
    tasks: QuerySet[Task], plan: Plan, periods: list[str]
) -> dict[str, dict[int | None, _Counts]]:
    """{period: {lead unit id: owing tasks, reported and late reports}} for a few periods of one
    plan in two plain reads, whatever the database's statistics: the plan's owing tasks (id, lead
    unit, first period owed) and the periods' reports (task id, period, late) along the (period,
    state) index, matched in Python. (A join let PostgreSQL without fresh statistics pick a plan
    that took 2 s on 10,000 tasks.)"""
    found: dict[str, dict[int | None, _Counts]] = {p: defaultdict(_Counts) for p in periods}
    # a task owes a period from the plan's first one up to its deadline (see periods.task_periods)
    firsts = {p: plan_window(plan, p).opens for p in periods}
    always = {p: first <= plan.starts_on for p, first in firsts.items()}
    owing: dict[int, tuple[int | None, dt.date | None]] = {}
    for task_id, unit_id, deadline in (
        tasks.filter(plan=plan)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by()
        .values_list("id", "lead_unit_id", "deadline")
    ):
        owing[task_id] = (unit_id, deadline)
        for period, first in firsts.items():
            if always[period] or deadline is None or deadline >= first:
                found[period][unit_id].owing += 1
    late_when = [
        When(period=p, submitted_at__gte=_day_after(plan_window(plan, p).closes), then=Value(1))
        for p in periods
    ]
    for task_id, period, late in (
        ProgressReport.objects.filter(period__in=periods)
        .annotate(late=Case(*late_when, default=Value(0), output_field=IntegerField()))
        .values_list("task_id", "period", "late")
    ):
        task = owing.get(task_id)
        if task is not None and (always[period] or task[1] is None or task[1] >= firsts[period]):
            counts = found[period][task[0]]
            counts.reported += 1
            counts.late += late
    return found


def plan_reporting(user: User, plan: Plan, as_of: dt.date) -> PlanReporting:
    """The last closed period's reporting of one plan, in total and by lead unit, and how far the
    current period has got."""
    period = last_closed_period(plan, as_of)
    opened = open_periods(plan, as_of)
    current = opened[-1] if opened else None
    result = PlanReporting(plan, period, plan_window(plan, period).closes if period else None)
    wanted = [p for p in (period, current) if p is not None]
    if not wanted:
        return result
    counts = _period_counts(scope.tasks_in_scope(user), plan, wanted)
    if period is not None:
        by_unit = {k: v for k, v in counts[period].items() if v.owing}
        names = dict(Unit.objects.filter(pk__in=[k for k in by_unit if k]).values_list("pk", "name"))
        for unit_id, c in by_unit.items():
            unit = UnitReporting(
                names.get(unit_id, "（未指定牵头单位）") if unit_id else "（未指定牵头单位）",
                c.owing,
                c.reported,
                c.late,
            )
            result.owing += unit.owing
            result.reported += unit.reported
            result.late += unit.late
            result.units.append(unit)
        result.units.sort(key=lambda u: (-u.missing, -u.late, u.unit))
    if current is not None:
        result.current = current
        result.current_closes = plan_window(plan, current).closes
        result.current_owing = sum(c.owing for c in counts[current].values())
        result.current_reported = sum(c.reported for c in counts[current].values() if c.owing)
    return result


@dataclass
class SupervisorHome:
    pending_count: int
    pending: list[ProgressReport]
    plans: list[PlanReporting]
    overdue_count: int


def supervisor_home(user: User, as_of: dt.date) -> SupervisorHome:
    pending = pending_reports(user)
    return SupervisorHome(
        pending_count=pending.count(),
        pending=list(pending[:LIST_LIMIT]),
        plans=[plan_reporting(user, plan, as_of) for plan in active_plans(user, as_of)],
        overdue_count=lagging_tasks(user, as_of).count(),
    )


# --- leader -------------------------------------------------------------------------------------


@dataclass
class GroupProgress:
    label: str
    total: int
    done: int
    lagging: int
    average: float
    first: int = 0


def _lagging_q(as_of: dt.date) -> Q:
    return Q(status=TaskStatus.DELAYED) | (Q(deadline__lt=as_of) & ~Q(status__in=CLOSED_STATUSES))


def lagging_tasks(user: User, as_of: dt.date) -> QuerySet[Task]:
    """Tasks marked 滞后, or past their deadline and neither done nor paused."""
    return scope.tasks_in_scope(user).filter(_lagging_q(as_of))


def lagging_list(user: User, as_of: dt.date) -> QuerySet[Task]:
    """The lagging tasks as listed: the home shows the first ``LIST_LIMIT``, the full list pages."""
    return lagging_tasks(user, as_of).select_related("lead_unit", "plan").order_by("deadline", "seq", "id")


def lagging_reason(task: Task, as_of: dt.date) -> str:
    if task.deadline and task.deadline < as_of and task.status not in CLOSED_STATUSES:
        return f"已超过完成时限 {(as_of - task.deadline).days} 天"
    return "督查室标记为滞后"


def _grouped(tasks: QuerySet[Task], key: str, as_of: dt.date) -> list[dict[str, object]]:
    return list(
        tasks.order_by()
        .values(key)
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            lagging=Count("id", filter=_lagging_q(as_of)),
            average=Coalesce(Avg("progress"), 0.0),
            first=Min("seq"),
        )
    )


def _progress(label: str, row: dict[str, object]) -> GroupProgress:
    return GroupProgress(
        label=label,
        total=int(row["total"]),  # type: ignore[call-overload]
        done=int(row["done"]),  # type: ignore[call-overload]
        lagging=int(row["lagging"]),  # type: ignore[call-overload]
        average=float(row["average"]),  # type: ignore[arg-type]
        first=int(row["first"] or 0),  # type: ignore[call-overload]
    )


@dataclass
class LeaderHome:
    plans: list[Plan]
    by_category: list[GroupProgress]
    by_unit: list[GroupProgress]
    lagging: list[tuple[Task, str]]
    lagging_count: int
    recent_reports: list[ProgressReport]
    recent_comments: list[Comment]
    average: float


def leader_home(user: User, as_of: dt.date) -> LeaderHome:
    plans = active_plans(user, as_of)
    tasks = scope.tasks_in_scope(user).filter(plan__in=plans)
    by_category = _by_category(tasks, as_of)
    unit_rows = _grouped(tasks, "lead_unit_id", as_of)
    names = dict(
        Unit.objects.filter(pk__in=[r["lead_unit_id"] for r in unit_rows if r["lead_unit_id"]]).values_list(
            "pk", "name"
        )
    )
    by_unit = [
        _progress(names.get(row["lead_unit_id"], "（未指定牵头单位）"), row)  # type: ignore[call-overload]
        for row in unit_rows
    ]
    by_unit.sort(key=lambda g: (-g.average, g.label))
    lagging = lagging_list(user, as_of)
    shown = list(lagging[:LIST_LIMIT])
    total = sum(g.total for g in by_unit)
    average = sum(g.average * g.total for g in by_unit) / total if total else 0.0
    return LeaderHome(
        plans=plans,
        by_category=by_category,
        by_unit=by_unit,
        lagging=[(t, lagging_reason(t, as_of)) for t in shown],
        lagging_count=lagging.count(),
        recent_reports=recent_reports(user),
        recent_comments=list(
            comments_in_scope(user).select_related("task", "author").order_by("-pk")[:LIST_LIMIT]
        ),
        average=average,
    )


def _by_category(tasks: QuerySet[Task], as_of: dt.date) -> list[GroupProgress]:
    """Progress by top-level heading; when the plan has a single top heading (一、重点工作安排), by
    the level below it, which is where a plan's work areas are (a task right under the top heading
    keeps that heading as its group)."""
    top = KeyTextTransform("0", "category_path")
    rows = _grouped(tasks.annotate(heading=top), "heading", as_of)
    if len([row for row in rows if row["heading"]]) == 1:
        below = Coalesce(KeyTextTransform("1", "category_path"), top)
        rows = _grouped(tasks.annotate(heading=below), "heading", as_of)
    groups = [_progress(str(row["heading"] or "（未分类）"), row) for row in rows]
    groups.sort(key=lambda g: g.first)
    return groups


def recent_reports(user: User, limit: int = LIST_LIMIT) -> list[ProgressReport]:
    """The latest submitted reports in scope: newest ``limit`` per review state (each read along
    the (state, submitted_at, id) index), merged."""
    base = reports_in_scope(user).select_related("task", "task__lead_unit", "submitted_by")
    found: list[ProgressReport] = []
    for state in ReviewState.values:
        found.extend(base.filter(state=state).order_by("-submitted_at", "-id")[:limit])
    found.sort(key=lambda r: (r.submitted_at, r.pk), reverse=True)
    return found[:limit]
