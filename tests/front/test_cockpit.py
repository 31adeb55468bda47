"""The cockpit (驾驶舱): who may open it, that each figure is the scope's own and links to its list,
that its charts are there, and that its queries do not grow with the ledger."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.accounts.models import Unit
from taizhang.core.charts import LineChart
from taizhang.core.colours import Colour
from taizhang.front import cockpit
from taizhang.front.dashboards import GroupProgress
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.ledger.models import Plan, Task
from taizhang.rankings import services as rankings
from taizhang.supervision import instructions, notices
from taizhang.supervision.models import ColourChange, Notice, NoticeKind, TaskColour
from taizhang.supervision.overview import WeekColours
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
DAY = dt.date(2026, 4, 15)
URL = "/cockpit/"


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(DAY))


def colour(task: Task, *changes: tuple[dt.datetime, str, str]) -> None:
    for moment, before, after in changes:
        ColourChange.objects.create(
            task=task, at=moment, as_of=DAY, before=before, after=after, reasons=["原因"]
        )
    moment, _, after = changes[-1]
    TaskColour.objects.create(task=task, colour=after, reasons=["原因"], as_of=DAY, since=moment)


def indicator(plan: Plan, unit: Unit, name: str, march: str) -> Indicator:
    """A cumulative indicator with a target of 100 and March's value: 序时进度 is 25 %."""
    made = Indicator.objects.create(
        plan=plan, name=name, measure="亿元", target=Decimal(100), owner_unit=unit
    )
    IndicatorValue.objects.create(
        indicator=made, period="2026-03", value=Decimal(march), entered_at=at("2026-04-02")
    )
    return made


@pytest.fixture
def county(ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    """On 15 April 2026:

    - 1.1 (交通局 leads, 住建局 co-operates): yellow since March;
    - 1.2 (住建局): green, turned red on 14 April;
    - 1.3 (青石镇 leads, 交通局 co-operates): turned red on 13 April;
    - 住建局's indicator at 10 of 100 in March (15 points behind 25 %), 交通局's at 30 (ahead);
    - a 督办单 to 住建局 overdue since 10 April; a 批示件 on 1.3 waiting.
    """
    colour(ledger.transport, (at("2026-03-20"), "", Colour.YELLOW))
    colour(ledger.housing, (at("2026-03-01"), "", Colour.GREEN), (at("2026-04-14"), Colour.GREEN, Colour.RED))
    colour(ledger.town, (at("2026-03-01"), "", Colour.YELLOW), (at("2026-04-13"), Colour.YELLOW, Colour.RED))
    indicator(ledger.plan, org.housing, "住房投资", "10")
    indicator(ledger.plan, org.transport, "交通投资", "30")
    notice = notices.issue_notice(
        people.supervisor,
        kind=NoticeKind.ORDER,
        tasks=[ledger.housing],
        subject="请说明",
        reply_due=dt.date(2026, 4, 20),
        now=at("2026-04-01"),
    )
    Notice.objects.filter(pk=notice.pk).update(reply_due=dt.date(2026, 4, 10))
    instructions.issue_instruction(
        ledger.town, people.leader, text="请青石镇加快推进", due_on=dt.date(2026, 4, 30), now=at("2026-04-14")
    )
    return ledger


def page(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, href: str) -> str:
    """The number of the card that links to ``href``."""
    found = re.search(
        rf'<a class="card[^"]*" href="{re.escape(href)}"><div class="card-num">(\d+)</div>', html
    )
    assert found, href
    return found.group(1)


def test_leaders_supervisors_and_admins_open_it_reporters_do_not(
    county: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    for who in (
        people.leader,
        people.supervisor,
        people.admin,
        people.bureau_leader,
        people.bureau_supervisor,
    ):
        assert login(who).get(URL).status_code == 200
    assert login(people.reporter).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page


def test_the_homes_link_to_it(county: SimpleNamespace, people: SimpleNamespace, login: Login) -> None:
    link = f'href="{URL}?plan={county.plan.pk}"'
    assert link in login(people.leader).get("/").content.decode()
    assert link in login(people.supervisor).get("/").content.decode()
    assert URL not in login(people.reporter).get("/").content.decode()


def test_the_county_leader_sees_the_whole_plan(
    county: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    html = page(login(people.leader))
    plan = county.plan.pk
    detail = reverse("ledger:plan_detail", args=[plan])
    assert card(html, f"{detail}?colour=red") == "2"
    assert card(html, f"{detail}?colour=yellow") == "1"
    assert card(html, f"/supervision/colours/?plan={plan}#changes") == "2"
    assert card(html, f"/plans/{plan}/indicators/?behind=1") == "1"
    assert "（共 2 项）" in html
    assert card(html, f"/supervision/notices/?overdue=1&amp;plan={plan}") == "1"
    assert card(html, f"/supervision/instructions/?state=waiting&amp;plan={plan}") == "1"
    assert "1.2 实施老旧小区改造" in html and "1.3 打造美丽乡村示范点" in html  # turned red this week
    assert "住房投资（亿元）" in html and "-15.0个百分点" in html
    assert "督办〔2026〕1号" in html and "请青石镇加快推进" in html


def test_a_bureau_leader_sees_only_the_bureau(
    county: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    """交通局 leads 1.1 and co-operates on 1.3; 住建局's task, indicator and notice are not its."""
    html = page(login(people.bureau_leader))
    plan = county.plan.pk
    detail = reverse("ledger:plan_detail", args=[plan])
    assert card(html, f"{detail}?colour=red") == "1"  # 1.3, not 1.2
    assert card(html, f"/supervision/colours/?plan={plan}#changes") == "1"
    assert card(html, f"/plans/{plan}/indicators/?behind=1") == "0" and "（共 1 项）" in html
    assert card(html, f"/supervision/notices/?overdue=1&amp;plan={plan}") == "0"
    assert card(html, f"/supervision/instructions/?state=waiting&amp;plan={plan}") == "1"  # on 1.3
    for other in ("实施老旧小区改造", "住房投资", "督办〔2026〕1号", "县住房和城乡建设局"):
        assert other not in html, other
    assert "县交通运输局" in html


def test_a_plan_out_of_scope_is_not_shown(
    county: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    hidden = Plan.objects.create(year=2026, owner_unit=org.housing, title="住建局内部计划")
    html = page(login(people.bureau_leader), f"?plan={hidden.pk}")
    assert "住建局内部计划" not in html and county.plan.title in html
    assert "住建局内部计划" in page(login(people.leader), f"?plan={hidden.pk}")


def test_the_charts_are_drawn_with_their_numbers(
    county: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    rankings.publish(county.plan, "2026-03", people.supervisor, DAY)
    html = page(login(people.leader))
    for chart_id in ("colour-trend", "by-category", "by-unit", "indicators", "ranks"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html, chart_id
    assert html.count('role="img"') == 5
    assert html.count('<details class="chart-data">') == 5


def test_the_league_table_is_the_latest_published_one(
    county: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    """No live table on the cockpit: nothing until a month is published, then the latest
    published month's frozen ranks, only the viewer's units' rows, and the ranks over the months."""
    leader = login(people.leader)
    assert "本计划尚未发布月度排名" in page(leader)
    rankings.publish(county.plan, "2026-02", people.supervisor, DAY)
    rankings.publish(county.plan, "2026-03", people.supervisor, DAY)
    html = page(leader)
    assert "2026-03 单位排名" in html and "最近一次发布的排名" in html
    assert f"/rankings/plans/{county.plan.pk}/?period=2026-03" in html
    ranks = re.search(r'<svg[^>]*aria-labelledby="ranks-title ranks-desc".*?</svg>', html, re.S)
    assert ranks and "2月" in ranks.group(0) and "3月" in ranks.group(0)
    table = re.search(r"<tbody>.*?</tbody>", html[html.index("2026-03 单位排名") :], re.S)
    assert table and "县住房和城乡建设局" in table.group(0)
    bureau = page(login(people.bureau_leader))
    table = re.search(r"<tbody>.*?</tbody>", bureau[bureau.index("2026-03 单位排名") :], re.S)
    assert table and "县交通运输局" in table.group(0) and "县住房和城乡建设局" not in table.group(0)


def test_queries_do_not_grow_with_the_ledger(
    county: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    rankings.publish(county.plan, "2026-03", people.supervisor, DAY)
    client = login(people.leader)
    page(client)  # the session remembers the plan; the unit tree is warm

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    before = count()
    for i in range(20):
        unit = Unit.objects.create(name=f"第{i}乡镇", parent=org.root)
        task = Task.objects.create(
            plan=county.plan,
            seq=10 + i,
            code=f"2.{i}",
            title=f"任务{i}",
            lead_unit=unit,
            category_path=["一、重点工作安排", f"（{i % 4}）分类"],
        )
        colour(task, (at("2026-03-01"), "", Colour.GREEN), (at("2026-04-14"), Colour.GREEN, Colour.RED))
        indicator(county.plan, unit, f"指标{i}", "5")
        instructions.issue_instruction(task, people.leader, text="请加快", due_on=DAY, now=at("2026-04-14"))
    assert count() == before
    assert before <= 30


def test_zero_weeks_are_gaps_and_many_units_show_the_slowest() -> None:
    weeks = [
        WeekColours(
            dt.date(2026, 3, 30), [(c, 0) for c in (Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.WHITE)]
        ),
        WeekColours(
            dt.date(2026, 4, 6), [(Colour.RED, 1), (Colour.YELLOW, 0), (Colour.GREEN, 2), (Colour.WHITE, 0)]
        ),
    ]
    trend = cockpit.colour_trend(weeks)
    assert isinstance(trend, LineChart)
    assert trend.categories == ("3/30", "4/6")
    assert [s.values for s in trend.series] == [(None, 1.0), (None, 0.0), (None, 2.0), (None, 0.0)]
    groups = [GroupProgress(f"单位{i:02d}", 1, 0, 0, 100.0 - i) for i in range(cockpit.UNIT_BARS + 2)]
    chart = cockpit.unit_chart(groups)
    assert chart.labels[0] == "单位02" and chart.labels[-1] == f"单位{cockpit.UNIT_BARS + 1:02d}"
    assert len(chart.labels) == cockpit.UNIT_BARS and "最低" in chart.title
    assert len(cockpit.unit_chart(groups[:3]).labels) == 3
