"""Periods: keys, bounds, windows, late and missing reports for an explicit "as of" date."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.ledger import obligations, periods
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Cadence, ProgressReport, TaskStatus
from tests.conftest import at

D = dt.date


@pytest.mark.parametrize(
    ("day", "cadence", "key"),
    [
        (D(2026, 3, 15), Cadence.MONTHLY, "2026-03"),
        (D(2026, 12, 31), Cadence.MONTHLY, "2026-12"),
        (D(2026, 3, 15), Cadence.WEEKLY, "2026-W11"),
        (D(2026, 1, 1), Cadence.WEEKLY, "2026-W01"),
        (D(2027, 1, 1), Cadence.WEEKLY, "2026-W53"),
        (D(2026, 3, 31), Cadence.QUARTERLY, "2026-Q1"),
        (D(2026, 10, 1), Cadence.QUARTERLY, "2026-Q4"),
    ],
)
def test_period_for(day: dt.date, cadence: str, key: str) -> None:
    assert periods.period_for(day, cadence) == key
    first, last = periods.period_bounds(key)
    assert first <= day <= last


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2026-12", D(2026, 12, 1), D(2026, 12, 31)),
        ("2026-W11", D(2026, 3, 9), D(2026, 3, 15)),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31)),
    ],
)
def test_period_bounds(key: str, first: dt.date, last: dt.date) -> None:
    assert periods.period_bounds(key) == (first, last)


@pytest.mark.parametrize("bad", ["2026-13", "2026-3", "2026-W54", "2026-Q5", "March", "", "2025-W53"])
def test_malformed_period_is_a_domain_error_in_chinese(bad: str) -> None:
    with pytest.raises(DomainError, match=r"报送期格式不正确|没有第"):
        periods.period_bounds(bad)


def test_labels() -> None:
    assert periods.period_label("2026-03") == "2026年3月"
    assert periods.period_label("2026-W11") == "2026年第11周"
    assert periods.period_label("2026-Q1") == "2026年第一季度"


def test_periods_between_and_next() -> None:
    assert periods.periods_between(D(2026, 11, 20), D(2027, 2, 1), Cadence.MONTHLY) == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    assert len(periods.periods_between(D(2026, 1, 1), D(2026, 12, 31), Cadence.WEEKLY)) == 53
    assert periods.periods_between(D(2026, 1, 1), D(2026, 12, 31), Cadence.QUARTERLY)[-1] == "2026-Q4"
    assert periods.periods_between(D(2026, 5, 1), D(2026, 4, 1), Cadence.MONTHLY) == []
    assert periods.next_period("2026-12") == "2027-01"
    assert periods.next_period("2026-W53") == "2027-W01"


def test_window_closes_days_after_the_period() -> None:
    window = periods.report_window("2026-03", 5)
    assert (window.opens, window.closes) == (D(2026, 3, 1), D(2026, 4, 5))
    assert window.is_open(D(2026, 4, 5)) and not window.is_open(D(2026, 4, 6))
    assert periods.report_window("2026-Q1", 10).closes == D(2026, 4, 10)


def test_open_periods(ledger: SimpleNamespace) -> None:
    assert periods.open_periods(ledger.plan, D(2026, 4, 3)) == ["2026-03", "2026-04"]
    assert periods.open_periods(ledger.plan, D(2026, 4, 20)) == ["2026-04"]


def report(task: object, period: str, day: str, **extra: object) -> ProgressReport:
    return ProgressReport.objects.create(
        task=task, period=period, text="进展", percent=10, submitted_at=at(day), **extra
    )


def _states(task: object, as_of: dt.date) -> dict[str, str]:
    return {s.period: s.state for s in obligations.period_states(task, as_of)}  # type: ignore[arg-type]


def test_an_open_task_owes_past_its_deadline_a_done_one_stops_there(ledger: SimpleNamespace) -> None:
    town = ledger.town  # deadline 31 October
    assert obligations.span_periods(town, town.plan)[-1] == "2026-12"
    town.status = TaskStatus.DONE
    assert obligations.span_periods(town, town.plan)[-1] == "2026-10"
    assert len(obligations.span_periods(ledger.transport, ledger.plan)) == 12


def test_missing_and_late(ledger: SimpleNamespace) -> None:
    task = ledger.transport
    report(task, "2026-01", "2026-01-28")  # on time
    report(task, "2026-02", "2026-03-09")  # window closed 5 March: late
    # 2026-03 never reported
    report(task, "2026-04", "2026-04-30")
    statuses = {s.period: s for s in obligations.period_states(task, D(2026, 5, 3))}
    assert statuses["2026-01"].state == "on_time"
    assert statuses["2026-02"].state == "late" and statuses["2026-02"].label == "逾期报送"
    assert statuses["2026-03"].state == "missing"
    assert statuses["2026-04"].state == "on_time"
    assert statuses["2026-05"].state == "open"
    assert statuses["2026-06"].state == "upcoming"
    missing = [p for p, s in _states(task, D(2026, 6, 6)).items() if s == "missing"]
    assert missing == ["2026-03", "2026-05"]


def test_done_or_paused_tasks_owe_nothing(ledger: SimpleNamespace) -> None:
    task = ledger.transport
    task.status = TaskStatus.PAUSED
    assert set(_states(task, D(2026, 6, 30)).values()) == {"exempt"}


def test_weekly_plan(ledger: SimpleNamespace) -> None:
    plan = ledger.plan
    plan.cadence = Cadence.WEEKLY
    plan.report_window_days = 2
    plan.save()
    task = ledger.transport
    task.refresh_from_db()
    assert obligations.span_periods(task, task.plan)[0] == "2026-W01"
    # week 1 (29 Dec – 4 Jan) closes 6 Jan; week 2 (5–11 Jan) closes 13 Jan
    states = _states(task, D(2026, 1, 14))
    assert [p for p, s in states.items() if s == "missing"] == ["2026-W01", "2026-W02"]
