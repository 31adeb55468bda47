"""The reporting rules, case by case (expected answers worked out by hand)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from taizhang.ledger import obligations as ob
from taizhang.ledger.models import Cadence, Plan, ProgressReport, ReviewState, Task, TaskStatus
from tests.conftest import at

D = dt.date
PS = ob.PeriodState


def _plan(**extra: object) -> Plan:
    fields: dict[str, object] = {"cadence": Cadence.MONTHLY, "report_window_days": 5, **extra}
    return Plan(year=2026, title="计划", **fields)


def _task(status: str = TaskStatus.IN_PROGRESS, deadline: dt.date | None = None, progress: int = 0) -> Task:
    return Task(status=status, deadline=deadline, progress=progress)


def test_an_overdue_unfinished_task_keeps_owing_until_done_or_paused() -> None:
    plan = _plan()
    overdue = _task(deadline=D(2026, 6, 30))
    assert ob.owes(overdue, plan, "2026-06")
    assert ob.owes(overdue, plan, "2026-11")  # past the deadline: still owes
    assert ob.period_state(overdue, plan, "2026-10", D(2026, 11, 30), None) == PS.MISSING
    assert ob.period_state(overdue, plan, "2026-11", D(2026, 11, 30), None) == PS.OPEN
    for closed in (TaskStatus.DONE, TaskStatus.PAUSED):
        task = _task(status=closed, deadline=D(2026, 6, 30))
        assert not ob.owes(task, plan, "2026-03")
        assert ob.in_span(task, plan, "2026-06") and not ob.in_span(task, plan, "2026-07")
        assert ob.period_state(task, plan, "2026-10", D(2026, 11, 30), None) == PS.EXEMPT


def test_span_is_the_plans_periods_of_its_cadence() -> None:
    plan = _plan(reporting_starts=D(2026, 3, 10))
    task = _task()
    assert ob.span_periods(task, plan)[0] == "2026-03"
    assert not ob.owes(task, plan, "2026-02")
    assert not ob.owes(task, plan, "2027-01")
    assert not ob.owes(task, plan, "2026-Q1")  # another cadence
    assert not ob.owes(task, plan, "bad")
    done_early = _task(status=TaskStatus.DONE, deadline=D(2025, 12, 1))
    assert ob.span_periods(done_early, plan) == ["2026-03"]  # at least the plan's first period


def test_window_states_by_day() -> None:
    plan, task = _plan(), _task(deadline=D(2026, 12, 31))
    assert ob.period_state(task, plan, "2026-11", D(2026, 10, 31), None) == PS.UPCOMING
    assert ob.period_state(task, plan, "2026-11", D(2026, 11, 1), None) == PS.OPEN
    assert ob.period_state(task, plan, "2026-10", D(2026, 11, 5), None) == PS.OPEN  # window: 5 Nov
    assert ob.period_state(task, plan, "2026-10", D(2026, 11, 6), None) == PS.MISSING


def test_late_is_judged_on_the_first_submission() -> None:
    plan, task = _plan(), _task()
    # October closes on 5 November (Asia/Shanghai)
    assert ob.period_state(task, plan, "2026-10", D(2026, 12, 1), at("2026-11-05", 23)) == PS.ON_TIME
    assert ob.period_state(task, plan, "2026-10", D(2026, 12, 1), at("2026-11-06", 0)) == PS.LATE
    report = ProgressReport(
        period="2026-10",
        first_submitted_at=at("2026-11-03"),  # on time, returned on 20 November, corrected on 25th
        submitted_at=at("2026-11-25"),
        state=ReviewState.PENDING,
    )
    assert not ob.report_is_late(report, plan)
    # a report, once submitted, is judged whatever the task's state now
    done = _task(status=TaskStatus.DONE)
    assert ob.period_state(done, plan, "2026-10", D(2026, 12, 1), at("2026-11-20")) == PS.LATE


def test_late_starts_at_local_midnight_after_the_window() -> None:
    """October's window closes on 5 November: the last microsecond of that day in Asia/Shanghai
    is on time, its next midnight (16:00 UTC on the 5th) is late, whichever zone the time is in."""
    plan = _plan()
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    last = dt.datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=shanghai)
    assert not ob.is_late(plan, "2026-10", last)
    assert ob.is_late(plan, "2026-10", last + dt.timedelta(microseconds=1))
    assert ob.is_late(plan, "2026-10", dt.datetime(2026, 11, 5, 16, 0, tzinfo=dt.UTC))
    assert not ob.is_late(plan, "2026-10", dt.datetime(2026, 11, 5, 15, 59, 59, tzinfo=dt.UTC))
    # a naive time is read as local time
    assert not ob.is_late(plan, "2026-10", dt.datetime(2026, 11, 5, 23, 59))
    assert ob.is_late(plan, "2026-10", dt.datetime(2026, 11, 6, 0, 0))
    assert ob.late_from(plan, "2026-10") == dt.datetime(2026, 11, 5, 16, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("plan", "as_of", "expected"),
    [
        (_plan(), D(2026, 1, 20), D(2026, 1, 1)),  # nothing closed yet: the plan's start
        (_plan(), D(2026, 12, 1), D(2026, 10, 31)),  # November's window is open until 5 December
        (_plan(), D(2026, 12, 5), D(2026, 10, 31)),  # … including the 5th
        (_plan(), D(2026, 12, 6), D(2026, 11, 30)),
        (_plan(), D(2027, 2, 1), D(2026, 12, 31)),  # after the plan: its last period
        (_plan(cadence=Cadence.QUARTERLY, report_window_days=10), D(2026, 7, 10), D(2026, 3, 31)),
        (_plan(cadence=Cadence.QUARTERLY, report_window_days=10), D(2026, 7, 11), D(2026, 6, 30)),
        (_plan(reporting_starts=D(2026, 3, 1)), D(2026, 4, 1), D(2026, 3, 1)),  # March not closed
        (_plan(reporting_starts=D(2026, 3, 1)), D(2026, 4, 6), D(2026, 3, 31)),
    ],
)
def test_reckoning_day_is_the_end_of_the_last_closed_period(
    plan: Plan, as_of: dt.date, expected: dt.date
) -> None:
    assert ob.reckoning_day(plan, as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "progress", "expected"),
    [
        (D(2026, 1, 1), 0, 0),  # the span starts: nothing elapsed
        (D(2026, 7, 2), 41, 41),  # reckoned to 31 May (June's window is open): 150 of 364 days
        (D(2026, 7, 6), 49, 49),  # reckoned to 30 June: 180 of 364 days
        (D(2026, 12, 31), 91, 91),  # reckoned to 30 November: 333 of 364 days
        (D(2027, 1, 6), 99, 100),  # December closed: all of the span
    ],
)
def test_time_progress(as_of: dt.date, progress: int, expected: int) -> None:
    task = _task(deadline=D(2026, 12, 31), progress=progress)
    assert ob.time_progress(task, _plan(), as_of) == expected


def test_lagging_reasons_and_precedence() -> None:
    plan = _plan()
    as_of = D(2026, 7, 6)  # reckoned to 30 June: 序时进度 180/364 = 49.45 % of a year-long task
    assert ob.lag(_task(deadline=D(2026, 12, 31), progress=50), plan, as_of) is None
    assert ob.lag(_task(deadline=D(2026, 12, 31), progress=49), plan, as_of) == ob.Lag.BEHIND
    assert ob.lag(_task(deadline=None, progress=49), plan, as_of) == ob.Lag.BEHIND  # to the plan's end
    # a month earlier in the window, June's figure is not yet owed: May's share (41 %) is the bar
    assert ob.lag(_task(deadline=D(2026, 12, 31), progress=42), plan, D(2026, 7, 2)) is None
    overdue = _task(deadline=D(2026, 6, 30), progress=99)
    assert ob.lag(overdue, plan, as_of) == ob.Lag.OVERDUE
    assert ob.lag_text(overdue, plan, as_of) == "已超过完成时限 6 天"
    marked = _task(status=TaskStatus.DELAYED, deadline=D(2026, 12, 31), progress=80)
    assert ob.lag(marked, plan, as_of) == ob.Lag.MARKED
    assert ob.lag(_task(status=TaskStatus.PAUSED, deadline=D(2026, 6, 30)), plan, as_of) is None
    assert ob.lag(_task(status=TaskStatus.DONE, deadline=D(2026, 6, 30)), plan, as_of) is None
    behind = _task(deadline=D(2026, 12, 31), progress=30)
    assert ob.lag_text(behind, plan, as_of) == "完成进度 30%，落后于序时进度 49%"


def test_reported_progress_is_the_latest_approved_report() -> None:
    reports = [
        ProgressReport(period="2026-09", state=ReviewState.APPROVED, percent=60),
        ProgressReport(period="2026-10", state=ReviewState.APPROVED, percent=70),
        ProgressReport(period="2026-11", state=ReviewState.PENDING, percent=90),
        ProgressReport(period="2026-08", state=ReviewState.RETURNED, percent=10),
    ]
    found = ob.reported(reports)
    assert found is not None and found.period == "2026-10"
    assert ob.reported(reports[2:]) is None


def test_query_forms_on_a_saved_task(org: SimpleNamespace) -> None:
    """The same overdue task in SQL: owing after its deadline, lagging, its October missing."""
    plan = Plan.objects.create(year=2026, owner_unit=org.root, title="计划")
    task = Task.objects.create(
        plan=plan, title="任务", deadline=D(2026, 6, 30), status=TaskStatus.IN_PROGRESS
    )
    as_of = D(2026, 11, 30)
    assert Task.objects.filter(ob.owes_q("2026-11")).get() == task
    assert Task.objects.filter(ob.lagging_q(as_of)).get() == task
    state = Task.objects.annotate(s=ob.period_state_expr("2026-10", as_of)).values_list("s", flat=True).get()
    assert state == PS.MISSING
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.PAUSED)
    assert not Task.objects.filter(ob.owes_q("2026-11")).exists()
    assert not Task.objects.filter(ob.lagging_q(as_of)).exists()
