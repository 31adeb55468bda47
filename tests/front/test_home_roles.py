"""Home per role: the reporter's due list, the supervisor's plan at a glance, the leader's overview."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


@pytest.fixture
def april(
    ledger: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    """ "Now" is 3 April 2026: March's window is open until 5 April, April's has just opened,
    February's closed on 5 March.

    - 1.1 (交通局 leads): February reported late (10 March) and approved; March returned.
    - 1.2 (住建局): February on time and pending; March not yet reported.
    - 1.3 (青石镇 leads, 交通局 co-operates): February missing; marked 滞后.
    """
    transport, housing, town = ledger.transport, ledger.housing, ledger.town
    feb = services.submit_report(
        transport, people.reporter, period="2026-02", text="二月进展", percent=10, now=at("2026-03-10")
    )
    services.review_report(
        feb, people.supervisor, approve=True, expected_version=feb.version, now=at("2026-03-11")
    )
    march = services.submit_report(
        transport, people.reporter, period="2026-03", text="三月进展", percent=20, now=at("2026-03-30")
    )
    services.review_report(
        march,
        people.supervisor,
        approve=False,
        comment="请补充工程量",
        expected_version=march.version,
        now=at("2026-03-31"),
    )
    services.submit_report(
        housing, people.housing_reporter, period="2026-02", text="小区摸底", percent=5, now=at("2026-03-02")
    )
    fresh = Task.objects.get(pk=town.pk)
    services.update_task(fresh, {"status": TaskStatus.DELAYED}, fresh.version, people.supervisor)
    services.add_comment(town, people.leader, "进度滞后，请青石镇主要负责同志亲自调度")
    moment = at("2026-04-03")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return ledger


def home(client: Client) -> Any:
    response = client.get(reverse("front:home"))
    assert response.status_code == 200
    return response


def test_reporter_sees_what_is_due(login: Login, people: SimpleNamespace, april: SimpleNamespace) -> None:
    response = home(login(people.reporter))
    data = response.context["reporter"]
    due = {(row.task.code, row.period): (row.state or None, row.leads) for row in data.due}
    # 1.3 is 滞后 (not exempt): it still owes; 交通局 only co-operates on it
    assert due == {
        ("1.1", "2026-03"): ("returned", True),
        ("1.1", "2026-04"): (None, True),
        ("1.3", "2026-03"): (None, False),
        ("1.3", "2026-04"): (None, False),
    }
    assert [(r.task.code, r.period) for r in data.returned] == [("1.1", "2026-03")]
    assert [(r.task.code, r.period) for r in data.missing] == [
        ("1.1", "2026-01"),
        ("1.3", "2026-01"),
        ("1.3", "2026-02"),
    ]
    assert [(r.task.code, r.period) for r in data.late] == [("1.1", "2026-02")]
    assert [(period, str(closes)) for _, period, _, closes in data.periods] == [
        ("2026-03", "2026-04-05"),
        ("2026-04", "2026-05-05"),
    ]
    body = response.content.decode()
    assert "本期应报任务" in body and "请补充工程量" in body and "修改后重报" in body and "补报" in body
    assert "2026年3月" in body and "3月1日 至 4月5日" in body
    submit = reverse("ledger:report_submit", args=[april.transport.pk, "2026-04"])
    assert f'href="{submit}?next=/"' in body


def test_reporter_of_another_unit_sees_only_their_tasks(
    login: Login, people: SimpleNamespace, april: SimpleNamespace
) -> None:
    data = home(login(people.housing_reporter)).context["reporter"]
    assert {row.task.code for row in data.due} == {"1.1", "1.2"}
    assert {(r.task.code, r.period) for r in data.missing} == {("1.1", "2026-01"), ("1.2", "2026-01")}
    data = home(login(people.section_reporter)).context["reporter"]
    assert not data.due and not data.missing


def test_supervisor_sees_the_plan_at_a_glance(
    login: Login, people: SimpleNamespace, april: SimpleNamespace
) -> None:
    response = home(login(people.supervisor))
    data = response.context["supervisor"]
    assert data.pending_count == 1 and [r.text for r in data.pending] == ["小区摸底"]
    plan = data.plan
    assert plan.period == "2026-02" and str(plan.closes) == "2026-03-05"
    assert (plan.owing, plan.reported, plan.late, plan.missing) == (3, 2, 1, 1)
    by_unit = {u.unit: (u.owing, u.reported, u.late, u.missing) for u in plan.units}
    assert by_unit == {
        "县交通运输局": (1, 1, 1, 0),
        "县住房和城乡建设局": (1, 1, 0, 0),
        "青石镇": (1, 0, 0, 1),
    }
    # the period being reported is March (open until 5 April), not April which has just opened
    assert plan.current == "2026-03" and plan.current_owing == 3 and plan.current_reported == 1
    body = response.content.decode()
    assert "待审核进展" in body and "小区摸底" not in body  # the list shows tasks, not texts
    assert "实施老旧小区改造" in body and reverse("ledger:review_queue") in body
    assert "上期逾期、未报情况" in body and "青石镇" in body


def test_bureau_supervisor_sees_their_subtree_only(
    login: Login, people: SimpleNamespace, april: SimpleNamespace
) -> None:
    data = home(login(people.bureau_supervisor)).context["supervisor"]
    assert data.pending_count == 0
    plan = data.plan
    assert {u.unit for u in plan.units} == {"县交通运输局", "青石镇"}


def test_admin_gets_the_overview_without_review_buttons(
    login: Login, people: SimpleNamespace, april: SimpleNamespace
) -> None:
    response = home(login(people.admin))
    assert response.context["supervisor"].pending_count == 1
    assert "ledger:report_review" not in response.content.decode()
    assert "/review/" not in response.content.decode()


def test_leader_sees_the_overview(login: Login, people: SimpleNamespace, april: SimpleNamespace) -> None:
    Task.objects.filter(pk=april.housing.pk).update(
        category_path=["一、重点工作安排", "（二）城市建设"], progress=50
    )
    response = home(login(people.leader))
    data = response.context["leader"]
    # one top heading for all → grouped by the level below
    assert [(g.label, g.total) for g in data.by_category] == [
        ("（一）交通建设", 1),
        ("（二）城市建设", 1),
        ("（未分类）", 1),
    ]
    assert data.by_unit[0].label == "县住房和城乡建设局"
    # 3 April: 序时进度 is reckoned to 28 February (March's window is open until 5 April): 58 days
    # of 1.3's 303 (to 31 October) and of 1.1's 364
    assert [(t.code, reason) for t, reason in data.lagging] == [
        ("1.3", "完成进度 0%，落后于序时进度 19%"),
        ("1.1", "完成进度 10%，落后于序时进度 15%"),
    ]
    assert data.lagging_count == 2
    assert [r.period for r in data.recent_reports] == ["2026-03", "2026-02", "2026-02"]
    assert [c.text for c in data.recent_comments] == ["进度滞后，请青石镇主要负责同志亲自调度"]
    body = response.content.decode()
    for heading in ("按分类", "按牵头单位", "滞后任务", "最新进展", "最新批示"):
        assert heading in body


def test_overdue_tasks_are_lagging_with_the_reason(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = at("2026-11-10")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    data = home(login(people.leader)).context["leader"]
    assert data.lagging[0][1] == "已超过完成时限 10 天"
    assert [t.code for t, _ in data.lagging] == ["1.3", "1.2", "1.1"]  # the others behind 序时进度


def test_home_with_nothing_in_scope(login: Login, people: SimpleNamespace) -> None:
    for who in ("reporter", "supervisor", "leader"):
        body = home(login(getattr(people, who))).content.decode()
        assert "您好" in body


def test_home_query_count_is_bounded(
    login: Login, people: SimpleNamespace, april: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    """More tasks and reports must not mean more queries."""
    # the leader's home also lists overdue notices and waiting 批示件: two reads, whatever the size
    # + 2 fixed reads for the plan's problems by colour (the problems, their plans' thresholds)
    # + 1 read of the plans' reporting calendars per lagging condition (序时进度's reckoning day):
    #   the leader's home counts lagging tasks in total, by category, by unit and lists them
    for who, limit in (("reporter", 22), ("supervisor", 22), ("leader", 28)):
        client = login(getattr(people, who))
        with django_assert_max_num_queries(limit):
            client.get(reverse("front:home"))


def test_reporter_home_looks_back_one_quarter_for_missing_reports(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In September, January's missing report is on the task page, not on the home page."""
    moment = at("2026-09-20")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    client = login(people.reporter)
    data = home(client).context["reporter"]
    assert {r.period for r in data.missing} == {"2026-06", "2026-07", "2026-08"}  # May closed 5 June
    assert str(data.since) == "2026-06-01"
    assert {r.period for r in data.due} == {"2026-09"}
    task_page = client.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert "2026年1月" in task_page and "补报" in task_page


def test_the_leaders_lagging_list_leads_to_all_of_them(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    """13 lagging tasks: the home lists 10 and links to the full list, which pages through all 13."""
    # on track: no deadline, and ahead of 序时进度
    Task.objects.update(
        deadline=None, status=TaskStatus.IN_PROGRESS, progress=100
    )  # the fixture's own are on track
    Task.objects.bulk_create(
        Task(
            plan=ledger.plan,
            seq=20 + i,
            code=f"8.{i:02d}",
            title=f"滞后任务{i:02d}",
            lead_unit=org.town,
            status=TaskStatus.DELAYED,
            progress=100,  # marked 滞后 though not behind 序时进度
        )
        for i in range(13)
    )
    client = login(people.leader)
    home = client.get(reverse("front:home"))
    body = home.content.decode()
    assert "滞后任务（13）" in body and len(home.context["leader"].lagging) == 10
    full = reverse("front:lagging")
    assert f'href="{full}"' in body and "查看全部 13 项" in body
    response = client.get(full)
    assert response.status_code == 200
    listed = {task.code for task, _ in response.context["rows"]}
    assert listed == {f"8.{i:02d}" for i in range(13)}
    assert "督查室标记为滞后" in response.content.decode()


def test_the_full_lagging_list_pages_and_stays_in_scope(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    # on track: no deadline, and ahead of 序时进度
    Task.objects.update(deadline=None, status=TaskStatus.IN_PROGRESS, progress=100)
    Task.objects.bulk_create(
        Task(
            plan=ledger.plan,
            seq=100 + i,
            code=f"7.{i:03d}",
            title=f"住建任务{i}",
            lead_unit=org.housing,
            status=TaskStatus.DELAYED,
            progress=100,
        )
        for i in range(55)
    )
    url = reverse("front:lagging")
    everyone = login(people.leader)
    first = everyone.get(url)
    assert first.context["page"].paginator.count == 55 and len(first.context["rows"]) == 50
    second = everyone.get(url + "?page=2")
    assert len(second.context["rows"]) == 5
    bureau = login(people.bureau_leader).get(url)  # 交通局 sees none of 住建局's tasks
    assert bureau.status_code == 200 and bureau.context["page"].paginator.count == 0


def test_reporter_home_links_only_to_reports_the_unit_may_file(
    login: Login, people: SimpleNamespace, april: SimpleNamespace
) -> None:
    # A co-unit sees the lead's missing and returned reports, but may only write its 配合情况: the
    # browser walk found 补报 links that answered 403.
    client = login(people.reporter)
    data = home(client).context["reporter"]
    co_rows = [r for r in data.missing if not r.leads]
    assert co_rows, "the fixture should give 交通局 a missing report on a task it only co-operates on"
    body = home(client).content.decode()
    for r in co_rows:
        assert reverse("ledger:report_submit", args=[r.task.pk, r.period]) not in body
        assert reverse("ledger:co_report_submit", args=[r.task.pk, r.period]) in body
