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
    # Span 1 Jan – 30 Jun: 180 days, 序时进度 = floor(100 × day / 180), day 0 = 1 Jan.
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
        D(2026, 3, 3): lambda: report("2026-02", 40, D(2026, 3, 3)),
        D(2026, 3, 14): lambda: Milestone.objects.filter(pk=milestone.pk).update(done=True),
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
        (D(2026, 1, 1), "", G),  # 序时进度 0
        (D(2026, 1, 21), G, Y),  # day 20: 11 points behind (day 19: 10, not more than 10)
        (D(2026, 2, 3), Y, G),  # January reported at 15 %: 序时 18
        (D(2026, 2, 17), G, Y),  # day 47: 26 − 15 = 11
        (D(2026, 3, 3), Y, G),  # February at 40 %
        (D(2026, 3, 8), G, Y),  # the milestone of 15 March is 7 days away
        (D(2026, 3, 14), Y, G),  # … and done
        (D(2026, 4, 3), G, Y),  # day 92: 51 − 40 = 11
        (D(2026, 4, 30), Y, R),  # day 119: 66 − 40 = 26 (March missing since 6 April: yellow too)
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
