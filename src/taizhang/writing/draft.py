"""A unit's year in the ledger, gathered for its year-end draft (工作总结及下一年工作计划).

Facts only, each read where it is kept and judged by the module that owns its rule:

- the tasks the unit leads (its subtree: a bureau's sections' tasks are the bureau's) in the year's
  plans, by category, each with its approved reports (``obligations``: what a task "has reported"
  is approved only), its status and progress, and why it lags (``obligations.lag_text``);
- its indicators' figures (``indicators.queries.summaries``: latest value, 同比, 完成率);
- what went wrong: tasks red now with supervision's reasons (stored ``TaskColour``), problems not
  yet signed off (``Problem``), notices still owing a reply (``AWAITING_REPLY``);
- what carries over: tasks neither done nor paused (``obligations.is_open``), problems' measures.

``draft_text`` words it; what the ledger lacks stays a visible placeholder there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from taizhang.accounts.models import Unit
from taizhang.accounts.units import unit_subtree_ids
from taizhang.core.colours import Colour
from taizhang.indicators import figures
from taizhang.indicators import queries as indicator_queries
from taizhang.indicators.models import Indicator
from taizhang.ledger import obligations
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan, ProgressReport, ReviewState, Task, TaskStatus
from taizhang.reports.enumerators import match_enumerator
from taizhang.supervision.models import AWAITING_REPLY, Notice
from taizhang.supervision.problem_models import Problem, ProblemState

UNCATEGORISED = "其他工作"


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    title: str
    content: str
    done: bool
    is_open: bool
    status: str  # its label
    progress: int
    deadline: dt.date | None
    reported: tuple[str, ...]  # approved reports' texts, oldest first
    lag: str  # ``obligations.lag_text`` ("" when on track or closed)
    behind: bool  # lags as ``Lag.BEHIND``: its reason already states the progress


@dataclass(frozen=True)
class Category:
    name: str
    tasks: tuple[TaskFacts, ...]


@dataclass(frozen=True)
class IndicatorFacts:
    name: str
    measure: str
    value: str | None  # the latest value as entered (None: nothing entered)
    period: str | None
    yoy: figures.Figure
    completion: figures.Figure


@dataclass(frozen=True)
class ProblemFacts:
    title: str
    measures: str


@dataclass(frozen=True)
class Draft:
    unit: str
    year: int
    as_of: dt.date
    categories: tuple[Category, ...]
    indicators: tuple[IndicatorFacts, ...]
    red: tuple[tuple[str, tuple[str, ...]], ...]  # (task title, supervision's reasons)
    problems: tuple[ProblemFacts, ...]  # not signed off
    notices: tuple[str, ...]  # 文号 of notices still owing a reply
    carried: tuple[TaskFacts, ...]  # open at the year's end: the next year's work


def find_unit(name: str) -> Unit:
    """The unit a user names: its full name, else its short name or an alias when only one unit
    goes by it. A Chinese ``DomainError`` otherwise."""
    wanted = name.strip()
    exact = list(Unit.objects.filter(name=wanted)[:2])
    if len(exact) == 1:
        return exact[0]
    if not exact:
        exact = [u for u in Unit.objects.filter(Q(short_name=wanted) | Q(aliases__contains=wanted))]
        exact = [u for u in exact if wanted in u.all_names()]
    if not exact:
        raise DomainError(f"单位不存在：{wanted}", field="unit")
    if len(exact) > 1:
        names = "、".join(sorted(u.label for u in exact))
        raise DomainError(f"有多个单位叫“{wanted}”（{names}），请写全称", field="unit")
    return exact[0]


def _category(path: list[str]) -> str:
    """A task's work area: the deepest heading of its plan under a single top heading (the plan's
    一、重点工作安排 holds its areas), its enumerator dropped (the draft numbers its own)."""
    parts = [str(p) for p in path or []]
    heading = parts[1] if len(parts) > 1 else parts[0] if parts else ""
    found = match_enumerator(heading)
    return heading[found.end if found else 0 :].strip() or UNCATEGORISED


def gather(unit: Unit, year: int, as_of: dt.date) -> Draft:
    """The unit's year: its led tasks in the year's plans, its indicators, problems and notices."""
    units = unit_subtree_ids(unit)
    plans = Plan.objects.filter(year=year)
    tasks = list(
        Task.objects.filter(plan__in=plans, lead_unit_id__in=units)
        .select_related("plan", "colour")
        .order_by("plan_id", "seq", "id")
    )
    if not tasks and not Indicator.objects.filter(plan__in=plans, owner_unit_id__in=units).exists():
        raise DomainError(f"{unit.name}在{year}年的工作计划中没有牵头任务或指标，无法起草", field="unit")
    approved: dict[int, list[str]] = {}
    for task_id, text in (
        ProgressReport.objects.filter(task__in=[t.pk for t in tasks], state=ReviewState.APPROVED)
        .order_by("task_id", "period")
        .values_list("task_id", "text")
    ):
        if text.strip():
            approved.setdefault(task_id, []).append(text.strip())
    facts: dict[int, TaskFacts] = {}
    by_category: dict[str, list[TaskFacts]] = {}
    for task in tasks:
        one = TaskFacts(
            task_id=task.pk,
            title=task.title,
            content=task.content,
            done=task.status == TaskStatus.DONE,
            is_open=obligations.is_open(task),
            status=task.get_status_display(),
            progress=task.progress,
            deadline=task.deadline,
            reported=tuple(approved.get(task.pk, ())),
            lag=obligations.lag_text(task, task.plan, as_of),
            behind=obligations.lag(task, task.plan, as_of) == obligations.Lag.BEHIND,
        )
        facts[task.pk] = one
        by_category.setdefault(_category(task.category_path), []).append(one)
    red = tuple(
        (t.title, tuple(t.colour.reasons))
        for t in tasks
        if getattr(t, "colour", None) is not None and t.colour.colour == Colour.RED
    )
    indicators = Indicator.objects.filter(plan__in=plans, owner_unit_id__in=units).order_by(
        "sort_order", "id"
    )
    indicator_facts = tuple(
        IndicatorFacts(
            name=row.indicator.name,
            measure=row.indicator.measure,
            value=figures.number_text(row.summary.value) if row.summary.value is not None else None,
            period=row.summary.period,
            yoy=row.summary.yoy,
            completion=row.summary.completion,
        )
        for row in indicator_queries.summaries(indicators.select_related("plan"), as_of)
    )
    problems = tuple(
        ProblemFacts(p.title, p.measures)
        for p in Problem.objects.filter(plan__in=plans, unit_id__in=units)
        .exclude(state=ProblemState.CLOSED)
        .order_by("id")
    )
    notices = tuple(
        n.doc_number
        for n in Notice.objects.filter(plan__in=plans, unit_id__in=units, state__in=AWAITING_REPLY).order_by(
            "issued_at", "id"
        )
    )
    return Draft(
        unit=unit.name,
        year=year,
        as_of=as_of,
        categories=tuple(Category(name, tuple(items)) for name, items in by_category.items()),
        indicators=indicator_facts,
        red=red,
        problems=problems,
        notices=notices,
        carried=tuple(f for f in facts.values() if f.is_open),
    )
