"""From parsed tasks to drafts: titles, codes, suggested units, deadlines; plan creation and dedupe."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.accounts.models import Unit
from taizhang.ledger import services
from taizhang.ledger.drafts import drafts_from_parse, guess_deadline, match_units, suggest_units, task_title
from taizhang.ledger.errors import DomainError, PermissionDenied
from taizhang.ledger.models import Plan, SourceDocument
from taizhang.reports import Document, Item, ParseResult

pytestmark = pytest.mark.django_db


def test_title_is_the_first_clause() -> None:
    assert task_title("推进县道改造提升工程，完成县道大修48公里。") == "推进县道改造提升工程"
    assert len(task_title("很" * 100)) == 60


def test_match_units_prefers_longest_names(org: SimpleNamespace) -> None:
    units = list(Unit.objects.exclude(parent=None))
    assert match_units("由县交通运输局牵头，县住建局配合", units) == [org.transport, org.housing]
    assert match_units("县交通局和青石镇", units) == [org.transport, org.town]


def test_suggest_units(org: SimpleNamespace) -> None:
    units = list(Unit.objects.exclude(parent=None))
    assert suggest_units("完成改造48公里，由县交通局牵头，县住建局、青石镇配合，10月底前完成。", units) == (
        org.transport,
        [org.housing, org.town],
    )
    assert suggest_units("青石镇打造示范点，县交通运输局配合。", units) == (org.town, [org.transport])
    assert suggest_units("加强组织领导。", units) == (None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前完成首批项目申报", dt.date(2026, 6, 30)),
        ("2月底前启动，11月底前完成", dt.date(2026, 11, 30)),
        ("2027年3月15日前完成", dt.date(2027, 3, 15)),
        ("年底前完成", dt.date(2026, 12, 31)),
        ("持续推进", None),
    ],
)
def test_guess_deadline(text: str, expected: dt.date | None) -> None:
    assert guess_deadline(text, 2026) == expected


def parsed() -> ParseResult:
    head = "一、2026年重点工作安排"
    return ParseResult(
        source="plan.txt",
        documents=[
            Document(
                title="测试县2026年重点工作计划",
                line=1,
                tasks=[
                    Item(5, "推进县道改造，由县交通局牵头，6月底前完成。", [head, "（一）交通"]),
                    Item(5, "实施老旧小区改造，由县住建局牵头。", [head, "（一）交通"]),
                    Item(7, "打造示范点，青石镇牵头。责任领导：赵国庆", [head, "（二）乡村"]),
                ],
            )
        ],
    )


def test_drafts_from_parse(org: SimpleNamespace) -> None:
    drafts = drafts_from_parse(parsed(), list(Unit.objects.all()), 2026)
    assert [d.code for d in drafts] == ["1.1", "1.2", "2.1"]
    assert [d.lead_unit for d in drafts] == [org.transport, org.housing, org.town]
    assert drafts[0].deadline == dt.date(2026, 6, 30) and drafts[1].deadline == dt.date(2026, 12, 31)
    assert drafts[2].leader_name == "赵国庆"
    assert drafts[0].source_line == 5 and drafts[0].category_path[-1] == "（一）交通"


def test_create_plan_with_tasks_and_dedupe(org: SimpleNamespace, people: SimpleNamespace) -> None:
    data = "测试县2026年重点工作计划\n".encode()
    source, created = services.store_source_document("计划.txt", data, data.decode(), people.supervisor)
    assert created
    again, created_again = services.store_source_document("计划（副本）.txt", data, "", people.supervisor)
    assert again == source and not created_again and SourceDocument.objects.count() == 1
    drafts = drafts_from_parse(parsed(), list(Unit.objects.all()), 2026)
    plan = services.create_plan_with_tasks(
        owner_unit=org.root,
        year=2026,
        title="测试县2026年重点工作计划",
        user=people.supervisor,
        drafts=drafts,
        source=source,
    )
    assert plan.tasks.count() == 3
    assert set(plan.tasks.values_list("source_line", flat=True)) == {5, 7}
    with pytest.raises(DomainError, match="已导入过"):
        services.create_plan_with_tasks(
            owner_unit=org.root,
            year=2026,
            title="再导入",
            user=people.supervisor,
            drafts=drafts,
            source=source,
        )


def test_plan_creation_is_all_or_nothing(org: SimpleNamespace, people: SimpleNamespace) -> None:
    drafts = drafts_from_parse(parsed(), list(Unit.objects.all()), 2026)
    drafts[2].title = ""  # invalid
    with pytest.raises(DomainError, match="第 3 项任务"):
        services.create_plan_with_tasks(
            owner_unit=org.root, year=2026, title="计划", user=people.supervisor, drafts=drafts
        )
    assert Plan.objects.count() == 0


def test_only_supervisors_in_scope_create_plans(org: SimpleNamespace, people: SimpleNamespace) -> None:
    for user in (people.reporter, people.leader, people.bureau_supervisor):
        with pytest.raises(PermissionDenied):
            services.create_plan_with_tasks(
                owner_unit=org.root, year=2026, title="计划", user=user, drafts=[]
            )
    plan = services.create_plan_with_tasks(
        owner_unit=org.transport, year=2026, title="交通局计划", user=people.bureau_supervisor, drafts=[]
    )
    assert plan.owner_unit == org.transport
