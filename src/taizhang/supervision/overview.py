"""Colour counts for a plan: overall, per lead unit and per responsible leader, and the tasks
that changed colour lately. Counts only (the colours are ``colours``'s, stored by ``refresh``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from taizhang.core.colours import ORDER, Colour
from taizhang.ledger.models import Task
from taizhang.supervision.models import ColourChange


@dataclass
class ColourRow:
    """One unit's or leader's tasks by colour (``counts`` in ``ORDER``)."""

    label: str
    key: str  # the plan page's filter value (a unit id, a leader's name)
    counts: list[tuple[Colour, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def severity(self) -> tuple[int, ...]:
        return tuple(-n for _, n in self.counts)  # most red first, then most yellow …


def _rows(grouped: dict[tuple[str, str], dict[str, int]]) -> list[ColourRow]:
    rows = [
        ColourRow(label, key, [(c, by_colour.get(c.value, 0)) for c in ORDER])
        for (key, label), by_colour in grouped.items()
    ]
    return sorted(rows, key=lambda r: (r.severity, r.label))


def by_unit(tasks: QuerySet[Task]) -> list[ColourRow]:
    grouped: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for unit_id, name, colour, n in (
        tasks.order_by()
        .values_list("lead_unit_id", "lead_unit__name", "colour__colour")
        .annotate(n=Count("id"))
    ):
        key = (str(unit_id or ""), name or "未指定牵头单位")
        grouped[key][colour or ""] = n
    return _rows(grouped)


def by_leader(tasks: QuerySet[Task]) -> list[ColourRow]:
    """Per responsible leader: the account's name, else the name typed on the task."""
    grouped: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    name = Coalesce(NullIf("leader__full_name", Value("")), NullIf("leader_name", Value("")))
    for leader, colour, n in (
        tasks.order_by().annotate(who=name).values_list("who", "colour__colour").annotate(n=Count("id"))
    ):
        key = (leader or "", leader or "未指定责任领导")
        grouped[key][colour or ""] = grouped[key].get(colour or "", 0) + n
    return _rows(grouped)


def recent_changes(tasks: QuerySet[Task], since: dt.datetime, limit: int = 20) -> list[ColourChange]:
    """Colour changes of ``tasks`` since ``since``, newest first (the first colouring of a task is
    not a change)."""
    return list(
        ColourChange.objects.filter(task__in=tasks, at__gte=since)
        .exclude(before="")
        .select_related("task", "task__lead_unit")
        .order_by("-at", "-id")[:limit]
    )
