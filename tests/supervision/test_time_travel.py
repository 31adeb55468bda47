"""A synthetic task walked through its year day by day: every colour transition, on the day the
rules say (the days are worked out by hand in the comments, from the default thresholds)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.core.colours import Colour
from taizhang.ledger.models import Milestone, ProgressReport, ReviewState, Task, TaskStatus
from taizhang.supervision.models import ColourChange, TaskColour
from taizhang.supervision.refresh import refresh
from tests.conftest import at

D = dt.date
R, Y, G, W = Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.WHITE


def test_a_year_day_by_day(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    # Span 1 Jan – 30 Jun: 180 days. 序时进度 = floor(100 × day / 180), day 0 = 1 Jan, reckoned to
    # the end of the last closed month (windows close on the 5th): 0 until 5 Feb, then 16 (31 Jan,
    # day 30), 32 from 6 Mar (28 Feb, day 58), 49 from 6 Apr (31 Mar, day 89), 66 from 6 May
    # (30 Apr, day 119), 83 from 6 Jun, 100 from 6 Jul.
    task = Task.objects.create(plan=ledger.plan, seq=9, code="9", title="时间旅行", deadline=D(2026, 6, 30))
    milestone = Milestone.objects.create(task=task, due_on=D(2026, 3, 15), description="方案编制")

    def report(period: str, percent: int, day: dt.date) -> None:
        ProgressReport.objects.create(
            task=task,
            period=period,
            percent=percent,
            submitted_at=at(day),
            submitted_by=people.reporter,
            state=ReviewState.APPROVED,
        )
        Task.objects.filter(pk=task.pk).update(progress=percent)

    events = {
        D(2026, 2, 3): lambda: report("2026-01", 15, D(2026, 2, 3)),
        D(2026, 3, 3): lambda: report("2026-02", 30, D(2026, 3, 3)),
        D(2026, 3, 14): lambda: Milestone.objects.filter(pk=milestone.pk).update(done=True),
        D(2026, 4, 3): lambda: report("2026-03", 38, D(2026, 4, 3)),
        D(2026, 7, 10): lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE),
    }
    day = D(2026, 1, 1)
    while day <= D(2026, 8, 31):
        if day in events:
            events[day]()
        refresh(Task.objects.filter(pk=task.pk), day, at(day))
        day += dt.timedelta(days=1)

    changes = [
        (c.as_of, c.before, c.after) for c in ColourChange.objects.filter(task=task).order_by("at", "id")
    ]
    assert changes == [
        (D(2026, 1, 1), "", G),  # 序时进度 0; on 6 Feb 16 − 15 = 1, on 6 Mar 32 − 30 = 2
        (D(2026, 3, 8), G, Y),  # the milestone of 15 March is 7 days away
        (D(2026, 3, 14), Y, G),  # … and done
        (D(2026, 4, 6), G, Y),  # reckoned to 31 March: 49 − 38 = 11 (on 5 April still 32 − 38)
        (D(2026, 5, 6), Y, R),  # reckoned to 30 April: 66 − 38 = 28 (and April missing: yellow too)
        (D(2026, 7, 10), R, W),  # done: 销号
    ]
    stored = TaskColour.objects.get(task=task)
    assert (stored.colour, stored.reasons, stored.as_of) == (W, ["已完成销号"], D(2026, 8, 31))


def test_refreshing_twice_records_nothing_new(ledger: SimpleNamespace) -> None:
    tasks = Task.objects.filter(plan=ledger.plan)
    assert refresh(tasks, D(2026, 11, 3)) == 3
    assert refresh(tasks, D(2026, 11, 3)) == 0
    assert ColourChange.objects.count() == 3


def test_a_row_moved_by_another_process_is_not_recorded_again(
    ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taizhang.supervision import refresh as module

    tasks = Task.objects.filter(pk=ledger.town.pk)
    refresh(tasks, D(2026, 6, 1))
    assert TaskColour.objects.get(task=ledger.town).colour == R  # nothing reported: periods missing
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.DONE)
    stale = module.current_rows([ledger.town.pk])  # this process reads the row (red) …
    refresh(tasks, D(2026, 6, 2))  # … another process moves it to white and records the change …
    monkeypatch.setattr(module, "current_rows", lambda ids: stale)
    assert module.refresh(tasks, D(2026, 6, 2)) == 0  # … this one's compare-and-swap finds it moved
    assert ColourChange.objects.filter(task=ledger.town, after=W).count() == 1
    assert TaskColour.objects.get(task=ledger.town).colour == W
