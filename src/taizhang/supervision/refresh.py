"""Compute colours for many tasks at once and store them (``TaskColour``), recording each change.

Reads the facts ``colours.task_colour`` needs in a few queries per chunk of tasks, so the
supervise job stays linear in the ledger's size. Storing is compare-and-swap: a change is written
(and recorded in ``ColourChange``) only by the process that moved the row from the colour it read,
so two supervise processes at once never record one change twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from taizhang.ledger.models import Milestone, Plan, ProgressReport, Task
from taizhang.supervision.colours import Thresholds, Verdict, task_colour
from taizhang.supervision.models import ColourChange, ColourRules, TaskColour

CHUNK = 1000
TASK_FIELDS = ("id", "plan_id", "seq", "code", "title", "status", "deadline", "progress", "lead_unit_id")


@dataclass(frozen=True)
class Coloured:
    task: Task
    verdict: Verdict


def thresholds_of(plan: Plan) -> Thresholds:
    try:
        return Thresholds.of(plan.colour_rules)
    except ColourRules.DoesNotExist:
        return Thresholds()


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def colour_tasks(tasks: QuerySet[Task] | Iterable[Task], as_of: dt.date) -> Iterator[Coloured]:
    """Each task with its colour on ``as_of`` (facts read per chunk of tasks, a few queries each)."""
    ids = (
        [t.pk for t in tasks] if not isinstance(tasks, QuerySet) else list(tasks.values_list("pk", flat=True))
    )
    plans: dict[int, tuple[Plan, Thresholds]] = {}
    for chunk in _chunks(ids):
        # Only what the rule and the status command read: model rows with timestamps are most
        # of the cost at 10,000 tasks. Plans are read once per run, not joined per task.
        rows = list(
            Task.objects.filter(pk__in=chunk)
            .select_related("lead_unit")
            .only(*TASK_FIELDS, "lead_unit__name")
            .order_by("plan_id", "seq", "id")
        )
        missing = {t.plan_id for t in rows} - plans.keys()
        for plan in Plan.objects.filter(pk__in=missing).select_related("colour_rules"):
            plans[plan.pk] = (plan, thresholds_of(plan))
        milestones: dict[int, list[Milestone]] = defaultdict(list)
        for m in Milestone.objects.filter(task_id__in=chunk).only("task_id", "due_on", "done", "description"):
            milestones[m.task_id].append(m)
        reported: dict[int, set[str]] = defaultdict(set)  # strings only: no timestamps to convert
        for task_id, period in ProgressReport.objects.filter(task_id__in=chunk).values_list(
            "task_id", "period"
        ):
            reported[task_id].add(period)
        for task in rows:
            plan, rules = plans[task.plan_id]
            task.plan = plan
            verdict = task_colour(task, plan, milestones[task.pk], reported[task.pk], as_of, rules)
            yield Coloured(task, verdict)


def current_rows(task_ids: list[int]) -> dict[int, TaskColour]:
    """The stored colours of these tasks, as this process reads them (another may move them next)."""
    rows = TaskColour.objects.filter(task_id__in=task_ids).only("id", "task_id", "colour", "reasons", "as_of")
    return {c.task_id: c for c in rows}


def store(coloured: Iterable[Coloured], as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Store each verdict; return how many tasks changed colour (each change recorded once).

    One transaction per batch (one commit, not one per task); inside it each write is a
    savepoint, so a row another process wrote first is skipped, not the batch."""
    now = now or timezone.now()
    items = list(coloured)
    current = current_rows([i.task.pk for i in items])
    changed = 0
    with transaction.atomic():
        fresh = [i for i in items if i.task.pk not in current]
        changed += _create(fresh, as_of, now)
        for item in items:
            row = current.get(item.task.pk)
            if row is not None:
                changed += _update(row, item, as_of, now)
    return changed


def _create(items: list[Coloured], as_of: dt.date, now: dt.datetime) -> int:
    """First colours: in bulk; if another process coloured one of them meanwhile, one by one."""
    if not items:
        return 0

    def rows(batch: list[Coloured]) -> tuple[list[TaskColour], list[ColourChange]]:
        colours = [
            TaskColour(
                task=i.task, colour=i.verdict.colour, reasons=list(i.verdict.reasons), as_of=as_of, since=now
            )
            for i in batch
        ]
        changes = [
            ColourChange(
                task=i.task,
                at=now,
                as_of=as_of,
                before="",
                after=i.verdict.colour,
                reasons=list(i.verdict.reasons),
            )
            for i in batch
        ]
        return colours, changes

    try:
        with transaction.atomic():
            colours, changes = rows(items)
            TaskColour.objects.bulk_create(colours)
            ColourChange.objects.bulk_create(changes)
            return len(items)
    except IntegrityError:
        pass
    created = 0
    for item in items:
        try:
            with transaction.atomic():
                colours, changes = rows([item])
                colours[0].save(force_insert=True)
                changes[0].save(force_insert=True)
                created += 1
        except IntegrityError:  # another process stored it first: it recorded the change
            continue
    return created


def _update(row: TaskColour, item: Coloured, as_of: dt.date, now: dt.datetime) -> int:
    """Compare-and-swap from the colour this process read: 1 if it recorded a change."""
    verdict, reasons = item.verdict, list(item.verdict.reasons)
    if row.colour != verdict.colour:
        moved = TaskColour.objects.filter(pk=row.pk, colour=row.colour).update(
            colour=verdict.colour, reasons=reasons, as_of=as_of, since=now
        )
        if moved:
            ColourChange.objects.create(
                task=item.task, at=now, as_of=as_of, before=row.colour, after=verdict.colour, reasons=reasons
            )
        return moved
    if row.reasons != reasons or row.as_of != as_of:
        TaskColour.objects.filter(pk=row.pk, colour=row.colour).update(reasons=reasons, as_of=as_of)
    return 0


def refresh(tasks: QuerySet[Task] | Iterable[Task], as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Recompute and store the colours of ``tasks`` on ``as_of``; the number that changed."""
    changed = 0
    batch: list[Coloured] = []
    for item in colour_tasks(tasks, as_of):
        batch.append(item)
        if len(batch) >= CHUNK:
            changed += store(batch, as_of, now)
            batch = []
    return changed + store(batch, as_of, now)
