"""月通报: one plan's month, read from the ledger through the modules that own each rule.

Nothing here decides a rule; it asks and counts:

- which reports belong to the month, and whether each came on time, late or not at all:
  ``rankings.facts.month_periods`` and ``ledger.obligations.period_state_expr``;
- whether a task lags and why: ``obligations.lagging_q`` and ``obligations.lag_text``;
- colours: supervision's stored ``TaskColour`` (``ledger.queries.colour_counts``,
  ``supervision.overview.by_unit``), with the reasons ``supervision.colours`` gave;
- the league table: ``rankings.services.shown_table`` (the published snapshot when there is one);
- notices issued: the plan's ``Notice`` rows issued in the month.

Task states, progress and colours are as of ``as_of`` (the day the bulletin is written: the
ledger keeps no history of progress); reports, notices and the ranking are the month's. Who reads
it decides what it holds: the caller passes the tasks and notices in the reader's scope and the
league rows they may see (``ledger.permissions`` and its companions); the command line passes
none, for the whole plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce

from taizhang.core.colours import Colour
from taizhang.core.dates import chinese_date
from taizhang.ledger import obligations
from taizhang.ledger.models import Plan, Task, TaskStatus
from taizhang.ledger.obligations import PeriodState
from taizhang.ledger.periods import day_start, local_date, period_label, plan_window
from taizhang.ledger.queries import colour_counts
from taizhang.rankings import facts, services
from taizhang.rankings.scores import Row
from taizhang.supervision import overview
from taizhang.supervision.models import Notice, NoticeKind

NO_UNIT = "（未指定牵头单位）"
# The states a report of the month is counted in (upcoming and exempt periods are not owed yet).
COUNTED = (PeriodState.ON_TIME, PeriodState.LATE, PeriodState.MISSING, PeriodState.OPEN)


@dataclass(frozen=True)
class Summary:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    paused: int = 0
    marked_delayed: int = 0  # status 滞后 (the supervisor's mark)
    lagging: int = 0  # ``obligations.lagging_q``: overdue, behind 序时进度 or marked
    average: float = 0.0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    open: int = 0  # window still open on ``as_of``

    @property
    def owed(self) -> int:
        return self.on_time + self.late + self.missing + self.open


@dataclass(frozen=True)
class UnitLine:
    unit_id: int | None
    unit: str
    tasks: int
    done: int
    lagging: int
    average: float
    colours: tuple[tuple[Colour, int], ...]
    on_time: int = 0
    late: int = 0
    missing: int = 0


@dataclass(frozen=True)
class LaggingTask:
    task_id: int
    code: str
    title: str
    unit: str
    deadline: dt.date | None
    progress: int
    reason: str  # ``obligations.lag_text``
    colour: Colour | None
    colour_reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReportLine:
    """A task whose reports of the month came late (or not at all), with those periods."""

    task_id: int
    code: str
    title: str
    unit: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class NoticeLine:
    notice_id: int
    number: str
    kind: str
    unit: str
    subject: str
    issued_on: dt.date
    reply_due: dt.date
    state: str


@dataclass(frozen=True)
class Bulletin:
    plan_id: int
    plan_title: str
    issuer: str
    month: str
    as_of: dt.date
    date: dt.date  # 成文日期
    number: str = ""  # 发文字号
    partial: bool = False  # limited to a reader's scope (not the plan's owner side)
    periods: tuple[str, ...] = ()
    window_closes: dt.date | None = None  # the last of the month's periods' reporting windows
    summary: Summary = field(default_factory=Summary)
    colours: tuple[tuple[Colour, int], ...] = ()
    uncoloured: int = 0
    units: tuple[UnitLine, ...] = ()
    lagging: tuple[LaggingTask, ...] = ()
    late: tuple[ReportLine, ...] = ()
    missing: tuple[ReportLine, ...] = ()
    league: tuple[Row, ...] = ()
    league_published: bool = False
    notices: tuple[NoticeLine, ...] = ()
    notice_counts: tuple[tuple[str, int], ...] = ()

    @property
    def month_label(self) -> str:
        return period_label(self.month)

    @property
    def month_number(self) -> int:
        return int(self.month[5:])

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)

    @property
    def title(self) -> str:
        return f"关于{self.plan_title}{self.month_number}月份推进情况的通报"


def build(
    plan: Plan,
    month: str,
    as_of: dt.date,
    *,
    tasks: QuerySet[Task] | None = None,
    notices: QuerySet[Notice] | None = None,
    visible_units: set[int] | None = None,
    partial: bool = False,
    issuer: str = "",
    number: str = "",
    date: dt.date | None = None,
) -> Bulletin:
    """The bulletin of ``plan`` for ``month`` (``YYYY-MM``, one of the plan's months; a Chinese
    ``DomainError`` otherwise). ``tasks`` / ``notices`` / ``visible_units`` limit it to a reader's
    scope (``None``: the whole plan)."""
    facts.check_month(plan, month)
    first, last = facts.month_bounds(month)
    tasks = (tasks if tasks is not None else Task.objects.all()).filter(plan=plan)
    notices = (notices if notices is not None else Notice.objects.all()).filter(plan=plan)
    periods = facts.month_periods(plan, month)

    late, missing, by_unit_reports, report_counts = _reports(plan, tasks, periods, as_of)
    counts = colour_counts(tasks)
    colour_rows = {row.key: row for row in overview.by_unit(tasks)}
    units = [
        UnitLine(
            unit_id=row["lead_unit_id"],
            unit=row["lead_unit__name"] or NO_UNIT,
            tasks=row["total"],
            done=row["done"],
            lagging=row["lagging"],
            average=float(row["average"]),
            colours=tuple(colour_rows[str(row["lead_unit_id"] or "")].counts),
            **by_unit_reports.get(row["lead_unit_id"], {}),
        )
        for row in tasks.order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            lagging=Count("id", filter=obligations.lagging_q(as_of)),
            average=Coalesce(Avg("progress"), 0.0),
        )
    ]
    units.sort(key=lambda u: (u.unit_id is None, u.unit))
    league = services.shown_table(plan, month, as_of)
    issued = notices.filter(
        issued_at__gte=day_start(first), issued_at__lt=day_start(last + dt.timedelta(days=1))
    )
    notice_lines = [
        NoticeLine(
            n.pk,
            n.doc_number,
            n.get_kind_display(),
            n.unit.name,
            n.subject,
            local_date(n.issued_at),
            n.reply_due,
            n.get_state_display(),
        )
        for n in issued.select_related("unit").order_by("issued_at", "id")
    ]
    kinds = Counter(line.kind for line in notice_lines)
    return Bulletin(
        plan_id=plan.pk,
        plan_title=plan.title,
        issuer=issuer or plan.owner_unit.name,
        month=month,
        as_of=as_of,
        date=date or as_of,
        number=number,
        partial=partial,
        periods=tuple(periods),
        window_closes=max((plan_window(plan, p).closes for p in periods), default=None),
        summary=_summary(tasks, as_of, report_counts),
        colours=tuple(counts),
        uncoloured=tasks.filter(colour__isnull=True).count(),
        units=tuple(units),
        lagging=_lagging(plan, tasks, as_of),
        late=tuple(late),
        missing=tuple(missing),
        league=tuple(r for r in league if visible_units is None or r.unit_id in visible_units),
        league_published=services.published(plan, month) is not None,
        notices=tuple(notice_lines),
        notice_counts=tuple((str(kind.label), kinds[str(kind.label)]) for kind in NoticeKind),
    )


def _summary(tasks: QuerySet[Task], as_of: dt.date, reports: Counter[str]) -> Summary:
    found = tasks.order_by().aggregate(
        total=Count("id"),
        lagging=Count("id", filter=obligations.lagging_q(as_of)),
        average=Coalesce(Avg("progress"), 0.0),
        **{status.value: Count("id", filter=Q(status=status)) for status in TaskStatus},
    )
    return Summary(
        total=found["total"],
        done=found[TaskStatus.DONE.value],
        in_progress=found[TaskStatus.IN_PROGRESS.value],
        not_started=found[TaskStatus.NOT_STARTED.value],
        paused=found[TaskStatus.PAUSED.value],
        marked_delayed=found[TaskStatus.DELAYED.value],
        lagging=found["lagging"],
        average=float(found["average"]),
        on_time=reports[PeriodState.ON_TIME],
        late=reports[PeriodState.LATE],
        missing=reports[PeriodState.MISSING],
        open=reports[PeriodState.OPEN],
    )


def _reports(
    plan: Plan, tasks: QuerySet[Task], periods: list[str], as_of: dt.date
) -> tuple[list[ReportLine], list[ReportLine], dict[int | None, dict[str, int]], Counter[str]]:
    """The month's late and missing reports (a line per task, with its periods), counts per lead
    unit and in total: each task's ``PeriodState`` for each of the month's periods
    (``ledger.queries.period_states``)."""
    per_unit: dict[int | None, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    flagged: dict[tuple[str, int], list[str]] = defaultdict(list)  # (state, task) → periods
    counted = [s.value for s in COUNTED]
    for period in periods:
        rows = (
            tasks.order_by()
            .annotate(state=obligations.period_state_expr(period, as_of, plan))
            .filter(state__in=counted)
            .values_list("id", "lead_unit_id", "state")
        )
        for task_id, unit_id, state in rows:
            total[state] += 1
            per_unit[unit_id][state] += 1
            if state in (PeriodState.LATE, PeriodState.MISSING):
                flagged[state, task_id].append(period)
    # The flagged tasks' names, in the document's order: by unit, then as the plan lists them.
    named = (
        Task.objects.filter(pk__in={task_id for _, task_id in flagged})
        .order_by("lead_unit__name", "seq", "id")
        .values_list("id", "code", "title", "lead_unit__name")
    )
    late: list[ReportLine] = []
    missing: list[ReportLine] = []
    for pk, code, title, unit in named:
        for state, lines in ((PeriodState.LATE, late), (PeriodState.MISSING, missing)):
            if (state, pk) in flagged:
                lines.append(ReportLine(pk, code, title, unit or NO_UNIT, tuple(flagged[state, pk])))
    by_unit = {
        unit_id: {
            "on_time": c[PeriodState.ON_TIME],
            "late": c[PeriodState.LATE],
            "missing": c[PeriodState.MISSING],
        }
        for unit_id, c in per_unit.items()
    }
    return late, missing, by_unit, total


def _lagging(plan: Plan, tasks: QuerySet[Task], as_of: dt.date) -> tuple[LaggingTask, ...]:
    rows = (
        tasks.filter(obligations.lagging_q(as_of))
        .select_related("lead_unit", "colour")
        .order_by("lead_unit__name", "seq", "id")
    )
    out = []
    for task in rows:
        stored = getattr(task, "colour", None)  # supervision's TaskColour (none until coloured)
        out.append(
            LaggingTask(
                task_id=task.pk,
                code=task.code,
                title=task.title,
                unit=task.lead_unit.name if task.lead_unit else NO_UNIT,
                deadline=task.deadline,
                progress=task.progress,
                reason=obligations.lag_text(task, plan, as_of),
                colour=Colour(stored.colour) if stored is not None else None,
                colour_reasons=tuple(stored.reasons) if stored is not None else (),
            )
        )
    return tuple(out)
