"""The screens' plain functions: periods being reported, audit
descriptions, double-post detection, choices."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.front.dashboards import recent_reports
from taizhang.ledger import periods, permissions, services
from taizhang.ledger.audit import task_audit_entries
from taizhang.ledger.models import Plan, Task, TaskStatus
from taizhang.ledger.queries import (
    category_choices,
    parse_category,
    same_submission,
)
from taizhang.ledger.timeline import audit_events, describe_changes
from tests.conftest import at

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("as_of", "due", "closed"),
    [
        (D(2025, 12, 20), None, None),
        (D(2026, 1, 10), "2026-01", None),
        (D(2026, 2, 3), "2026-01", None),  # January's window is open until 5 February
        (D(2026, 2, 6), "2026-02", "2026-01"),
        (D(2026, 12, 31), "2026-12", "2026-11"),
        (D(2027, 1, 5), "2026-12", "2026-11"),
        (D(2027, 1, 6), "2026-12", "2026-12"),  # the plan is over: its last period
    ],
)
def test_due_and_last_closed_period(
    ledger: SimpleNamespace, as_of: dt.date, due: str | None, closed: str | None
) -> None:
    assert periods.due_period(ledger.plan, as_of) == due
    assert periods.last_closed_period(ledger.plan, as_of) == closed


def test_category_choices_in_document_order(ledger: SimpleNamespace) -> None:
    Task.objects.filter(pk=ledger.town.pk).update(category_path=["二、保障措施"])
    Task.objects.filter(pk=ledger.housing.pk).update(category_path=["一、重点工作安排", "（二）城建"])
    choices = category_choices(Task.objects.filter(plan=ledger.plan))
    assert choices == [
        ("一、重点工作安排", "一、重点工作安排"),
        ("一、重点工作安排 › （一）交通建设", "　（一）交通建设"),
        ("一、重点工作安排 › （二）城建", "　（二）城建"),
        ("二、保障措施", "二、保障措施"),
    ]
    assert parse_category(choices[1][0]) == ("一、重点工作安排", "（一）交通建设")
    assert parse_category("") == ()


def test_visible_plans(ledger: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace) -> None:
    own = Plan.objects.create(year=2026, owner_unit=org.transport, title="交通局内部计划")
    assert set(permissions.plans_in_scope(people.supervisor)) == {ledger.plan, own}
    assert set(permissions.plans_in_scope(people.bureau_supervisor)) == {ledger.plan, own}
    assert set(permissions.plans_in_scope(people.reporter)) == {
        ledger.plan
    }  # reporters: plans with their tasks
    assert set(permissions.plans_in_scope(people.section_reporter)) == set()


def test_same_submission(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="完成", percent=30, now=at("2026-03-30")
    )
    same = {"text": " 完成 ", "percent": 30, "is_zero_report": False, "zero_reason": ""}
    assert same_submission(report, people.reporter, **same)
    assert not same_submission(report, people.housing_reporter, **same)
    assert not same_submission(report, people.reporter, **{**same, "percent": 31})
    assert not same_submission(report, people.reporter, **{**same, "is_zero_report": True})


def test_recent_reports_merge_states_newest_first(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    a = services.submit_report(
        ledger.transport, people.reporter, period="2026-01", text="一", percent=5, now=at("2026-02-01")
    )
    services.review_report(a, people.supervisor, approve=True, expected_version=a.version)
    services.submit_report(
        ledger.transport, people.reporter, period="2026-02", text="二", percent=9, now=at("2026-03-01")
    )
    services.submit_report(
        ledger.housing, people.housing_reporter, period="2026-02", text="三", percent=1, now=at("2026-02-20")
    )
    assert [r.text for r in recent_reports(people.supervisor, ledger.plan)] == ["二", "三", "一"]
    assert [r.text for r in recent_reports(people.supervisor, ledger.plan, limit=2)] == ["二", "三"]
    assert [r.text for r in recent_reports(people.reporter, ledger.plan)] == ["二", "一"]
    assert [r.text for r in recent_reports(people.town_reporter, ledger.plan)] == []
    assert [r.text for r in recent_reports(people.section_reporter, ledger.plan)] == []


def test_audit_changes_are_described_in_chinese(
    ledger: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = Task.objects.get(pk=ledger.transport.pk)
    services.update_task(
        task,
        {
            "status": TaskStatus.DELAYED,
            "lead_unit": org.town,
            "co_units": [org.housing, org.office],
            "deadline": D(2026, 9, 30),
        },
        task.version,
        people.supervisor,
    )
    entries = [e for e in task_audit_entries(task) if e.action == e.Action.UPDATE]
    described = [(e.title, [(c.label, c.before, c.after) for c in e.changes]) for e in audit_events(entries)]
    changes = [change for _, rows in described for change in rows]
    assert ("状态", "未开始", "滞后") in changes
    assert ("牵头单位", "县交通运输局", "青石镇") in changes
    assert ("完成时限", "2026-12-31", "2026-09-30") in changes
    assert any(label == "配合单位" and "县政府办公室" in after for label, _, after in changes)
    assert all(title.startswith("修改任务") for title, _ in described)
    assert {entry.actor for entry in entries[:2]} == {people.supervisor}  # newest first
    assert describe_changes(entries[0], {}) is not None
