"""Reading through the API: only what the caller's scope holds; everything else is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from taizhang.ledger import obligations, permissions, services
from taizhang.ledger.models import Cadence, Milestone, Plan, Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


@pytest.fixture
def housing_plan(org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    """A plan of 住建局 itself, with one task only 住建局 works on."""
    plan = Plan.objects.create(year=2026, owner_unit=org.housing, title="住建局2026年工作要点")
    task = Task.objects.create(plan=plan, seq=1, code="1", title="住建局内部任务", lead_unit=org.housing)
    return SimpleNamespace(plan=plan, task=task)


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"transport", "housing", "town", "own"}),
        ("supervisor", {"transport", "housing", "town", "own"}),
        ("leader", {"transport", "housing", "town", "own"}),
        ("bureau_supervisor", {"transport", "town"}),
        ("bureau_leader", {"transport", "town"}),
        ("reporter", {"transport", "town"}),
        ("section_reporter", set()),
        ("housing_reporter", {"transport", "housing", "own"}),
        ("town_reporter", {"town"}),
    ],
)
def test_task_list_holds_exactly_the_tasks_in_scope(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    housing_plan: SimpleNamespace,
    who: str,
    expected: set[str],
) -> None:
    user = getattr(people, who)
    tasks = {"transport": ledger.transport, "housing": ledger.housing, "town": ledger.town}
    tasks["own"] = housing_plan.task
    response = login(user).get("/api/tasks")
    assert ids(response) == {tasks[name].pk for name in expected}
    assert ids(response) == set(permissions.tasks_in_scope(user).values_list("pk", flat=True))
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("reporter", {"county"}),
        ("housing_reporter", {"county", "housing"}),
        ("bureau_supervisor", {"county"}),
        ("section_reporter", set()),
        ("supervisor", {"county", "housing"}),
    ],
)
def test_plan_list_in_scope(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    housing_plan: SimpleNamespace,
    who: str,
    visible: set[str],
) -> None:
    plans = {"county": ledger.plan.pk, "housing": housing_plan.plan.pk}
    assert ids(login(getattr(people, who)).get("/api/plans")) == {plans[v] for v in visible}


def test_plan_detail_counts_only_tasks_in_scope(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    data = login(people.reporter).get(f"/api/plans/{ledger.plan.pk}").json()
    assert data["title"] == ledger.plan.title and data["task_count"] == 2
    assert data["owner_unit"]["name"] == "测试县人民政府" and data["cadence_label"] == "每月"
    counts = {c["status"]: c["count"] for c in data["status_counts"]}
    assert counts[TaskStatus.NOT_STARTED] == 2 and sum(counts.values()) == 2


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("town_reporter", "/api/tasks/{transport}"),
        ("town_reporter", "/api/tasks/{transport}/reports"),
        ("housing_reporter", "/api/tasks/{town}"),
        ("bureau_supervisor", "/api/tasks/{housing}"),
        ("bureau_leader", "/api/tasks/{housing}/reports"),
        ("reporter", "/api/plans/{housing_plan}"),
        ("section_reporter", "/api/plans/{plan}"),
        ("reporter", "/api/tasks/999999"),
    ],
)
def test_another_units_object_is_not_found(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    housing_plan: SimpleNamespace,
    who: str,
    url: str,
) -> None:
    url = url.format(
        transport=ledger.transport.pk,
        town=ledger.town.pk,
        housing=ledger.housing.pk,
        plan=ledger.plan.pk,
        housing_plan=housing_plan.plan.pk,
    )
    response = login(getattr(people, who)).get(url)
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


def test_report_of_another_unit_is_not_found(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="完成",
        percent=10,
        now=at("2026-04-01"),
    )
    assert login(people.reporter).get(f"/api/reports/{report.pk}").status_code == 404
    assert login(people.reporter).get("/api/reports").json()["count"] == 0
    assert login(people.housing_reporter).get(f"/api/reports/{report.pk}").status_code == 200
    assert login(people.supervisor).get("/api/reports?state=pending").json()["count"] == 1


def test_task_detail_has_milestones_and_latest_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    task = ledger.transport
    Milestone.objects.create(
        task=task, due_on=dt.date(2026, 6, 30), description="完成路基", expected_result="路基"
    )
    for period, percent in [("2026-02", 10), ("2026-03", 25)]:
        services.submit_report(
            task, people.reporter, period=period, text="推进", percent=percent, now=at("2026-04-01")
        )
    data = login(people.reporter).get(f"/api/tasks/{task.pk}").json()
    assert data["title"] == "推进县道改造" and data["plan_title"] == ledger.plan.title
    assert data["lead_unit"]["name"] == "县交通运输局"
    assert [u["name"] for u in data["co_units"]] == ["县住房和城乡建设局"]
    assert data["category_path"] == ["一、重点工作安排", "（一）交通建设"]
    assert [m["description"] for m in data["milestones"]] == ["完成路基"]
    latest = data["latest_report"]
    assert latest["period"] == "2026-03" and latest["percent"] == 25 and latest["period_label"] == "2026年3月"
    assert latest["state"] == "pending" and latest["state_label"] == "待审核"
    assert latest["submitted_by"]["username"] == "jiaotong" and latest["late"] is False

    reports = login(people.reporter).get(f"/api/tasks/{task.pk}/reports").json()
    assert [r["period"] for r in reports] == ["2026-03", "2026-02"]
    assert reports[1]["late"] is True  # February's window closed on 5 March


def test_filters_and_pagination(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.DELAYED)
    assert ids(client.get("/api/tasks?status=delayed")) == {ledger.town.pk}
    assert ids(client.get(f"/api/tasks?unit={org.housing.pk}")) == {ledger.transport.pk, ledger.housing.pk}
    # a unit filter takes the subtree: 交通运输局 holds 公路建设股
    section_task = Task.objects.create(plan=ledger.plan, seq=4, title="公路养护", lead_unit=org.section)
    assert ids(client.get(f"/api/tasks?unit={org.transport.pk}")) == {
        ledger.transport.pk,
        ledger.town.pk,
        section_task.pk,
    }
    assert ids(client.get(f"/api/tasks?plan={ledger.plan.pk + 1000}")) == set()
    # November: 美丽乡村 is past its deadline (31 October) and unfinished: it still owes ...
    everyone = {ledger.transport.pk, ledger.housing.pk, ledger.town.pk, section_task.pk}
    assert ids(client.get("/api/tasks?due=2026-11")) == everyone
    # ... until it is formally paused
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.PAUSED)
    assert ids(client.get("/api/tasks?due=2026-11")) == everyone - {ledger.town.pk}
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.DELAYED)

    first = client.get("/api/tasks?page_size=2").json()
    second = client.get("/api/tasks?page_size=2&page=2").json()
    assert first["count"] == second["count"] == 4 and first["page_size"] == 2
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}
    assert client.get("/api/tasks?page=9").json()["items"] == []


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("status=finished", 422, ["任务状态", "可选", "in_progress"]),
        ("page=0", 422, ["页码", "不能小于 1"]),
        ("page_size=1000", 422, ["每页条数", "不能大于 200"]),
        ("plan=abc", 422, ["计划", "应为整数"]),
        ("due=2026-13", 400, ["报送期格式不正确"]),
    ],
)
def test_bad_filters_get_a_chinese_message(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, query: str, status: int, words: list[str]
) -> None:
    response = login(people.supervisor).get(f"/api/tasks?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    detail = response.json()["detail"]
    assert all(word in detail for word in words), detail
    assert "Traceback" not in response.content.decode()


def test_due_filter_is_what_obligations_says_is_owed(
    org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    """``?due=`` lists the tasks that owe a report for the period (``obligations.owes``)."""
    plans = [
        Plan.objects.create(year=2026, owner_unit=org.root, title="月度", cadence=Cadence.MONTHLY),
        Plan.objects.create(
            year=2026,
            owner_unit=org.root,
            title="季度，6月起",
            cadence=Cadence.QUARTERLY,
            reporting_starts=dt.date(2026, 6, 1),
        ),
        Plan.objects.create(year=2026, owner_unit=org.root, title="每周", cadence=Cadence.WEEKLY),
        Plan.objects.create(year=2025, owner_unit=org.root, title="去年", cadence=Cadence.MONTHLY),
    ]
    deadlines = [None, dt.date(2026, 1, 15), dt.date(2026, 3, 31), dt.date(2026, 7, 1), dt.date(2027, 3, 1)]
    deadlines.append(dt.date(2025, 12, 1))
    tasks = [
        Task.objects.create(plan=plan, seq=i, title=f"{plan.title}{i}", lead_unit=org.town, deadline=deadline)
        for plan in plans
        for i, deadline in enumerate(deadlines)
    ]
    periods = ["2025-12", "2026-01", "2026-03", "2026-04", "2026-07", "2026-12", "2027-01"]
    periods += ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2025-W52", "2026-W01", "2026-W14", "2026-W53"]
    Task.objects.filter(pk__in=[t.pk for t in tasks[::3]]).update(status="done")
    tasks = list(Task.objects.select_related("plan"))
    client = login(people.supervisor)
    for period in periods:
        expected = {t.pk for t in tasks if obligations.owes(t, t.plan, period)}
        found = client.get(f"/api/tasks?due={period}&page_size=100").json()["items"]
        assert {item["id"] for item in found} == expected, period


def test_me(login: Login, people: SimpleNamespace) -> None:
    data = login(people.bureau_leader).get("/api/me").json()
    assert data["username"] == "jt_juzhang" and data["role"] == "leader" and data["role_label"] == "领导"
    assert data["unit"]["name"] == "县交通运输局"
