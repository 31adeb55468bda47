"""The read side of the screens: which plans, tasks and reports a page lists, filtered and sorted.

Everything starts from ``permissions.tasks_in_scope`` (object-level permission), and every function is
bounded for large ledgers (10,000 tasks, 500,000 reports): counts and sums are done in SQL, lists
are paginated or sliced, and only the page's rows are loaded with their relations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    F,
    Min,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from taizhang.accounts import units
from taizhang.accounts.models import Unit, User
from taizhang.core.colours import ORDER, Colour
from taizhang.ledger import obligations, permissions
from taizhang.ledger.models import Plan, ProgressReport, ReviewState, Task, TaskStatus

CATEGORY_SEPARATOR = " › "


# --- plans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanStats:
    total: int = 0
    done: int = 0
    delayed: int = 0
    overdue: int = 0
    average: float = 0.0


def plan_stats(user: User, plan_ids: Iterable[int], as_of: dt.date) -> dict[int, PlanStats]:
    """Counts per plan over the tasks in the user's scope (one GROUP BY)."""
    rows = (
        permissions.tasks_in_scope(user)
        .filter(plan_id__in=list(plan_ids))
        .order_by()
        .values("plan_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            delayed=Count("id", filter=Q(status=TaskStatus.DELAYED)),
            overdue=Count("id", filter=obligations.overdue_q(as_of)),
            average=Coalesce(Avg("progress"), 0.0),
        )
    )
    return {
        row["plan_id"]: PlanStats(
            total=row["total"],
            done=row["done"],
            delayed=row["delayed"],
            overdue=row["overdue"],
            average=float(row["average"]),
        )
        for row in rows
    }


# --- the task list of a plan: filters and sorting -----------------------------------------------

SORTS: dict[str, tuple[str, ...]] = {
    "code": ("seq", "id"),
    "-code": ("-seq", "-id"),
    "deadline": ("deadline", "seq", "id"),
    "-deadline": ("-deadline", "seq", "id"),
    "progress": ("progress", "seq", "id"),
    "-progress": ("-progress", "seq", "id"),
}
SORT_LABELS = {"code": "编号", "deadline": "完成时限", "progress": "完成进度"}


@dataclass(frozen=True)
class TaskFilter:
    """What the plan page's filter form asks for (all optional)."""

    unit: Unit | None = None
    category: tuple[str, ...] = ()
    status: str = ""
    leader: str = ""
    colour: str = ""
    q: str = ""
    sort: str = "code"

    @property
    def active(self) -> bool:
        return bool(self.unit or self.category or self.status or self.leader or self.colour or self.q)


def filter_tasks(tasks: QuerySet[Task], spec: TaskFilter) -> QuerySet[Task]:
    """Apply a ``TaskFilter`` to a task queryset (already limited to the user's scope)."""
    if spec.unit is not None:
        ids = units.unit_subtree_ids(spec.unit)
        co = Task.co_units.through.objects.filter(unit_id__in=ids).values("task_id")
        tasks = tasks.filter(Q(lead_unit_id__in=ids) | Q(pk__in=co))
    for depth, heading in enumerate(spec.category):
        tasks = tasks.filter(**{f"category_path__{depth}": heading})
    if spec.status:
        tasks = tasks.filter(status=spec.status)
    if spec.leader:
        tasks = tasks.filter(Q(leader_name=spec.leader) | Q(leader__full_name=spec.leader))
    if spec.colour:  # the stored colour (supervision keeps it current); by name, no import upward
        tasks = tasks.filter(colour__colour=spec.colour)
    if spec.q:
        tasks = tasks.filter(
            Q(title__icontains=spec.q) | Q(content__icontains=spec.q) | Q(code__istartswith=spec.q)
        )
    return sort_tasks(tasks, spec.sort)


def sort_tasks(tasks: QuerySet[Task], sort: str) -> QuerySet[Task]:
    keys = SORTS.get(sort, SORTS["code"])
    ordering = [
        F(key.lstrip("-")).desc(nulls_last=True)
        if key.startswith("-")
        else F(key).asc(nulls_last=True)
        if key == "deadline"
        else key
        for key in keys
    ]
    return tasks.order_by(*ordering)


def category_choices(tasks: QuerySet[Task]) -> list[tuple[str, str]]:
    """Every heading prefix used by ``tasks``, in document order: (value, indented label)."""
    rows = tasks.order_by().values("category_path").annotate(first=Min("seq")).order_by("first")
    seen: dict[tuple[str, ...], None] = {}
    for row in rows:
        path = tuple(str(part) for part in (row["category_path"] or []))
        for depth in range(1, len(path) + 1):
            seen.setdefault(path[:depth], None)
    return [(CATEGORY_SEPARATOR.join(prefix), "　" * (len(prefix) - 1) + prefix[-1]) for prefix in seen]


def parse_category(value: str) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(CATEGORY_SEPARATOR) if part)


def leader_choices(tasks: QuerySet[Task]) -> list[str]:
    names = tasks.order_by().exclude(leader_name="").values_list("leader_name", flat=True).distinct()
    return sorted(set(names))


def unit_choices(user: User, tasks: QuerySet[Task]) -> QuerySet[Unit]:
    """Units to filter by: all units for those who see everything; otherwise the lead and
    co-operating units of the tasks they see."""
    if units.sees_everything(user):
        return Unit.objects.all()
    lead = tasks.order_by().exclude(lead_unit=None).values("lead_unit_id")
    co = Task.co_units.through.objects.filter(task__in=tasks.order_by().values("pk")).values("unit_id")
    return Unit.objects.filter(Q(pk__in=lead) | Q(pk__in=co))


def colour_counts(tasks: QuerySet[Task]) -> list[tuple[Colour, int]]:
    """How many of ``tasks`` have each colour (worst first; tasks not yet coloured are left out)."""
    rows = dict(
        tasks.order_by()
        .values_list("colour__colour")
        .annotate(n=Count("id"))
        .values_list("colour__colour", "n")
    )
    return [(c, rows.get(c.value, 0)) for c in ORDER]


def page_tasks(tasks: Iterable[Task]) -> list[Task]:
    """Load the co-operating units of one page of tasks (one query)."""
    rows = list(tasks)
    if rows:
        prefetch_related_objects(rows, "co_units")
    return rows


def reports_by_task(task_ids: Iterable[int], period: str) -> dict[int, ProgressReport]:
    """The reports of one period for a page of tasks: {task id: report}."""
    reports = ProgressReport.objects.filter(task_id__in=list(task_ids), period=period).only(
        "id", "task_id", "period", "state", "first_submitted_at", "is_zero_report", "version"
    )
    return {r.task_id: r for r in reports}


# --- review queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilter:
    plan: Plan | None = None
    unit: Unit | None = None


def pending_reports(user: User, spec: ReviewFilter | None = None) -> QuerySet[ProgressReport]:
    """Reports waiting for review (待审核) in the user's scope, oldest first.

    Ordered by (submitted_at, id), which the (state, submitted_at, id) index serves on both
    databases, so that the queue's pages neither repeat nor skip reports sharing a timestamp."""
    reports = permissions.reports_followed(user).filter(state=ReviewState.PENDING)
    if spec is not None and spec.plan is not None:
        reports = reports.filter(task__plan=spec.plan)
    if spec is not None and spec.unit is not None:
        ids = units.unit_subtree_ids(spec.unit)
        reports = reports.filter(task__lead_unit_id__in=ids)
    return reports.select_related("task", "task__plan", "task__lead_unit", "submitted_by").order_by(
        "submitted_at", "id"
    )


def with_attachments(reports: Iterable[ProgressReport]) -> list[ProgressReport]:
    rows = list(reports)
    if rows:
        prefetch_related_objects(rows, "attachments")
    return rows


# --- reporting ----------------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One (task, period) a reporter may act on, as shown on their home page."""

    task: Task
    period: str
    opens: dt.date
    closes: dt.date
    state: str = ""  # the report's review state, "" when nothing is submitted
    report: ProgressReport | None = None  # loaded for returned reports (comment, reviewer)
    late: bool = False
    leads: bool = True  # the reporter's unit leads the task (else it co-operates)

    @property
    def submitted(self) -> bool:
        return bool(self.state)

    @property
    def state_label(self) -> str:
        return str(ReviewState(self.state).label) if self.state else "未报送"

    @property
    def is_pending(self) -> bool:
        return self.state == ReviewState.PENDING

    @property
    def can_submit(self) -> bool:
        return self.state != ReviewState.APPROVED


def same_submission(
    report: ProgressReport,
    user: User,
    *,
    text: str,
    percent: int | None,
    is_zero_report: bool,
    zero_reason: str,
    lower_reason: str = "",
) -> bool:
    """Whether ``report`` already holds exactly this submission by this user (a form posted twice)."""
    if report.submitted_by_id != user.pk or report.state != ReviewState.PENDING:
        return False
    if report.is_zero_report != is_zero_report:
        return False
    if is_zero_report:
        return report.zero_reason == (zero_reason or "").strip()  # a 零报告 keeps the approved figure
    return report.text == (text or "").strip() and report.percent == percent
