"""What each role's home page shows, for ONE plan and an explicit "as of" date.

- reporter: their unit's (lead or co-operating) tasks of the plan owing a report in the open
  periods, with the window, what is submitted / returned / missing / late, and a link to report;
- supervisor: the plan at a glance — reports pending review, the period being reported now and the
  last closed period's late and missing reports by unit;
- leader: progress by category and by unit, lagging tasks, recent reports and 批示.

Every rule (what is owed, on time, late, missing, lagging) is asked of ``ledger.obligations``;
this module only counts. The plan is the user's choice (``chosen_plan``), by default the current
year's; every count on the page is for that plan. Bounded for large ledgers: aggregates are SQL
GROUP BYs, lists are sliced, and period arithmetic reads report *tuples*, not model rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from taizhang.accounts.models import Unit, User
from taizhang.ledger import obligations, permissions
from taizhang.ledger.models import Comment, Plan, ProgressReport, ReviewState, Task, TaskStatus
from taizhang.ledger.obligations import PeriodState
from taizhang.ledger.periods import (
    Window,
    last_closed_period,
    open_periods,
    periods_between,
    plan_window,
)
from taizhang.ledger.queries import (
    ReportRow,
    ReviewFilter,
    pending_reports,
)
from taizhang.supervision import instructions, notices
from taizhang.supervision.models import Instruction, Notice

PLAN_CHOICES = 50
REPORTER_TASK_LIMIT = 300
ROW_LIMIT = 50
HORIZON_PERIODS = 3  # the reporter's home lists missing / late reports of the last 3 closed periods
LIST_LIMIT = 10


@dataclass(frozen=True)
class TaskCounts:
    """The plan's tasks by stored status, and how many lag (a rule of ``obligations``, not a status)."""

    total: int
    by_status: list[tuple[str, str, int]]
    lagging: int


def task_counts(tasks: QuerySet[Task], as_of: dt.date) -> TaskCounts:
    """Counts by status (滞后 left out: its card counts lagging tasks) in one aggregate."""
    shown = [(value, label) for value, label in TaskStatus.choices if value != TaskStatus.DELAYED]
    found = tasks.order_by().aggregate(
        total=Count("id"),
        lagging=Count("id", filter=obligations.lagging_q(as_of)),
        **{value: Count("id", filter=Q(status=value)) for value, _ in shown},
    )
    return TaskCounts(
        found["total"], [(value, str(label), found[value]) for value, label in shown], found["lagging"]
    )


def plan_choices(user: User) -> list[Plan]:
    """The plans a home page may be scoped to (newest first)."""
    return list(
        permissions.plans_in_scope(user).select_related("owner_unit").order_by("-year", "id")[:PLAN_CHOICES]
    )


def chosen_plan(user: User, as_of: dt.date, wanted: int | None, choices: list[Plan]) -> Plan | None:
    """The plan the home page counts: ``wanted`` if the user may see it, else the current year's
    first plan, else the latest one."""
    by_id = {p.pk: p for p in choices}
    if wanted is not None:
        if wanted in by_id:
            return by_id[wanted]
        found = permissions.plans_in_scope(user).select_related("owner_unit").filter(pk=wanted).first()
        if found is not None:
            return found
    current = [p for p in choices if p.year == as_of.year]
    if current:
        return min(current, key=lambda p: p.pk)
    earlier = [p for p in choices if p.year < as_of.year]
    return earlier[0] if earlier else (choices[-1] if choices else None)


def lagging_tasks(tasks: QuerySet[Task], as_of: dt.date) -> QuerySet[Task]:
    """The lagging tasks among ``tasks`` (``obligations.lagging_q``)."""
    return tasks.filter(obligations.lagging_q(as_of))


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


def _plan_tasks(user: User, plan: Plan, tasks: QuerySet[Task] | None) -> QuerySet[Task]:
    """The plan's tasks in the user's scope (``tasks`` when the caller has them: the unit tree is
    read once per page)."""
    return tasks if tasks is not None else permissions.tasks_in_scope(user).filter(plan=plan)


def reporter_home(
    user: User,
    plan: Plan | None,
    as_of: dt.date,
    limit: int = REPORTER_TASK_LIMIT,
    tasks: QuerySet[Task] | None = None,
) -> ReporterHome:
    """What the reporter's unit owes in ``plan``: the open periods' reports (submitted or not),
    returned reports to correct, and missing / late reports of the last ``HORIZON_PERIODS`` closed
    periods (older ones stay on each task's page). Reads report tuples for those periods only."""
    home = ReporterHome()
    if plan is None:
        return home
    rows = list(
        _plan_tasks(user, plan, tasks)
        .select_related("lead_unit")
        .defer("content", "category_path")
        .order_by("seq", "id")[: limit + 1]
    )
    home.truncated = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return home
    windows = _recent_windows(plan, as_of, HORIZON_PERIODS)
    for period, window in windows.items():
        if window.is_open(as_of):
            home.periods.append((plan, period, window.opens, window.closes))
        elif home.since is None or window.opens < home.since:
            home.since = window.opens
    by_id = {t.pk: t for t in rows}
    for task in rows:
        task.plan = plan
    own_units = set(permissions.actor(user).unit_ids)
    facts: dict[tuple[int, str], tuple[str, dt.datetime]] = {
        (task_id, period): (state, first)
        for task_id, period, state, first in ProgressReport.objects.filter(
            task_id__in=list(by_id), period__in=list(windows)
        ).values_list("task_id", "period", "state", "first_submitted_at")
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
        returned = row(task, report.period, plan_window(plan, report.period), report.state)
        returned.report = report
        home.returned.append(returned)
    late: list[tuple[str, int, Task, Window]] = []
    for task in rows:
        for period, window in windows.items():
            fact = facts.get((task.pk, period))
            state = obligations.period_state(task, plan, period, as_of, fact[1] if fact else None)
            if window.is_open(as_of):
                if fact is not None or state == PeriodState.OPEN:
                    home.due.append(row(task, period, window, fact[0] if fact else ""))
            elif state == PeriodState.MISSING:
                home.missing.append(row(task, period, window))
            elif state == PeriodState.LATE:
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
    unit_id: int | None = None  # for the unit's 催报 button

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


class _TaskRow(NamedTuple):
    """The few task columns the reporting rules read (``obligations`` takes any such row)."""

    id: int
    lead_unit_id: int | None
    status: str
    deadline: dt.date | None
    progress: int


def _period_counts(
    tasks: QuerySet[Task], plan: Plan, periods: list[str]
) -> dict[str, dict[int | None, _Counts]]:
    """{period: {lead unit id: owing tasks, their reported and late reports}} for a few periods of
    one plan in two plain reads, whatever the database's statistics: the plan's tasks and the
    periods' reports along the (period, state) index, matched in Python by ``obligations``. (A
    join let PostgreSQL without fresh statistics pick a plan that took 2 s on 10,000 tasks.)"""
    found: dict[str, dict[int | None, _Counts]] = {p: defaultdict(_Counts) for p in periods}
    owing: dict[int, _TaskRow] = {}
    # What a task owes depends on its status and deadline only: ask the rule once per distinct pair
    # (a county's 10,000 tasks share a few dozen), not once per task and period.
    asked: dict[tuple[str, dt.date | None, str], bool] = {}

    def owes(task: _TaskRow, period: str) -> bool:
        key = (task.status, task.deadline, period)
        if key not in asked:
            asked[key] = obligations.owes(task, plan, period)
        return asked[key]

    for values in (
        tasks.filter(plan=plan)
        .filter(obligations.open_q())
        .order_by()
        .values_list("id", "lead_unit_id", "status", "deadline", "progress")
    ):
        task = _TaskRow(*values)
        owing[task.id] = task
        for period in periods:
            if owes(task, period):
                found[period][task.lead_unit_id].owing += 1
    # No ordering: the model's default (by plan and task) would join both tables to sort 20,000 rows.
    reports = (
        ProgressReport.objects.filter(period__in=periods)
        .order_by()
        .annotate(late=obligations.late_case(plan, periods))
    )
    for task_id, period, late in reports.values_list("task_id", "period", "late"):
        row = owing.get(task_id)
        if row is not None and owes(row, period):
            counts = found[period][row.lead_unit_id]
            counts.reported += 1
            counts.late += late
    return found


def plan_reporting(
    user: User, plan: Plan, as_of: dt.date, tasks: QuerySet[Task] | None = None
) -> PlanReporting:
    """The reporting of one plan: the period being reported now (the open window that closes
    first) and the last closed period, in total and by lead unit."""
    period = last_closed_period(plan, as_of)
    opened = open_periods(plan, as_of)
    current = opened[0] if opened else None
    result = PlanReporting(plan, period, plan_window(plan, period).closes if period else None)
    wanted = [p for p in (period, current) if p is not None]
    if not wanted:
        return result
    counts = _period_counts(_plan_tasks(user, plan, tasks), plan, wanted)
    if period is not None:
        by_unit = {k: v for k, v in counts[period].items() if v.owing}
        names = dict(Unit.objects.filter(pk__in=[k for k in by_unit if k]).values_list("pk", "name"))
        for unit_id, c in by_unit.items():
            unit = UnitReporting(
                names.get(unit_id, "（未指定牵头单位）") if unit_id else "（未指定牵头单位）",
                c.owing,
                c.reported,
                c.late,
                unit_id,
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
    plan: PlanReporting | None


def supervisor_home(
    user: User, plan: Plan | None, as_of: dt.date, tasks: QuerySet[Task] | None = None
) -> SupervisorHome:
    if plan is None:
        return SupervisorHome(0, [], None)
    pending = pending_reports(user, ReviewFilter(plan=plan))
    return SupervisorHome(
        pending_count=pending.count(),
        pending=list(pending[:LIST_LIMIT]),
        plan=plan_reporting(user, plan, as_of, tasks),
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


def lagging_list(user: User, as_of: dt.date) -> QuerySet[Task]:
    """Every lagging task in scope as listed on its own page (the home shows its plan's first
    ``LIST_LIMIT``): ``obligations.lagging_q``, by deadline."""
    tasks = lagging_tasks(permissions.tasks_in_scope(user), as_of)
    return tasks.select_related("lead_unit", "plan", "colour").order_by("deadline", "seq", "id")


def lagging_reason(task: Task, as_of: dt.date) -> str:
    """Why the task lags, in words (``obligations.lag_text``)."""
    return obligations.lag_text(task, task.plan, as_of)


def _grouped(tasks: QuerySet[Task], key: str, as_of: dt.date) -> list[dict[str, object]]:
    return list(
        tasks.order_by()
        .values(key)
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            lagging=Count("id", filter=obligations.lagging_q(as_of)),
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
    plan: Plan | None
    by_category: list[GroupProgress]
    by_unit: list[GroupProgress]
    lagging: list[tuple[Task, str]]
    lagging_count: int
    recent_reports: list[ProgressReport]
    recent_comments: list[Comment]
    average: float


def leader_home(
    user: User, plan: Plan | None, as_of: dt.date, tasks: QuerySet[Task] | None = None
) -> LeaderHome:
    if plan is None:
        return LeaderHome(None, [], [], [], 0, [], [], 0.0)
    tasks = _plan_tasks(user, plan, tasks)
    by_category = progress_by_category(tasks, as_of)
    by_unit = progress_by_unit(tasks, as_of)
    lagging = lagging_tasks(tasks, as_of).select_related("lead_unit", "colour")
    lagging_list = list(lagging.order_by("deadline", "seq", "id")[:LIST_LIMIT])
    total = sum(g.total for g in by_unit)
    average = sum(g.average * g.total for g in by_unit) / total if total else 0.0
    return LeaderHome(
        plan=plan,
        by_category=by_category,
        by_unit=by_unit,
        lagging=[(t, obligations.lag_text(t, plan, as_of)) for t in lagging_list],
        lagging_count=sum(g.lagging for g in by_unit),
        recent_reports=recent_reports(user, plan),
        recent_comments=list(
            permissions.comments_in_scope(user)
            .filter(task__plan=plan)
            .select_related("task", "author")
            .order_by("-pk")[:LIST_LIMIT]
        ),
        average=average,
    )


def progress_by_unit(tasks: QuerySet[Task], as_of: dt.date) -> list[GroupProgress]:
    """Progress by lead unit, the furthest ahead first."""
    rows = _grouped(tasks, "lead_unit_id", as_of)
    names = dict(
        Unit.objects.filter(pk__in=[r["lead_unit_id"] for r in rows if r["lead_unit_id"]]).values_list(
            "pk", "name"
        )
    )
    found = [
        _progress(names.get(row["lead_unit_id"], "（未指定牵头单位）"), row)  # type: ignore[call-overload]
        for row in rows
    ]
    found.sort(key=lambda g: (-g.average, g.label))
    return found


def progress_by_category(tasks: QuerySet[Task], as_of: dt.date) -> list[GroupProgress]:
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


def recent_reports(user: User, plan: Plan, limit: int = LIST_LIMIT) -> list[ProgressReport]:
    """The plan's latest submitted reports in scope: newest ``limit`` per review state (each read
    along the (state, submitted_at, id) index), merged."""
    base = (
        permissions.reports_in_scope(user)
        .filter(task__plan=plan)
        .select_related("task", "task__lead_unit", "submitted_by")
    )
    found: list[ProgressReport] = []
    for state in ReviewState.values:
        found.extend(base.filter(state=state).order_by("-submitted_at", "-id")[:limit])
    found.sort(key=lambda r: (r.submitted_at, r.pk), reverse=True)
    return found[:limit]


# --- supervision: notices and 批示件 owed or overdue --------------------------------------------


@dataclass
class SupervisionTodo:
    """Notices and 批示件 of one plan to act on: a reporter's unit answers them; a leader or
    supervisor follows the overdue ones (and a supervisor decides replied notices)."""

    to_reply: list[Notice] = field(default_factory=list)
    to_answer: list[Instruction] = field(default_factory=list)
    overdue: list[Notice] = field(default_factory=list)
    more_overdue: bool = False
    to_decide_count: int = 0
    waiting: list[Instruction] = field(default_factory=list)
    more_waiting: bool = False

    @property
    def empty(self) -> bool:
        return not (self.to_reply or self.to_answer or self.overdue or self.to_decide_count or self.waiting)


def supervision_todo(user: User, plan: Plan | None, as_of: dt.date) -> SupervisionTodo:
    todo = SupervisionTodo()
    if plan is None:
        return todo
    a = permissions.actor(user)
    if a.reporter:
        todo.to_reply = list(
            notices.notices_to_reply(a)
            .filter(plan=plan)
            .select_related("unit")
            .order_by("reply_due", "id")[:LIST_LIMIT]
        )
        todo.to_answer = list(
            instructions.instructions_to_answer(a)
            .filter(task__plan=plan)
            .select_related("task", "comment", "comment__author")
            .order_by("due_on", "id")[:LIST_LIMIT]
        )
        return todo
    # one read per list (LIST_LIMIT + 1 rows tell whether there are more) and one count
    overdue = list(
        notices.overdue_notices(a, as_of)
        .filter(plan=plan)
        .select_related("unit")
        .order_by("reply_due", "id")[: LIST_LIMIT + 1]
    )
    todo.more_overdue = len(overdue) > LIST_LIMIT
    todo.overdue = overdue[:LIST_LIMIT]
    if a.supervisor:
        todo.to_decide_count = notices.notices_to_decide(a).filter(plan=plan).count()
    waiting = list(
        instructions.waiting(a)
        .filter(task__plan=plan)
        .select_related("task", "task__lead_unit", "comment", "comment__author")
        .order_by("due_on", "id")[: LIST_LIMIT + 1]
    )
    todo.more_waiting = len(waiting) > LIST_LIMIT
    todo.waiting = waiting[:LIST_LIMIT]
    return todo
