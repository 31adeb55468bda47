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
        rows = list(
            Task.objects.filter(pk__in=chunk)
            .select_related("plan", "lead_unit")
            .order_by("plan_id", "seq", "id")
        )
        milestones: dict[int, list[Milestone]] = defaultdict(list)
        for m in Milestone.objects.filter(task_id__in=chunk).only("task_id", "due_on", "done", "description"):
            milestones[m.task_id].append(m)
        firsts: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
        for task_id, period, first in ProgressReport.objects.filter(task_id__in=chunk).values_list(
            "task_id", "period", "first_submitted_at"
        ):
            firsts[task_id][period] = first
        for task in rows:
            if task.plan_id not in plans:
                plans[task.plan_id] = (task.plan, thresholds_of(task.plan))
            plan, rules = plans[task.plan_id]
            task.plan = plan
            verdict = task_colour(task, plan, milestones[task.pk], firsts[task.pk], as_of, rules)
            yield Coloured(task, verdict)


def current_rows(task_ids: list[int]) -> dict[int, TaskColour]:
    """The stored colours of these tasks, as this process reads them (another may move them next)."""
    return {c.task_id: c for c in TaskColour.objects.filter(task_id__in=task_ids)}


def store(coloured: Iterable[Coloured], as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Store each verdict; return how many tasks changed colour (each change recorded once)."""
    now = now or timezone.now()
    items = list(coloured)
    current = {c.task_id: c for c in TaskColour.objects.filter(task_id__in=[i.task.pk for i in items])}
    changed = 0
    for item in items:
        verdict, reasons = item.verdict, list(item.verdict.reasons)
        row = current.get(item.task.pk)
        if row is None:
            try:
                with transaction.atomic():
                    TaskColour.objects.create(
                        task=item.task, colour=verdict.colour, reasons=reasons, as_of=as_of, since=now
                    )
                    ColourChange.objects.create(
                        task=item.task, at=now, as_of=as_of, before="", after=verdict.colour, reasons=reasons
                    )
            except IntegrityError:  # another process stored it first: it recorded the change
                continue
            changed += 1
        elif row.colour != verdict.colour:
            with transaction.atomic():
                moved = TaskColour.objects.filter(pk=row.pk, colour=row.colour).update(
                    colour=verdict.colour, reasons=reasons, as_of=as_of, since=now
                )
                if moved:
                    ColourChange.objects.create(
                        task=item.task,
                        at=now,
                        as_of=as_of,
                        before=row.colour,
                        after=verdict.colour,
                        reasons=reasons,
                    )
                    changed += 1
        elif row.reasons != reasons or row.as_of != as_of:
            TaskColour.objects.filter(pk=row.pk, colour=row.colour).update(reasons=reasons, as_of=as_of)
    return changed


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
