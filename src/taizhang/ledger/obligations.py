"""The reporting rules, in one place: what a task owes per period, whether a report came on time,
late or not at all, and whether a task is lagging.

Every screen, the API, the print view, the Excel export, the dashboards and (next) supervision's
four colours ask this module. Each rule has a plain Python form (for one task, or for rows already
read) and, where lists need it, a query form (a ``Q`` or an annotation on ``Task``); the tests in
``tests/ledger/test_obligations_agree.py`` prove the two equal on a generated ledger, on SQLite and
PostgreSQL. Calendar arithmetic (period keys, bounds, windows) stays in ``periods``.

The rules
---------
*Span.* A plan's periods are those overlapping [``plan.starts_on``, ``plan.ends_on``] at its cadence.
A task's reporting span is its plan's periods up to its deadline (at least the plan's first
period) — and, while the task is *open* (neither 已完成 nor 已暂停), every later period of the plan
as well: an overdue, unfinished task keeps owing reports until it is done or formally paused.

*Owes.* An open task owes a report for every period of its span; a done or paused task owes
nothing more (its periods without a report are 无需报送). The task's status is its current one: a
task closed today no longer owes the periods it skipped before.

*On time / late / missing.* Late is judged on the period's *first* submission
(``ProgressReport.first_submitted_at``): a report first submitted after the window closed is
late; a correction after a return is not, whenever the supervisor returned it. A period whose
window closed with nothing submitted, on a task that owes it, is missing.

*Lagging.* An open task lags when it is past its deadline (``OVERDUE``), behind 序时进度
(``BEHIND``: its approved progress is below the share of its span elapsed — span from the plan's
start to its deadline, or to the plan's end without one), or marked 滞后 by the supervisor
(``MARKED``). The first of these that holds is the reason shown.

*序时进度 is reckoned to the end of the last closed period* (``reckoning_day``): the approved
figure is the one reported for that period, so it is compared with the time elapsed by then.
Compared with today's share instead, October's figure on 1 December stood a month behind, and
every task on schedule looked 滞后.

*Reported progress.* What a task "has reported" (print, Excel, API) is its latest *approved*
report and the approved figure ``Task.progress``; pending and returned reports are not yet facts.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone

from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import CLOSED_STATUSES, Plan, ProgressReport, ReviewState, Task, TaskStatus
from taizhang.ledger.periods import (
    Window,
    cadence_of,
    period_bounds,
    period_for,
    periods_between,
    plan_window,
    report_window,
)


class PeriodState(models.TextChoices):
    """Where a task stands for one period, as of a day."""

    UPCOMING = "upcoming", "未到期"
    OPEN = "open", "报送中"
    ON_TIME = "on_time", "按时报送"
    LATE = "late", "逾期报送"
    MISSING = "missing", "未报送"
    EXEMPT = "exempt", "无需报送"


class Lag(models.TextChoices):
    """Why a task is lagging (in order of precedence)."""

    OVERDUE = "overdue", "已超过完成时限"
    BEHIND = "behind", "落后于序时进度"
    MARKED = "marked", "督查室标记为滞后"


class TaskFacts(Protocol):
    """What the rules read of a task: a ``Task``, or any row with these attributes (the homes
    pass plain tuples)."""

    @property
    def status(self) -> str: ...
    @property
    def deadline(self) -> dt.date | None: ...
    @property
    def progress(self) -> int: ...


# --- Python: span and what is owed ---------------------------------------------------------------


def is_open(task: TaskFacts) -> bool:
    """Neither done nor paused: the task still owes reports."""
    return task.status not in CLOSED_STATUSES


def plan_periods(plan: Plan) -> list[str]:
    return periods_between(plan.starts_on, plan.ends_on, plan.cadence)


def in_plan(plan: Plan, period: str) -> bool:
    """Whether ``period`` is one of the plan's periods (its cadence, overlapping the plan's year)."""
    try:
        first, last = period_bounds(period)
        same_cadence = period_for(first, plan.cadence) == period
    except DomainError:  # a malformed key is simply not a period of the plan
        return False
    return same_cadence and first <= plan.ends_on and last >= plan.starts_on


def _by_deadline(task: TaskFacts, plan: Plan, period: str) -> bool:
    """The period starts by the task's deadline (or it has none; the plan's first period always)."""
    first, _ = period_bounds(period)
    return task.deadline is None or first <= plan.starts_on or first <= task.deadline


def in_span(task: TaskFacts, plan: Plan, period: str) -> bool:
    """Whether ``period`` is in the task's reporting span (a report may be submitted for it)."""
    return in_plan(plan, period) and (is_open(task) or _by_deadline(task, plan, period))


def planned_periods(task: TaskFacts, plan: Plan) -> list[str]:
    """The periods the task was planned over: the plan's, up to its deadline (at least one)."""
    return [p for p in plan_periods(plan) if _by_deadline(task, plan, p)]


def span_periods(task: TaskFacts, plan: Plan) -> list[str]:
    """The periods of the task's reporting span, in order (``in_span`` over the plan's periods,
    which are in the plan by construction: only the deadline part is left to ask)."""
    periods = plan_periods(plan)
    return periods if is_open(task) else [p for p in periods if _by_deadline(task, plan, p)]


def owes(task: TaskFacts, plan: Plan, period: str) -> bool:
    """Whether the task owes a report for ``period`` (in its span, and neither done nor paused)."""
    return is_open(task) and in_span(task, plan, period)


# --- Python: on time, late, missing ---------------------------------------------------------------


def late_from(plan: Plan, period: str) -> dt.datetime:
    """The moment from which a first submission for ``period`` is late: the start (Asia/Shanghai)
    of the day after the window closes. An aware datetime, so lists can compare stored timestamps
    with it in SQL instead of converting each one."""
    return _late_from(period, plan.report_window_days, timezone.get_current_timezone())


@functools.cache
def _late_from(period: str, window_days: int, zone: dt.tzinfo) -> dt.datetime:
    closes = report_window(period, window_days).closes
    midnight = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight, zone).astimezone(dt.UTC)


def is_late(plan: Plan, period: str, first_submitted_at: dt.datetime) -> bool:
    """A first submission after the period's window closed (local date, Asia/Shanghai)."""
    if timezone.is_naive(first_submitted_at):  # a naive time is a local one
        first_submitted_at = timezone.make_aware(first_submitted_at)
    return first_submitted_at >= late_from(plan, period)


def report_is_late(report: ProgressReport, plan: Plan | None = None) -> bool:
    """Whether the report's period was first reported late (corrections after a return never are)."""
    plan = plan or report.task.plan
    return is_late(plan, report.period, report.first_submitted_at)


def period_state(
    task: TaskFacts,
    plan: Plan,
    period: str,
    as_of: dt.date,
    first_submitted_at: dt.datetime | None,
) -> PeriodState:
    """Where ``task`` stands for ``period`` on ``as_of``, given when the period's report (if any)
    was first submitted. A submitted report is on time or late whatever the task's state; without
    one, a period the task does not owe is exempt, else upcoming / open / missing by its window."""
    if first_submitted_at is not None:
        return PeriodState.LATE if is_late(plan, period, first_submitted_at) else PeriodState.ON_TIME
    return unreported_state(task, plan, period, as_of)


def unreported_state(task: TaskFacts, plan: Plan, period: str, as_of: dt.date) -> PeriodState:
    """``period_state`` of a period with nothing submitted: exempt, upcoming, open or missing
    (callers that only know *whether* a period was reported ask this, reading no timestamps)."""
    if not owes(task, plan, period):
        return PeriodState.EXEMPT
    window = plan_window(plan, period)
    if as_of < window.opens:
        return PeriodState.UPCOMING
    if as_of <= window.closes:
        return PeriodState.OPEN
    return PeriodState.MISSING


@dataclass(frozen=True)
class PeriodStatus:
    """One period of a task as the task page shows it."""

    period: str
    window: Window
    state: PeriodState
    report: ProgressReport | None

    @property
    def label(self) -> str:
        return str(self.state.label)

    @property
    def is_missing(self) -> bool:
        return self.state == PeriodState.MISSING

    @property
    def returned(self) -> bool:
        return self.report is not None and self.report.is_returned


def period_states(
    task: Task, as_of: dt.date, reports: Iterable[ProgressReport] | None = None
) -> list[PeriodStatus]:
    """The status of every period of the task's span, oldest first. Pass ``reports`` when they
    are loaded already (no query)."""
    plan = task.plan
    by_period = {r.period: r for r in (task.reports.all() if reports is None else reports)}
    out = []
    for period in span_periods(task, plan):
        report = by_period.get(period)
        first = report.first_submitted_at if report is not None else None
        state = period_state(task, plan, period, as_of, first)
        out.append(PeriodStatus(period, plan_window(plan, period), state, report))
    return out


# --- Python: lagging ------------------------------------------------------------------------------


def span_bounds(task: TaskFacts, plan: Plan) -> tuple[dt.date, dt.date]:
    """The task's span for 序时进度: the plan's start to the deadline (or the plan's end)."""
    return plan.starts_on, task.deadline or plan.ends_on


def reckoning_day(plan: Plan, as_of: dt.date) -> dt.date:
    """The day 序时进度 is reckoned to on ``as_of``: the last day of the plan's last closed period
    (the latest figure a unit had to report); the plan's start while no period has closed."""
    return _reckoning_day(plan.starts_on, plan.ends_on, plan.cadence, plan.report_window_days, as_of)


@functools.cache
def _reckoning_day(starts: dt.date, ends: dt.date, cadence: str, window_days: int, as_of: dt.date) -> dt.date:
    closed = [
        p for p in periods_between(starts, ends, cadence) if report_window(p, window_days).closes < as_of
    ]
    return period_bounds(closed[-1])[1] if closed else starts


def time_progress(task: TaskFacts, plan: Plan, as_of: dt.date) -> int:
    """序时进度 in whole percent (rounded down): the share of the task's span elapsed on the
    reckoning day of ``as_of``."""
    start, end = span_bounds(task, plan)
    day = reckoning_day(plan, as_of)
    if day >= end:
        return 100
    if day <= start:
        return 0
    return 100 * (day - start).days // (end - start).days


def is_behind(task: TaskFacts, plan: Plan, as_of: dt.date) -> bool:
    """Approved progress below 序时进度 (compared exactly, not on the rounded percent)."""
    start, end = span_bounds(task, plan)
    day = reckoning_day(plan, as_of)
    if day >= end:
        return task.progress < 100
    if day <= start:
        return False
    return task.progress * (end - start).days < 100 * (day - start).days


def is_overdue(task: TaskFacts, as_of: dt.date) -> bool:
    """Open and past its deadline (``overdue_q`` in SQL)."""
    return is_open(task) and task.deadline is not None and task.deadline < as_of


def lag(task: TaskFacts, plan: Plan, as_of: dt.date) -> Lag | None:
    """Why the task is lagging on ``as_of`` (``None`` when it is not)."""
    if not is_open(task):
        return None
    if is_overdue(task, as_of):
        return Lag.OVERDUE
    if is_behind(task, plan, as_of):
        return Lag.BEHIND
    if task.status == TaskStatus.DELAYED:
        return Lag.MARKED
    return None


def lag_text(task: TaskFacts, plan: Plan, as_of: dt.date) -> str:
    """The reason in words, with its numbers (\"已超过完成时限 12 天\")."""
    reason = lag(task, plan, as_of)
    if reason is None:
        return ""
    if reason == Lag.OVERDUE:
        assert task.deadline is not None
        return f"已超过完成时限 {(as_of - task.deadline).days} 天"
    if reason == Lag.BEHIND:
        return f"完成进度 {task.progress}%，落后于序时进度 {time_progress(task, plan, as_of)}%"
    return str(reason.label)


# --- Python: the task's reported progress ---------------------------------------------------------


def reported(reports: Iterable[ProgressReport]) -> ProgressReport | None:
    """The task's reported progress: its latest approved report (pending and returned ones are not)."""
    approved = [r for r in reports if r.state == ReviewState.APPROVED]
    return max(approved, key=lambda r: r.period) if approved else None


def lower_than_approved(task: TaskFacts, percent: int) -> bool:
    """A figure below the approved one moves progress backwards: it needs a stated reason."""
    return percent < task.progress


# --- SQL ------------------------------------------------------------------------------------------


class _DaysBetween(models.Func):
    """Whole days from date ``b`` to date ``a`` (a − b), on SQLite and PostgreSQL."""

    output_field = models.IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::date)", arg_joiner=")::date - (", **extra
        )


class _YearStart(models.Func):
    """1 January of an integer year column."""

    output_field = models.DateField()
    arity = 1
    month_day = ("01-01", "1, 1")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"date(%(expressions)s || '-{self.month_day[0]}')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"make_date(%(expressions)s, {self.month_day[1]})"
        return self.as_sql(compiler, connection, template=template, **extra)


class _YearEnd(_YearStart):
    """31 December of an integer year column."""

    month_day = ("12-31", "12, 31")


def _day_after(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` ends, in the configured time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _plan_start_on_or_after(day: dt.date, prefix: str = "plan__") -> Q:
    """SQL: ``plan.starts_on >= day`` (``starts_on`` = reporting_starts, else 1 January)."""
    jan1_ok = day.year + (0 if (day.month, day.day) == (1, 1) else 1)  # 1 Jan of year >= day
    return Q(**{f"{prefix}reporting_starts__isnull": False, f"{prefix}reporting_starts__gte": day}) | Q(
        **{f"{prefix}reporting_starts__isnull": True, f"{prefix}year__gte": jan1_ok}
    )


def _plan_start_on_or_before(day: dt.date, prefix: str = "plan__") -> Q:
    """SQL: ``plan.starts_on <= day``."""
    return Q(**{f"{prefix}reporting_starts__isnull": False, f"{prefix}reporting_starts__lte": day}) | Q(
        **{f"{prefix}reporting_starts__isnull": True, f"{prefix}year__lte": day.year}
    )


def in_plan_q(period: str, prefix: str = "plan__") -> Q:
    """SQL form of ``in_plan`` over a task's plan (``prefix`` "" on ``Plan`` itself)."""
    first, last = period_bounds(period)
    return (
        Q(**{f"{prefix}cadence": cadence_of(period)})
        & Q(**{f"{prefix}year__gte": first.year})  # plan.ends_on (31 Dec) >= first
        & _plan_start_on_or_before(last, prefix)
    )


def open_q() -> Q:
    """SQL form of ``is_open``."""
    return ~Q(status__in=CLOSED_STATUSES)


def in_span_q(period: str) -> Q:
    """SQL form of ``in_span`` on ``Task``."""
    first, _ = period_bounds(period)
    return in_plan_q(period) & (
        open_q() | Q(deadline__isnull=True) | Q(deadline__gte=first) | _plan_start_on_or_after(first)
    )


def owes_q(period: str) -> Q:
    """SQL form of ``owes`` on ``Task``: the tasks owing a report for ``period``."""
    return open_q() & in_span_q(period)


def _window_closes_before(day: dt.date, period: str) -> Q:
    """SQL: the plan's window for ``period`` closes before ``day`` (last + window days < day)."""
    _, last = period_bounds(period)
    return Q(plan__report_window_days__lt=(day - last).days)


def late_q(period: str, prefix: str = "") -> Q:
    """SQL form of ``is_late`` on ``ProgressReport`` rows of ``period`` (``prefix`` "report__" …):
    the local date of the first submission is after the window's close."""
    _, last = period_bounds(period)
    submitted_on = TruncDate(f"{prefix}first_submitted_at", tzinfo=timezone.get_current_timezone())
    return Q(LessThan(F(f"{prefix}task__plan__report_window_days"), _DaysBetween(submitted_on, Value(last))))


def late_case(plan: Plan, periods: Iterable[str]) -> Case:
    """SQL form of ``is_late`` on ``ProgressReport`` rows of one plan's ``periods``: a boolean per
    report, from the same ``late_from`` moment, with no join (a page counting 50,000 reports
    compares timestamps in the database instead of converting each in Python)."""
    whens = [When(period=p, first_submitted_at__gte=late_from(plan, p), then=Value(True)) for p in periods]
    return Case(*whens, default=Value(False), output_field=models.BooleanField())


def period_state_expr(period: str, as_of: dt.date, plan: Plan | None = None) -> Case:
    """SQL form of ``period_state`` on ``Task``: one ``PeriodState`` value per task for ``period``.
    Given the ``plan`` all the tasks belong to, lateness compares each first submission with the
    plan's ``late_from`` moment (as ``late_case`` does) instead of converting every report's time
    to a local date in the query — the same answer, without a function call per report."""
    reports = ProgressReport.objects.filter(task=OuterRef("pk"), period=period)
    first, _ = period_bounds(period)
    late = Q(first_submitted_at__gte=late_from(plan, period)) if plan is not None else late_q(period)
    whens = [
        When(Exists(reports.filter(late)), then=Value(PeriodState.LATE.value)),
        When(Exists(reports), then=Value(PeriodState.ON_TIME.value)),
        When(~owes_q(period), then=Value(PeriodState.EXEMPT.value)),
    ]
    if as_of < first:  # the window opens on the period's first day, for every plan alike
        default = PeriodState.UPCOMING
    else:
        whens.append(When(~_window_closes_before(as_of, period), then=Value(PeriodState.OPEN.value)))
        default = PeriodState.MISSING
    return Case(*whens, default=Value(default.value), output_field=models.CharField())


def _span_start() -> Coalesce:
    return Coalesce(F("plan__reporting_starts"), _YearStart(F("plan__year")), output_field=models.DateField())


def behind_q(as_of: dt.date) -> Q:
    """SQL form of ``is_behind`` on ``Task``: each plan's tasks against its own reckoning day
    (plans are few; those sharing a day share one condition)."""
    plan_ids: dict[dt.date, list[int]] = {}
    for plan in Plan.objects.only("id", "year", "cadence", "report_window_days", "reporting_starts"):
        plan_ids.setdefault(reckoning_day(plan, as_of), []).append(plan.pk)
    condition = Q(pk__in=[])
    for day, ids in plan_ids.items():
        condition |= Q(plan_id__in=ids) & _behind_on(day)
    return condition


def _behind_on(day: dt.date) -> Q:
    """``is_behind`` for tasks whose plan reckons 序时进度 to ``day``."""
    after_end = (Q(deadline__isnull=False) & Q(deadline__lte=day)) | (
        Q(deadline__isnull=True) & Q(plan__year__lt=day.year + (1 if (day.month, day.day) == (12, 31) else 0))
    )
    start = _span_start()
    end = Coalesce(F("deadline"), _YearEnd(F("plan__year")), output_field=models.DateField())
    span = _DaysBetween(end, start)
    elapsed = _DaysBetween(Value(day), start)
    within = Q(LessThan(start, Value(day))) & Q(LessThan(F("progress") * span, elapsed * 100))
    return (after_end & Q(progress__lt=100)) | (~after_end & within)


def overdue_q(as_of: dt.date) -> Q:
    """SQL form of ``lag(...) == Lag.OVERDUE`` on ``Task``: open and past its deadline."""
    return open_q() & Q(deadline__lt=as_of)


def lagging_q(as_of: dt.date) -> Q:
    """SQL form of ``lag(...) is not None`` on ``Task``."""
    return overdue_q(as_of) | (open_q() & (behind_q(as_of) | Q(status=TaskStatus.DELAYED)))


def lag_expr(as_of: dt.date) -> Case:
    """SQL form of ``lag`` on ``Task``: a ``Lag`` value, or "" when the task is not lagging."""
    return Case(
        When(~open_q(), then=Value("")),
        When(deadline__lt=as_of, then=Value(Lag.OVERDUE.value)),
        When(behind_q(as_of), then=Value(Lag.BEHIND.value)),
        When(status=TaskStatus.DELAYED, then=Value(Lag.MARKED.value)),
        default=Value(""),
        output_field=models.CharField(),
    )


def reported_value(field: str = "pk") -> Subquery:
    """SQL form of ``reported``: annotate a ``Task`` queryset with a field of its latest approved
    report (its id by default)."""
    return Subquery(
        ProgressReport.objects.filter(task=OuterRef("pk"), state=ReviewState.APPROVED)
        .order_by("-period")
        .values(field)[:1]
    )


def reported_reports(task_ids: Iterable[int]) -> dict[int, ProgressReport]:
    """{task id: its reported (latest approved) report} for a page of tasks, in two reads."""
    ids = (
        Task.objects.filter(pk__in=list(task_ids))
        .annotate(reported=reported_value())
        .exclude(reported=None)
        .values_list("reported", flat=True)
    )
    rows = ProgressReport.objects.filter(pk__in=list(ids)).only(
        "id", "task_id", "period", "state", "text", "percent", "is_zero_report", "zero_reason", "submitted_at"
    )
    return {r.task_id: r for r in rows}


__all__ = [
    "CLOSED_STATUSES",
    "Lag",
    "PeriodState",
    "PeriodStatus",
    "TaskFacts",
    "behind_q",
    "in_plan",
    "in_plan_q",
    "in_span",
    "in_span_q",
    "is_behind",
    "is_late",
    "is_open",
    "is_overdue",
    "lag",
    "lag_expr",
    "lag_text",
    "lagging_q",
    "late_q",
    "lower_than_approved",
    "open_q",
    "overdue_q",
    "owes",
    "owes_q",
    "period_state",
    "period_state_expr",
    "period_states",
    "plan_periods",
    "planned_periods",
    "reckoning_day",
    "report_is_late",
    "reported",
    "reported_reports",
    "reported_value",
    "span_bounds",
    "span_periods",
    "time_progress",
    "unreported_state",
]
