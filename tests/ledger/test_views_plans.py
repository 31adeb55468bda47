"""Plan list and plan detail: scope per role, filters, sorting, pagination, htmx partial, print view."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from taizhang.accounts.models import Unit
from taizhang.ledger import services
from taizhang.ledger.models import Plan, Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def detail(client: Client, plan: Plan, **query: Any) -> Any:
    response = client.get(reverse("ledger:plan_detail", args=[plan.pk]), query)
    assert response.status_code == 200
    return response


def codes(response: Any) -> list[str]:
    return [task.code for task, _, _ in response.context["rows"]]


@pytest.fixture
def other_plan(org: SimpleNamespace) -> Plan:
    """A plan of 住建局 with one task of its own (nothing for 交通局)."""
    plan = Plan.objects.create(year=2026, owner_unit=org.housing, title="住建局2026年工作要点")
    Task.objects.create(plan=plan, seq=1, code="Z1", title="住建局内部任务", lead_unit=org.housing)
    return plan


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("supervisor", {"测试县2026年重点工作计划", "住建局2026年工作要点"}),
        ("leader", {"测试县2026年重点工作计划", "住建局2026年工作要点"}),
        ("reporter", {"测试县2026年重点工作计划"}),
        ("housing_reporter", {"测试县2026年重点工作计划", "住建局2026年工作要点"}),
        ("bureau_supervisor", {"测试县2026年重点工作计划"}),
        ("section_reporter", set()),
    ],
)
def test_plan_list_is_scoped(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    other_plan: Plan,
    who: str,
    titles: set[str],
) -> None:
    response = login(getattr(people, who)).get(reverse("ledger:plan_list"))
    assert response.status_code == 200
    assert {plan.title for plan, _, _ in response.context["rows"]} == titles


def test_plan_list_counts_only_tasks_in_scope(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(status=TaskStatus.DONE, progress=100)
    rows = login(people.reporter).get(reverse("ledger:plan_list")).context["rows"]
    ((_, stats, _period),) = rows
    assert stats.total == 2 and stats.done == 1 and stats.average == 50.0
    rows = login(people.supervisor).get(reverse("ledger:plan_list")).context["rows"]
    assert rows[0][1].total == 3


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("supervisor", ["1.1", "1.2", "1.3"]),
        ("leader", ["1.1", "1.2", "1.3"]),
        ("admin", ["1.1", "1.2", "1.3"]),
        ("reporter", ["1.1", "1.3"]),
        ("housing_reporter", ["1.1", "1.2"]),
        ("town_reporter", ["1.3"]),
    ],
)
def test_plan_detail_lists_tasks_in_scope(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str, expected: list[str]
) -> None:
    response = detail(login(getattr(people, who)), ledger.plan)
    assert codes(response) == expected
    body = response.content.decode()
    assert "测试县2026年重点工作计划" in body and "筛选" in body and "打印台账" in body


@pytest.mark.parametrize("who", ["section_reporter", "reporter"])
def test_plans_out_of_scope_are_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, other_plan: Plan, who: str
) -> None:
    client = login(getattr(people, who))
    if who == "section_reporter":
        assert client.get(reverse("ledger:plan_detail", args=[ledger.plan.pk])).status_code == 404
    assert client.get(reverse("ledger:plan_detail", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("ledger:plan_print", args=[other_plan.pk])).status_code == 404


def test_filter_by_unit_includes_co_operation_and_subunits(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    assert codes(detail(client, ledger.plan, unit=org.transport.pk)) == ["1.1", "1.3"]
    assert codes(detail(client, ledger.plan, unit=org.housing.pk)) == ["1.1", "1.2"]
    Task.objects.filter(pk=ledger.housing.pk).update(lead_unit=org.section)
    assert codes(detail(client, ledger.plan, unit=org.transport.pk)) == ["1.1", "1.2", "1.3"]


def test_filter_by_category_prefix(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    Task.objects.filter(pk=ledger.housing.pk).update(category_path=["一、重点工作安排", "（二）城市建设"])
    client = login(people.supervisor)
    response = detail(client, ledger.plan)
    choices = [value for value, _ in response.context["form"].fields["category"].choices]
    assert choices == [
        "",
        "一、重点工作安排",
        "一、重点工作安排 › （一）交通建设",
        "一、重点工作安排 › （二）城市建设",
    ]
    assert codes(detail(client, ledger.plan, category="一、重点工作安排")) == ["1.1", "1.2"]
    assert codes(detail(client, ledger.plan, category="一、重点工作安排 › （二）城市建设")) == ["1.2"]


def test_filter_by_status_leader_and_text(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    Task.objects.filter(pk=ledger.town.pk).update(status=TaskStatus.DELAYED, leader_name="赵国庆")
    client = login(people.supervisor)
    assert codes(detail(client, ledger.plan, status=TaskStatus.DELAYED)) == ["1.3"]
    assert codes(detail(client, ledger.plan, leader="赵国庆")) == ["1.3"]
    assert codes(detail(client, ledger.plan, q="老旧小区")) == ["1.2"]
    assert codes(detail(client, ledger.plan, q="48公里")) == ["1.1"]  # searches the content too
    assert codes(detail(client, ledger.plan, q="1.3")) == ["1.3"]
    assert codes(detail(client, ledger.plan, q="没有这样的任务")) == []
    assert "没有符合条件的任务" in detail(client, ledger.plan, q="没有这样的任务").content.decode()


def test_a_unit_outside_the_choices_is_ignored(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """A reporter cannot widen their view by guessing a unit id: the list stays in scope."""
    outsider = Unit.objects.create(name="外县单位")
    response = detail(login(people.reporter), ledger.plan, unit=outsider.pk, status="nonsense")
    assert codes(response) == ["1.1", "1.3"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("code", ["1.1", "1.2", "1.3"]),
        ("-code", ["1.3", "1.2", "1.1"]),
        ("deadline", ["1.3", "1.2", "1.1"]),
        ("-deadline", ["1.1", "1.2", "1.3"]),
        ("progress", ["1.2", "1.3", "1.1"]),
        ("-progress", ["1.1", "1.3", "1.2"]),
        ("bogus", ["1.1", "1.2", "1.3"]),
    ],
)
def test_sorting(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, sort: str, expected: list[str]
) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=60)
    Task.objects.filter(pk=ledger.town.pk).update(progress=30)
    assert codes(detail(login(people.supervisor), ledger.plan, sort=sort)) == expected


def test_pagination(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    Task.objects.bulk_create(
        Task(plan=ledger.plan, seq=10 + i, code=f"9.{i:02d}", title=f"批量任务{i}", lead_unit=org.town)
        for i in range(60)
    )
    client = login(people.supervisor)
    first = detail(client, ledger.plan)
    assert len(first.context["rows"]) == 50 and "第 1 / 2 页，共 63 条" in first.content.decode()
    second = detail(client, ledger.plan, page=2)
    assert len(second.context["rows"]) == 13
    assert len(detail(client, ledger.plan, page=99).context["rows"]) == 13


def test_htmx_gets_only_the_table(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    response = login(people.supervisor).get(
        reverse("ledger:plan_detail", args=[ledger.plan.pk]), {"q": "县道"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="task-table">') and "<html" not in body
    assert "推进县道改造" in body and "老旧小区" not in body
    assert "HX-Request" in response["Vary"]


def test_current_period_report_state_is_shown(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = at("2026-03-20")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    services.submit_report(ledger.transport, people.reporter, period="2026-03", text="进展", percent=10)
    response = detail(login(people.supervisor), ledger.plan)
    assert response.context["period"] == "2026-03"
    states = {
        task.code: (report.state if report else None, owes) for task, report, owes in response.context["rows"]
    }
    assert states == {"1.1": ("pending", True), "1.2": (None, True), "1.3": (None, True)}
    assert "2026年3月报送" in response.content.decode()


def test_print_view_lists_all_filtered_rows_in_ledger_columns(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    response = login(people.supervisor).get(
        reverse("ledger:plan_print", args=[ledger.plan.pk]), {"unit": org.transport.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    for column in ("序号", "任务内容", "责任领导", "牵头单位", "配合单位", "完成时限", "进展情况", "状态"):
        assert f">{column}<" in body
    assert "推进县道改造" in body and "打造美丽乡村示范点" in body and "老旧小区" not in body
    assert "已筛选" in body and "data-print" in body
    assert "尚未报送" in body


def test_print_view_shows_each_tasks_reported_progress(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The printed 台账 shows each task's latest *approved* report, as the Excel export does."""
    reports = [
        services.submit_report(
            ledger.transport, people.reporter, period=period, text=text, percent=10, now=at("2026-04-02")
        )
        for period, text in (("2026-02", "二月完成路基5公里"), ("2026-03", "三月完成路基12公里"))
    ]
    services.review_report(reports[0], people.supervisor, approve=True, expected_version=reports[0].version)
    zero = services.submit_report(
        ledger.town,
        people.town_reporter,
        period="2026-01",
        is_zero_report=True,
        zero_reason="冬季停工",
        now=at("2026-02-20"),
    )
    services.review_report(zero, people.supervisor, approve=True, expected_version=zero.version)
    response = login(people.supervisor).get(reverse("ledger:plan_print", args=[ledger.plan.pk]))
    shown = {task.code: report for task, report in response.context["rows"]}
    assert shown["1.1"].text == "二月完成路基5公里" and shown["1.2"] is None
    body = response.content.decode()
    assert "二月完成路基5公里" in body and "三月完成路基12公里" not in body  # March is pending
    assert "零报告：冬季停工" in body and "逾期报送" in body


def test_export_link_uses_the_importers_url_when_present(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    body = detail(login(people.supervisor), ledger.plan).content.decode()
    try:
        export = reverse("ledger:plan_export", args=[ledger.plan.pk])
    except NoReverseMatch:
        assert "导出 Excel" not in body
    else:
        assert f'href="{export}"' in body and "导出 Excel" in body


# --- links that carry the list's state ----------------------------------------------------------


def links(body: str) -> list[str]:
    import html
    import re

    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', body)]


def test_pager_links_lead_to_the_next_page(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    Task.objects.bulk_create(
        Task(plan=ledger.plan, seq=10 + i, code=f"9.{i:02d}", title=f"批量任务{i}", lead_unit=org.town)
        for i in range(60)
    )
    client = login(people.supervisor)
    url = reverse("ledger:plan_detail", args=[ledger.plan.pk])
    first = client.get(url, {"status": "not_started"}).content.decode()
    assert "??" not in first
    (next_link,) = [h for h in links(first) if "page=2" in h]
    assert next_link.startswith("?") and "status=not_started" in next_link
    second = client.get(url + next_link)
    assert second.context["page"].number == 2 and len(second.context["rows"]) == 13
    (previous,) = [h for h in links(second.content.decode()) if "page=1" in h]
    assert client.get(url + previous).context["page"].number == 1


def test_sort_links_sort(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=60)
    Task.objects.filter(pk=ledger.town.pk).update(progress=30)
    client = login(people.supervisor)
    url = reverse("ledger:plan_detail", args=[ledger.plan.pk])
    body = client.get(url).content.decode()
    assert "??" not in body
    (by_progress,) = [h for h in links(body) if "sort=progress" in h]
    response = client.get(url + by_progress)
    assert codes(response) == ["1.2", "1.3", "1.1"]
    (reverse_link,) = [h for h in links(response.content.decode()) if "sort=-progress" in h]
    assert codes(client.get(url + reverse_link)) == ["1.1", "1.3", "1.2"]


def test_no_template_writes_a_question_mark_before_querystring() -> None:
    """``{% querystring %}`` writes its own "?": "?{% querystring %}" made dead "??page=2" links."""
    from pathlib import Path

    import taizhang

    root = Path(taizhang.__file__).parent
    offenders = [str(p) for p in root.rglob("*.html") if "?{% querystring" in p.read_text("utf-8")]
    assert offenders == []


def test_print_and_export_links_carry_the_filters_on_screen(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    url = reverse("ledger:plan_detail", args=[ledger.plan.pk])
    # the htmx partial that replaces the table after a filter change holds the links too
    partial = client.get(url, {"unit": org.transport.pk, "page": 1}, HTTP_HX_REQUEST="true").content.decode()
    printed = reverse("ledger:plan_print", args=[ledger.plan.pk])
    exported = reverse("ledger:plan_export", args=[ledger.plan.pk])
    hrefs = links(partial)
    assert f"{printed}?unit={org.transport.pk}" in hrefs and f"{exported}?unit={org.transport.pk}" in hrefs
    body = client.get(f"{printed}?unit={org.transport.pk}").content.decode()
    assert "推进县道改造" in body and "老旧小区" not in body
