"""Colour counts for a plan: overall, per lead unit and per responsible leader, week by week, and
the tasks that changed colour lately. Counts only (the colours are ``colours``'s, stored by
``refresh``, their history by ``ColourChange``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from taizhang.core.colours import ORDER, Colour
from taizhang.ledger.models import Task
from taizhang.ledger.periods import day_start, local_date
from taizhang.ledger.queries import colour_counts
from taizhang.supervision.models import ColourChange

# "Lately": the overview's and the cockpit's list of colour changes go back this many days.
RECENT_DAYS = 7


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


def changes_since(tasks: QuerySet[Task], since: dt.datetime) -> QuerySet[ColourChange]:
    """Colour changes of ``tasks`` since ``since`` (the first colouring of a task is not a change)."""
    return ColourChange.objects.filter(task__in=tasks, at__gte=since).exclude(before="")


def recent_changes(tasks: QuerySet[Task], since: dt.datetime, limit: int = 20) -> list[ColourChange]:
    """``changes_since``, newest first, with their tasks."""
    return list(
        changes_since(tasks, since).select_related("task", "task__lead_unit").order_by("-at", "-id")[:limit]
    )


@dataclass(frozen=True)
class WeekColours:
    """How many tasks had each colour at the end of the week starting ``monday`` (``ORDER``)."""

    monday: dt.date
    counts: list[tuple[Colour, int]]


def weekly_counts(tasks: QuerySet[Task], now: dt.datetime, weeks: int = 12) -> list[WeekColours]:
    """``tasks`` by colour at the end of each of the last ``weeks`` weeks (Monday to Sunday; the
    current week, last, as of ``now``). Read backwards from the stored colours: each change recorded
    after a week ended is undone — one GROUP BY of the changes by (before, after) with a count per
    week's end, whatever the number of tasks. A task not yet coloured at a week's end is not
    counted in it."""
    today = local_date(now)
    mondays = [today - dt.timedelta(days=today.weekday(), weeks=k) for k in reversed(range(weeks))]
    ends = [day_start(monday + dt.timedelta(weeks=1)) for monday in mondays[:-1]]  # local midnights
    current = Counter({colour.value: n for colour, n in colour_counts(tasks)})
    # (before, after, changes after the end of week 0, of week 1, …)
    later: list[tuple[Any, ...]] = []
    if ends:
        names = [f"after_{i}" for i in range(len(ends))]
        later = list(
            ColourChange.objects.filter(task__in=tasks.order_by().values("pk"), at__gte=ends[0], at__lte=now)
            .order_by()
            .values("before", "after")
            .annotate(
                **{name: Count("id", filter=Q(at__gte=end)) for name, end in zip(names, ends, strict=True)}
            )
            .values_list("before", "after", *names)
        )
    found = []
    for i, monday in enumerate(mondays):
        counts = Counter(current)
        for before, after, *undone in later if i < len(ends) else []:
            counts[after] -= undone[i]  # recorded after this week ended: undo it
            if before:
                counts[before] += undone[i]
        found.append(WeekColours(monday, [(c, counts[c.value]) for c in ORDER]))
    return found
