"""Colour counts week by week (``overview.weekly_counts``), read back from the stored colours
through the recorded changes; checked against a history written out by hand."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from taizhang.core.colours import Colour
from taizhang.ledger.models import Plan, Task
from taizhang.supervision import overview
from taizhang.supervision.models import ColourChange, TaskColour
from tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-04-15")  # a Wednesday: the weeks start on 30 March, 6 April and 13 April


def history(task: Any, *changes: tuple[dt.datetime, str, str]) -> None:
    """Record ``(at, before, after)`` changes and store the last colour as the current one."""
    for moment, before, after in changes:
        ColourChange.objects.create(
            task=task, at=moment, as_of=moment.date(), before=before, after=after, reasons=[]
        )
    moment, _, after = changes[-1]
    TaskColour.objects.create(task=task, colour=after, reasons=[], as_of=moment.date(), since=moment)


@pytest.fixture
def coloured(ledger: SimpleNamespace, org: SimpleNamespace) -> SimpleNamespace:
    # 1.1: green from 25 March, yellow on 8 April, red on 14 April.
    history(
        ledger.transport,
        (at("2026-03-25"), "", Colour.GREEN),
        (at("2026-04-08"), Colour.GREEN, Colour.YELLOW),
        (at("2026-04-14"), Colour.YELLOW, Colour.RED),
    )
    # 1.2: first coloured (yellow) on Tuesday 7 April.
    history(ledger.housing, (at("2026-04-07"), "", Colour.YELLOW))
    # 1.3: green since 1 March, signed off half an hour into Monday 13 April (Shanghai time: still
    # Sunday 12 April in UTC — the week is the local one).
    history(
        ledger.town,
        (at("2026-03-01"), "", Colour.GREEN),
        (at("2026-04-13", hour=0) + dt.timedelta(minutes=30), Colour.GREEN, Colour.WHITE),
    )
    # Another plan's task, red all along: never counted with the county plan's.
    other = Plan.objects.create(year=2026, owner_unit=org.transport, title="交通局计划")
    elsewhere = Task.objects.create(plan=other, seq=1, code="1", title="别的任务", lead_unit=org.transport)
    history(elsewhere, (at("2026-03-02"), "", Colour.RED))
    return ledger


def as_dict(week: overview.WeekColours) -> dict[str, int]:
    return {c.value: n for c, n in week.counts if n}


def test_each_weeks_end_by_hand(coloured: SimpleNamespace) -> None:
    weeks = overview.weekly_counts(Task.objects.filter(plan=coloured.plan), NOW, weeks=3)
    assert [w.monday for w in weeks] == [dt.date(2026, 3, 30), dt.date(2026, 4, 6), dt.date(2026, 4, 13)]
    assert [as_dict(w) for w in weeks] == [
        {"green": 2},  # 5 April: 1.1 and 1.3 green, 1.2 not yet coloured
        {"yellow": 2, "green": 1},  # 12 April: 1.1 and 1.2 yellow, 1.3 still green
        {"red": 1, "yellow": 1, "white": 1},  # now: the stored colours
    ]
    assert [c for c, _ in weeks[0].counts] == [Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.WHITE]


def test_only_the_tasks_asked_about(coloured: SimpleNamespace) -> None:
    weeks = overview.weekly_counts(Task.objects.filter(pk=coloured.transport.pk), NOW, weeks=3)
    assert [as_dict(w) for w in weeks] == [{"green": 1}, {"yellow": 1}, {"red": 1}]


def test_nothing_coloured_counts_nothing(ledger: SimpleNamespace) -> None:
    weeks = overview.weekly_counts(Task.objects.filter(plan=ledger.plan), NOW, weeks=2)
    assert [as_dict(w) for w in weeks] == [{}, {}]


def test_changes_since_leave_out_first_colourings(coloured: SimpleNamespace) -> None:
    found = overview.changes_since(Task.objects.filter(plan=coloured.plan), at("2026-04-08", hour=0))
    assert sorted((c.task.code, c.after) for c in found) == [
        ("1.1", Colour.RED),
        ("1.1", Colour.YELLOW),
        ("1.3", Colour.WHITE),
    ]
