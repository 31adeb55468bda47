"""A unit's year-end draft from a small hand-built ledger: every sentence checked against the facts
put in, placeholders where the ledger has none, and the round trip through the document engine
(the draft read back gives its title, parts, roles, tasks and problems; lint finds each hole).

交通运输局's 2026, written on 10 December 2026:

- 推进县道改造 (its own, （一）交通建设): 推进中 at 80 %, due 12-31 — behind 序时进度 91 %
  (reckoned to the last closed month's end, 30 November: 333 of 364 days); approved reports for
  October and November, a pending one for December; coloured red by supervision.
- 推进公路养护 (led by its 公路建设股, （二）公路养护): done, one approved report.
- 筹建物流园 (its own, （二）公路养护): paused, never reported.
- 青石镇's task it co-operates on is not its work.
- Indicators: 县道改造投资 8.5 亿元 in November against 8 a year before and a target of 10
  (同比 +6.25 % → 6.3 %, 完成 85 %); 客运量 120 万人次 in October, no last year, no target.
- Problems: 施工力量不足 (measures given), 资金到位慢 (none given) open; one signed off.
- Notices: 提示〔2026〕5号 awaiting its reply; 提示〔2026〕6号 closed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from taizhang import reports
from taizhang.core.colours import Colour
from taizhang.indicators import services as indicator_services
from taizhang.indicators.models import IndicatorValue
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import ProgressReport, ReviewState, Task, TaskStatus
from taizhang.reports.lint import lint_result
from taizhang.supervision.models import Notice, NoticeState, TaskColour
from taizhang.supervision.problem_models import Problem, ProblemState
from taizhang.writing import draft, draft_text
from taizhang.writing.render import to_docx, to_markdown
from tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = at("2026-12-10")
AS_OF = TODAY.date()
TITLE = "县交通运输局2026年工作总结及2027年工作计划"


def _report(task: Task, period: str, text: str, state: str = ReviewState.APPROVED) -> None:
    ProgressReport.objects.create(
        task=task, period=period, text=text, state=state, submitted_at=at("2026-12-01")
    )


@pytest.fixture
def year(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    plan = ledger.plan
    road = ledger.transport
    Task.objects.filter(pk=road.pk).update(status=TaskStatus.IN_PROGRESS, progress=80)
    _report(road, "2026-10", "完成路基30公里。")
    _report(road, "2026-11", "完成路基40公里，路面摊铺10公里")
    _report(road, "2026-12", "这份待审核的进展不是事实", ReviewState.PENDING)
    TaskColour.objects.create(
        task=road, colour=Colour.RED, reasons=["进度80%，落后序时进度14个百分点"], as_of=AS_OF, since=TODAY
    )
    upkeep = Task.objects.create(
        plan=plan,
        seq=4,
        title="推进公路养护",
        category_path=["一、重点工作安排", "（二）公路养护"],
        lead_unit=org.section,
        status=TaskStatus.DONE,
        progress=100,
        deadline=dt.date(2026, 10, 31),
    )
    _report(upkeep, "2026-10", "完成养护100公里。")
    Task.objects.create(
        plan=plan,
        seq=5,
        title="筹建物流园",
        category_path=["一、重点工作安排", "（二）公路养护"],
        lead_unit=org.transport,
        status=TaskStatus.PAUSED,
        progress=10,
    )
    invest, riders = indicator_services.create_indicators(
        plan,
        people.supervisor,
        [
            indicator_services.IndicatorDraft(
                name="县道改造投资", owner_unit=org.transport, measure="亿元", target=Decimal("10")
            ),
            indicator_services.IndicatorDraft(name="客运量", owner_unit=org.transport, measure="万人次"),
        ],
    )
    IndicatorValue.objects.create(
        indicator=invest,
        period="2026-11",
        value=Decimal("8.5"),
        last_year_value=Decimal("8"),
        entered_at=TODAY,
    )
    IndicatorValue.objects.create(indicator=riders, period="2026-10", value=Decimal("120"), entered_at=TODAY)
    for title, measures, state in (
        ("施工力量不足", "增加作业面，分段施工", ProblemState.OPEN),
        ("资金到位慢", "", ProblemState.SUBMITTED),
        ("已整改的问题", "已整改", ProblemState.CLOSED),
    ):
        Problem.objects.create(
            plan=plan, unit=org.transport, title=title, measures=measures, deadline=AS_OF, state=state
        )
    for number, state in ((5, NoticeState.PENDING), (6, NoticeState.CLOSED)):
        Notice.objects.create(
            plan=plan,
            kind="prompt",
            year=2026,
            number=number,
            unit=org.transport,
            subject="请说明",
            reply_due=AS_OF,
            state=state,
            issued_at=at("2026-12-01"),
        )
    return SimpleNamespace(plan=plan, road=road, upkeep=upkeep, unit=org.transport)


def _draft(year: SimpleNamespace) -> draft.Draft:
    return draft.gather(year.unit, 2026, AS_OF)


EXPECTED = f"""{TITLE}

【待补充：2026年工作总体情况概述】。

一、2026年工作总结

（一）主要指标完成情况

截至2026年11月，完成县道改造投资8.5亿元，同比增长6.3%，完成年度目标的85%。

截至2026年10月，完成客运量120万人次，同比【待补充：客运量同比增速（无上年同期数）】。

（二）交通建设

1.推进县道改造。完成路基40公里，路面摊铺10公里。截至2026年12月10日，完成进度80%，落后于序时进度91%。

（三）公路养护

1.推进公路养护。完成养护100公里。已完成。

2.筹建物流园。【待补充：筹建物流园全年推进情况】已暂停。

二、存在的问题

一是推进县道改造进度滞后，进度80%，落后序时进度14个百分点；二是施工力量不足；三是资金到位慢；四是督办通知提示〔2026〕5号尚未回复。

三、2027年工作计划

（一）继续推进的任务

1.推进县道改造。截至2026年12月10日完成进度80%，2027年继续推进，【待补充：完成时限和年度目标】。

（二）问题整改

1.施工力量不足：增加作业面，分段施工。

2.资金到位慢：【待补充：整改措施】

（三）新的重点工作

【待补充：2027年新的重点工作】

县交通运输局

2026年12月10日
"""


def test_the_draft_states_the_ledgers_facts_and_leaves_holes(year: SimpleNamespace) -> None:
    assert to_markdown(draft_text.document(_draft(year))) == EXPECTED


def test_only_approved_reports_are_facts(year: SimpleNamespace) -> None:
    text = to_markdown(draft_text.document(_draft(year)))
    assert "待审核" not in text and "完成路基30公里" not in text  # the latest approved one is said


def test_the_unit_is_found_by_name_short_name_or_alias(org: SimpleNamespace) -> None:
    assert draft.find_unit("县交通运输局") == org.transport
    assert draft.find_unit("交通局") == org.transport  # short name
    assert draft.find_unit("县交通局") == org.transport  # alias
    with pytest.raises(DomainError, match="单位不存在：交通部"):
        draft.find_unit("交通部")


def test_a_unit_with_nothing_in_the_year_is_refused(year: SimpleNamespace, org: SimpleNamespace) -> None:
    with pytest.raises(DomainError, match="县交通运输局在2025年的工作计划中没有牵头任务或指标"):
        draft.gather(org.transport, 2025, AS_OF)
    with pytest.raises(DomainError, match="县政府办公室在2026年"):
        draft.gather(org.office, 2026, AS_OF)


# --- the round trip through the engine -----------------------------------------------------------


def _parsed(data: bytes, name: str) -> reports.ParseResult:
    return reports.parse_bytes(data, name)


@pytest.mark.parametrize("kind", ["docx", "md"])
def test_the_engine_reads_the_draft_back(year: SimpleNamespace, kind: str) -> None:
    document = draft_text.document(_draft(year))
    data = to_docx(document) if kind == "docx" else to_markdown(document).encode("utf-8")
    result = _parsed(data, f"draft.{kind}")
    (doc,) = result.documents
    assert doc.title == TITLE  # the title set over two lines in Word is read whole
    assert (doc.unit, doc.summary_period, doc.plan_period) == ("县交通运输局", "2026", "2027")
    assert [(s.heading, s.role) for s in doc.sections] == [
        ("一、2026年工作总结", "summary"),
        ("二、存在的问题", "problem"),
        ("三、2027年工作计划", "plan"),
    ]
    assert [c.heading for c in doc.sections[0].children] == [
        "（一）主要指标完成情况",
        "（二）交通建设",
        "（三）公路养护",
    ]
    # the plan part's items: the task carried over, each problem's rectification, the new work
    assert [t.text.split("。")[0].split("：")[0] for t in doc.tasks] == [
        "推进县道改造",
        "施工力量不足",
        "资金到位慢",
        "新的重点工作",  # a heading with one paragraph under it is one task (PARSE.md §5)
    ]
    assert [p.text for p in doc.problems] == [
        "推进县道改造进度滞后，进度80%，落后序时进度14个百分点",
        "施工力量不足",
        "资金到位慢",
        "督办通知提示〔2026〕5号尚未回复。",
    ]
    names = {i.name for i in doc.indicators}
    assert "县道改造投资" in names


def test_lint_reports_every_hole(year: SimpleNamespace) -> None:
    data = to_docx(draft_text.document(_draft(year)))
    result = _parsed(data, "draft.docx")
    lines = reports.load_bytes(data, "draft.docx").lines
    holes = [f for f in lint_result(result, lines) if f.code == "TZ101"]
    assert sum(f.count for f in holes) == EXPECTED.count("【待补充：") == 6


def test_every_unit_of_the_demo_round_trips(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.accounts.models import Unit
    from taizhang.ledger.demo import load_demo

    summary = load_demo()
    from taizhang.indicators.demo import load_demo as load_indicators

    load_indicators(summary.as_of)
    leading = Unit.objects.filter(led_tasks__plan__year=2026).distinct()
    assert leading.count() >= 10
    for unit in leading:
        gathered = draft.gather(unit, 2026, summary.as_of)
        document = draft_text.document(gathered)
        (doc,) = _parsed(to_docx(document), "d.docx").documents
        assert doc.title == f"{unit.name}2026年工作总结及2027年工作计划", unit.name
        assert [s.role for s in doc.sections] == ["summary", "problem", "plan"], unit.name
        carried = [t.title for t in gathered.carried]
        found = [t.text for t in doc.tasks]
        assert all(any(text.startswith(title) for text in found) for title in carried), (unit.name, found)
        assert len(doc.tasks) == len(carried) + len(gathered.problems) + 1, unit.name
