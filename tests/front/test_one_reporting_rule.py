"""The disagreements users saw (issue 6), each answered now by ``ledger.obligations`` alone."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import Plan, Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def _now(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    moment = at(day)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def test_an_overdue_unfinished_task_stays_on_the_reporters_list(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """美丽乡村 (青石镇) was due on 31 October and is not done: in November it still owes its
    report, the plan page does not say 无需报送, and the reporter's 滞后 card agrees with the leader."""
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.IN_PROGRESS, progress=60)
    _now(monkeypatch, "2026-11-20")
    client = login(people.town_reporter)
    home = client.get(reverse("front:home"))
    data = home.context["reporter"]
    assert [(r.task.code, r.period) for r in data.due] == [("1.3", "2026-11")]
    assert home.context["lagging_total"] == 1
    leader = login(people.leader).get(reverse("front:home")).context["leader"]
    assert "1.3" in [t.code for t, _ in leader.lagging]
    page = login(people.supervisor).get(reverse("ledger:plan_detail", args=[ledger.plan.pk]))
    rows = {task.code: owes for task, _, owes in page.context["rows"]}
    assert rows["1.3"] is True
    # formally paused, it owes nothing more
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.PAUSED)
    assert client.get(reverse("front:home")).context["reporter"].due == []


def test_a_late_return_does_not_make_the_unit_late(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """February reported on 2 March (window closes 5 March); the supervisor returned it on
    20 March and the bureau corrected it on 25 March: the bureau reported on time."""
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-02", text="二月", percent=10, now=at("2026-03-02")
    )
    report = services.review_report(
        report, people.supervisor, approve=False, comment="请补充", expected_version=report.version
    )
    report = services.submit_report(
        ledger.transport,
        people.reporter,
        period="2026-02",
        text="二月（补充）",
        percent=10,
        expected_version=report.version,
        now=at("2026-03-25"),
    )
    _now(monkeypatch, "2026-04-10")  # February and March closed
    plan = login(people.supervisor).get(reverse("front:home")).context["supervisor"].plan
    assert plan.period == "2026-03"
    assert login(people.reporter).get(reverse("front:home")).context["reporter"].late_count == 0
    api = login(people.supervisor).get(f"/api/tasks/{ledger.transport.pk}/reports").json()
    assert [(r["period"], r["late"]) for r in api] == [("2026-02", False)]
    review = login(people.supervisor).get(reverse("ledger:report_review", args=[report.pk]))
    assert review.context["late"] is False


def test_the_supervisor_home_shows_the_period_still_open_for_reporting(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 3 December November's window is open until 5 December: 本期 is November, 上期 October."""
    _now(monkeypatch, "2026-12-03")
    response = login(people.supervisor).get(reverse("front:home"))
    plan = response.context["supervisor"].plan
    assert (plan.current, plan.period) == ("2026-11", "2026-10")
    body = response.content.decode()
    assert "本期（2026年11月" in body and "上期（2026年10月" in body


def test_home_counts_one_plan_chosen_by_the_user(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    """Two plans in scope: the page counts the current year's plan by default, says so, and
    switches to the plan chosen (remembered for the next visit)."""
    other = Plan.objects.create(year=2026, owner_unit=org.transport, title="交通局2026年工作要点")
    for seq in range(5):
        Task.objects.create(plan=other, seq=seq, title=f"要点{seq}", lead_unit=org.transport)
    client = login(people.leader)
    first = client.get(reverse("front:home"))
    assert first.context["plan"] == ledger.plan
    assert first.context["task_total"] == 3
    assert sum(g.total for g in first.context["leader"].by_unit) == 3
    assert "本页所有统计均为" in first.content.decode() and ledger.plan.title in first.content.decode()
    chosen = client.get(reverse("front:home"), {"plan": other.pk})
    assert chosen.context["plan"] == other and chosen.context["task_total"] == 5
    assert sum(g.total for g in chosen.context["leader"].by_unit) == 5
    assert client.get(reverse("front:home")).context["plan"] == other  # remembered
    # a plan the user may not see falls back to the default
    hidden = Plan.objects.create(year=2026, owner_unit=org.town, title="青石镇计划")
    Task.objects.create(plan=hidden, title="镇里的事", lead_unit=org.town)
    reporter = login(people.reporter).get(reverse("front:home"), {"plan": hidden.pk})
    assert reporter.context["plan"] != hidden


def test_print_and_excel_show_the_same_reported_progress(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """Both show the latest approved report; a pending (or returned) one is not yet a fact."""
    from openpyxl import load_workbook

    feb = services.submit_report(
        ledger.transport,
        people.reporter,
        period="2026-02",
        text="二月已审核",
        percent=10,
        now=at("2026-03-02"),
    )
    services.review_report(feb, people.supervisor, approve=True, expected_version=feb.version)
    services.submit_report(
        ledger.transport,
        people.reporter,
        period="2026-03",
        text="三月待审核",
        percent=20,
        now=at("2026-03-30"),
    )
    client = login(people.supervisor)
    printed = client.get(reverse("ledger:plan_print", args=[ledger.plan.pk])).content.decode()
    assert "二月已审核" in printed and "三月待审核" not in printed
    export = client.get(reverse("ledger:plan_export", args=[ledger.plan.pk]))
    sheet = load_workbook(
        io.BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    )
    cells = {str(c.value) for row in sheet.active.iter_rows() for c in row if c.value}
    assert "二月已审核" in cells and "三月待审核" not in cells
