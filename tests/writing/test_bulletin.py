"""月通报 from a small hand-built ledger: every count worked out by hand below, then the page, the
.docx and who may read what.

March 2026 of the test county's plan, written on 10 April (the March window closed on 5 April):

======  ==========  ============  ========  ========  =======  =============  ==========
task    lead        status        progress  deadline  colour   March report   lagging
======  ==========  ============  ========  ========  =======  =============  ==========
T1      交通运输局    推进中         30        12-31     绿色     on time 4-03   no (30 % ≥ 27 %)
T2      住建局       推进中         20        11-30     黄色     late 4-08      behind (26 %)
T3      青石镇       推进中         40        10-31     绿色     missing        no (40 % ≥ 32 %)
T4      住建局       已完成         100       03-31     白色     — (done)       no
T5      青石镇       未开始         0         03-15     红色     missing        overdue 26 天
T6      交通运输局    已暂停         10        12-31     白色     — (paused)     no
T7      交通运输局    滞后 (marked)  50        12-31     —        missing        marked
======  ==========  ============  ========  ========  =======  =============  ==========

Average progress 250 / 7 = 35.7 %. Notices issued in March (local time): 提示 A to 交通 (3-02, due
3-09, never answered), 督办 C to 青石 (3-20, due 3-23, answered 3-22), 提示 B to 青石 (3-31 23:30);
not March's: one of 20 February and one of 1 April 00:10.

League (default weights: base 100, done on time +2, on time +1, late −1, missing −3, notice −3):
交通 100 + 1 − 3 − 3 = 95; 住建 100 + 2 − 1 = 101 (T4 turned white on 3-20, before its deadline);
青石 100 − 3 − 3 = 94. In February every open task was missing and 住建's February notice went
unanswered, so all three scored 94 and shared rank 1: March moves 住建 0, 交通 −1, 青石 −2.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import docx
import pytest
from django.utils import timezone

from taizhang.core.colours import Colour
from taizhang.ledger import permissions
from taizhang.ledger.models import ProgressReport, Task, TaskStatus
from taizhang.supervision.models import Notice, NoticeReply, TaskColour
from taizhang.writing import bulletin, bulletin_text
from taizhang.writing.render import to_docx, to_markdown
from tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = at("2026-04-10")
AS_OF = TODAY.date()


def _local(day: str, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute)))


def _notice(plan: Any, unit: Any, kind: str, number: int, issued: dt.datetime, due: str) -> Notice:
    return Notice.objects.create(
        plan=plan,
        kind=kind,
        year=2026,
        number=number,
        unit=unit,
        subject=f"关于第{number}号的事由",
        reply_due=dt.date.fromisoformat(due),
        issued_at=issued,
    )


@pytest.fixture
def march(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    plan = ledger.plan
    t1, t2, t3 = ledger.transport, ledger.housing, ledger.town
    Task.objects.filter(pk=t1.pk).update(status=TaskStatus.IN_PROGRESS, progress=30)
    Task.objects.filter(pk=t2.pk).update(status=TaskStatus.IN_PROGRESS, progress=20)
    Task.objects.filter(pk=t3.pk).update(status=TaskStatus.IN_PROGRESS, progress=40)

    def task(seq: int, title: str, unit: Any, status: str, progress: int, deadline: str) -> Task:
        return Task.objects.create(
            plan=plan,
            seq=seq,
            code=f"1.{seq}",
            title=title,
            lead_unit=unit,
            status=status,
            progress=progress,
            deadline=dt.date.fromisoformat(deadline),
        )

    t4 = task(4, "完成棚户区改造验收", org.housing, TaskStatus.DONE, 100, "2026-03-31")
    t5 = task(5, "建成村级活动中心", org.town, TaskStatus.NOT_STARTED, 0, "2026-03-15")
    t6 = task(6, "筹建物流园", org.transport, TaskStatus.PAUSED, 10, "2026-12-31")
    t7 = task(7, "推进客运站搬迁", org.transport, TaskStatus.DELAYED, 50, "2026-12-31")
    for t, colour, since in (
        (t1, Colour.GREEN, "2026-04-01"),
        (t2, Colour.YELLOW, "2026-04-01"),
        (t3, Colour.GREEN, "2026-04-01"),
        (t4, Colour.WHITE, "2026-03-20"),
        (t5, Colour.RED, "2026-03-16"),
        (t6, Colour.WHITE, "2026-02-01"),
    ):
        TaskColour.objects.create(
            task=t, colour=colour, reasons=[f"理由{t.seq}"], as_of=AS_OF, since=at(since)
        )
    ProgressReport.objects.create(
        task=t1, period="2026-03", text="进展", percent=30, submitted_at=at("2026-04-03")
    )
    ProgressReport.objects.create(
        task=t2, period="2026-03", text="进展", percent=20, submitted_at=at("2026-04-08")
    )
    a = _notice(plan, org.transport, "prompt", 1, at("2026-03-02"), "2026-03-09")
    c = _notice(plan, org.town, "order", 1, at("2026-03-20"), "2026-03-23")
    NoticeReply.objects.create(notice=c, text="已整改", replied_at=at("2026-03-22"))
    b = _notice(plan, org.town, "prompt", 2, _local("2026-03-31", 23, 30), "2026-04-07")
    _notice(plan, org.housing, "prompt", 3, at("2026-02-20"), "2026-02-27")
    _notice(plan, org.housing, "prompt", 4, _local("2026-04-01", 0, 10), "2026-04-08")
    return SimpleNamespace(plan=plan, tasks=(t1, t2, t3, t4, t5, t6, t7), notices=(a, c, b))


def _build(march: SimpleNamespace, **kwargs: Any) -> bulletin.Bulletin:
    return bulletin.build(march.plan, "2026-03", AS_OF, **kwargs)


def test_summary_figures(march: SimpleNamespace) -> None:
    s = _build(march).summary
    assert (s.total, s.done, s.in_progress, s.not_started, s.paused, s.marked_delayed) == (7, 1, 3, 1, 1, 1)
    assert s.lagging == 3
    assert round(s.average, 1) == 35.7
    assert (s.on_time, s.late, s.missing, s.open, s.owed) == (1, 1, 3, 0, 5)


def test_colour_counts_from_the_stored_colours(march: SimpleNamespace) -> None:
    made = _build(march)
    assert dict(made.colours) == {Colour.RED: 1, Colour.YELLOW: 1, Colour.GREEN: 2, Colour.WHITE: 2}
    assert made.uncoloured == 1


def test_a_line_per_lead_unit(march: SimpleNamespace, org: SimpleNamespace) -> None:
    lines = {u.unit: u for u in _build(march).units}
    assert set(lines) == {org.transport.name, org.housing.name, org.town.name}
    transport, housing, town = lines[org.transport.name], lines[org.housing.name], lines[org.town.name]
    assert (transport.tasks, transport.done, transport.lagging) == (3, 0, 1)
    assert (housing.tasks, housing.done, housing.lagging) == (2, 1, 1)
    assert (town.tasks, town.done, town.lagging) == (2, 0, 1)
    assert (transport.on_time, transport.late, transport.missing) == (1, 0, 1)
    assert (housing.on_time, housing.late, housing.missing) == (0, 1, 0)
    assert (town.on_time, town.late, town.missing) == (0, 0, 2)
    assert round(transport.average, 1) == 30.0  # (30 + 10 + 50) / 3
    assert dict(transport.colours) == {Colour.RED: 0, Colour.YELLOW: 0, Colour.GREEN: 1, Colour.WHITE: 1}
    assert dict(town.colours) == {Colour.RED: 1, Colour.YELLOW: 0, Colour.GREEN: 1, Colour.WHITE: 0}


def test_lagging_tasks_with_their_reasons(march: SimpleNamespace) -> None:
    lagging = {t.title: t for t in _build(march).lagging}
    assert set(lagging) == {"实施老旧小区改造", "建成村级活动中心", "推进客运站搬迁"}
    assert lagging["建成村级活动中心"].reason == "已超过完成时限 26 天"
    # 序时进度 reckoned to 31 March (the last closed period on 10 April): 89 of its 333 days = 26 %
    assert lagging["实施老旧小区改造"].reason == "完成进度 20%，落后于序时进度 26%"
    assert lagging["推进客运站搬迁"].reason == "督查室标记为滞后"
    assert lagging["建成村级活动中心"].colour == Colour.RED
    assert lagging["建成村级活动中心"].colour_reasons == ("理由5",)
    assert lagging["推进客运站搬迁"].colour is None  # not coloured yet


def test_late_and_missing_reports(march: SimpleNamespace) -> None:
    made = _build(march)
    assert [(r.title, r.periods) for r in made.late] == [("实施老旧小区改造", ("2026-03",))]
    # by lead unit (县… sorts before 青石镇), then as the plan lists them
    assert [(r.unit, r.title) for r in made.missing] == [
        ("县交通运输局", "推进客运站搬迁"),
        ("青石镇", "打造美丽乡村示范点"),
        ("青石镇", "建成村级活动中心"),
    ]


def test_league_table(march: SimpleNamespace, org: SimpleNamespace) -> None:
    rows = {r.unit: r for r in _build(march).league}
    assert {u: (r.score, r.rank, r.change) for u, r in rows.items()} == {
        org.housing.name: (Decimal(101), 1, 0),
        org.transport.name: (Decimal(95), 2, -1),
        org.town.name: (Decimal(94), 3, -2),
    }


def test_notices_issued_in_the_month_by_local_date(march: SimpleNamespace) -> None:
    made = _build(march)
    assert [n.number for n in made.notices] == ["提示〔2026〕1号", "督办〔2026〕1号", "提示〔2026〕2号"]
    assert dict(made.notice_counts) == {"提示单": 2, "警示单": 0, "督办单": 1}


def test_sentences_state_the_counts(march: SimpleNamespace) -> None:
    s = bulletin_text.sentences(_build(march))
    assert s.tasks == (
        "截至2026年4月10日，测试县2026年重点工作计划共有重点任务7项，其中已完成1项，推进中3项，"
        "未开始1项，标记滞后1项，已暂停1项；按完成时限和序时进度衡量，滞后任务3项；平均完成进度35.7%。"
    )
    assert s.colours == "按四色管理，红色督办1项，黄色预警1项，绿色提示2项，白色清零2项，尚未评定颜色1项。"
    assert s.reports == "2026年3月应报送进展5项，按时报送1项，逾期报送1项，未报送3项。"
    assert s.notices == "2026年3月共发出督办通知3份，其中提示单2份、督办单1份。"
    assert s.closing and s.scope == ""


def test_a_month_outside_the_plan_or_malformed_is_a_chinese_error(march: SimpleNamespace) -> None:
    from taizhang.ledger.errors import DomainError

    with pytest.raises(DomainError, match="不在该计划的报送期内"):
        bulletin.build(march.plan, "2025-12", AS_OF)
    with pytest.raises(DomainError, match="期别格式不正确"):
        bulletin.build(march.plan, "2026-13", AS_OF)


def test_a_quiet_month_says_so(ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at("2026-01-01"))
    made = bulletin.build(ledger.plan, "2026-01", dt.date(2026, 1, 1))  # nothing behind yet
    s = bulletin_text.sentences(made)
    assert s.late == "2026年1月没有逾期报送的进展。" and s.notices == "2026年1月未发出督办通知。"
    assert (
        s.reports
        == "2026年1月应报送进展3项，按时报送0项，逾期报送0项，未报送0项，尚在报送期内3项（报送期限至2026年2月5日）。"
    )
    assert s.closing == ""


# --- the document -------------------------------------------------------------------------------


def test_the_docx_holds_every_part_and_table(march: SimpleNamespace) -> None:
    made = _build(march, number="督查通报〔2026〕3号", date=dt.date(2026, 4, 12))
    doc = docx.Document(io.BytesIO(to_docx(bulletin_text.document(made))))
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、总体情况",
        "二、各单位推进情况",
        "三、滞后任务",
        "四、进展报送情况",
        "（一）逾期报送",
        "（二）未报送",
        "五、单位排名",
        "六、督办通知发出情况",
    ]
    assert texts[0] == "测试县人民政府" and "督查通报〔2026〕3号" in texts
    assert texts[-2:] == ["测试县人民政府", "2026年4月12日"]  # 发文机关署名, 成文日期
    tables = {tuple(c.text for c in t.rows[0].cells[:3]): t for t in doc.tables}
    units = tables[("牵头单位", "任务", "已完成")]
    assert len(units.rows) == 1 + 3
    lagging = tables[("编号", "任务", "牵头单位")]
    reasons = {row.cells[1].text: row.cells[5].text for row in lagging.rows[1:]}
    assert reasons["建成村级活动中心"] == "已超过完成时限26天"  # set tight, as print sets it
    league = tables[("名次", "单位", "得分")]
    assert [row.cells[1].text for row in league.rows[1:]] == ["县住房和城乡建设局", "县交通运输局", "青石镇"]
    assert league.rows[1].cells[4].text == "基础分100；按期完成任务+2；逾期报送-1"
    assert len(tables[("文号", "类别", "主送单位")].rows) == 1 + 3
    by_header = {tuple(c.text for c in t.rows[0].cells): t for t in doc.tables}
    late = by_header[("牵头单位", "任务", "逾期报送的报送期")]
    assert [c.text for c in late.rows[1].cells] == ["县住房和城乡建设局", "1.2 实施老旧小区改造", "2026年3月"]
    assert len(by_header[("牵头单位", "任务", "未报送的报送期")].rows) == 1 + 3


def test_markdown_is_the_same_blocks(march: SimpleNamespace) -> None:
    text = to_markdown(bulletin_text.document(_build(march)))
    assert "\n关于测试县2026年重点工作计划3月份推进情况的通报\n" in text
    assert "\n三、滞后任务\n" in text
    assert "| 1.5 | 建成村级活动中心 | 青石镇 | 2026年3月15日 | 0% | 已超过完成时限26天 |" in text


# --- pages and who reads what ---------------------------------------------------------------------


def test_the_page_for_the_plans_supervisor(
    march: SimpleNamespace, people: SimpleNamespace, login: Any
) -> None:
    response = login(people.supervisor).get(f"/writing/plans/{march.plan.pk}/bulletin/?period=2026-03")
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于测试县2026年重点工作计划3月份推进情况的通报" in page
    assert "实施老旧小区改造" in page and "督办〔2026〕1号" in page
    assert "本通报仅含" not in page
    assert f"/writing/plans/{march.plan.pk}/bulletin.docx?period=2026-03" in page
    assert "另存为 PDF" in page


def test_the_docx_download(march: SimpleNamespace, people: SimpleNamespace, login: Any) -> None:
    response = login(people.supervisor).get(
        f"/writing/plans/{march.plan.pk}/bulletin.docx?period=2026-03&number=督查通报〔2026〕3号&date=2026-04-12"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    doc = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert "督查通报〔2026〕3号" in texts and texts[-1] == "2026年4月12日"


def test_a_reporter_reads_only_their_scope(
    march: SimpleNamespace, people: SimpleNamespace, login: Any
) -> None:
    # 交通运输局 leads T1, T6, T7 and co-operates on 青石镇's T3; its notices: only A.
    response = login(people.reporter).get(f"/writing/plans/{march.plan.pk}/bulletin/?period=2026-03")
    assert response.status_code == 200
    page = response.content.decode()
    assert "本通报仅含查阅人管辖范围内的任务" in page
    assert "共有重点任务4项" in page
    assert "实施老旧小区改造" not in page  # 住建局's
    assert "提示〔2026〕1号" in page and "督办〔2026〕1号" not in page
    made = bulletin.build(
        march.plan,
        "2026-03",
        AS_OF,
        tasks=permissions.tasks_in_scope(people.reporter),
    )
    assert made.summary.total == 4


@pytest.mark.parametrize("query", ["period=2025-12", "period=abc", "date=2026-02-30"])
def test_bad_choices_are_answered_in_chinese(
    march: SimpleNamespace, people: SimpleNamespace, login: Any, query: str
) -> None:
    client = login(people.supervisor)
    for suffix in ("bulletin/", "bulletin.docx"):
        response = client.get(f"/writing/plans/{march.plan.pk}/{suffix}?{query}")
        assert response.status_code == 400
        page = response.content.decode()
        assert "月份应在该计划的报送期内" in page or "成文日期格式不正确" in page


def test_a_plan_out_of_sight_is_not_found(
    bureau_plan: SimpleNamespace, people: SimpleNamespace, login: Any
) -> None:
    for user in (people.housing_reporter,):  # 青石镇 co-operates on its task: it sees the plan
        client = login(user)
        for suffix in ("bulletin/", "bulletin.docx"):
            assert client.get(f"/writing/plans/{bureau_plan.plan.pk}/{suffix}").status_code == 404


def test_linked_from_the_plan_page_and_the_supervisors_home(
    march: SimpleNamespace, people: SimpleNamespace, login: Any
) -> None:
    client = login(people.supervisor)
    url = f"/writing/plans/{march.plan.pk}/bulletin/"
    assert url in client.get(f"/plans/{march.plan.pk}/").content.decode()
    assert url in client.get(f"/?plan={march.plan.pk}").content.decode()


def test_weekly_reporting_lists_a_task_once_with_its_weeks(
    org: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Weeks ending in March 2026: W09 (Monday 2-23 to Sunday 3-01) … W13 (3-29); W14 ends on 5 April,
    # April's. Seen on 10 April every window has closed: W11 reported late, W09, W10, W12, W13 never.
    from taizhang.ledger.models import Cadence, Plan

    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    plan = Plan.objects.create(year=2026, owner_unit=org.root, title="周报计划", cadence=Cadence.WEEKLY)
    task = Task.objects.create(
        plan=plan, seq=1, code="1", title="周报任务", lead_unit=org.town, deadline=dt.date(2026, 12, 31)
    )
    ProgressReport.objects.create(task=task, period="2026-W11", text="补报", submitted_at=at("2026-04-01"))
    made = bulletin.build(plan, "2026-03", AS_OF)
    assert made.periods == ("2026-W09", "2026-W10", "2026-W11", "2026-W12", "2026-W13")
    assert [(r.title, r.periods) for r in made.late] == [("周报任务", ("2026-W11",))]
    assert [(r.title, r.periods) for r in made.missing] == [
        ("周报任务", ("2026-W09", "2026-W10", "2026-W12", "2026-W13"))
    ]
    s = bulletin_text.sentences(made)
    assert s.late == "2026年3月逾期报送进展1项。"
    assert s.missing == "2026年3月报送期限已过仍未报送进展4期次，涉及任务1项。"
    assert bulletin_text.missing_table(made).rows == (
        ("青石镇", "1 周报任务", "2026年第9周、第10周、第12周、第13周"),
    )
