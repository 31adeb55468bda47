"""From parsed tasks to drafts: titles, codes, suggested units, deadlines; plan creation and dedupe."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.accounts.models import Unit
from taizhang.ledger import services
from taizhang.ledger.drafts import drafts_from_parse, task_title
from taizhang.ledger.errors import DomainError, PermissionDenied
from taizhang.ledger.models import Plan, SourceDocument
from taizhang.ledger.suggest.dates import guess_deadline
from taizhang.ledger.suggest.units import match_units, suggest_units
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


def test_a_document_without_a_usable_name_is_kept_as_unnamed(people: SimpleNamespace) -> None:
    for name in ("", "/"):
        document, created = services.store_source_document(name, name.encode() + b"x", "", people.supervisor)
        assert created and document.original_name == "未命名"
        assert SourceDocument.objects.get(pk=document.pk).file.read() == name.encode() + b"x"


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


def test_plans_made_without_a_document_are_not_taken_for_one_imported_twice(
    org: SimpleNamespace, people: SimpleNamespace
) -> None:
    for title in ("交通局计划", "交通局补充计划"):
        services.create_plan_with_tasks(
            owner_unit=org.transport, year=2026, title=title, user=people.bureau_supervisor, drafts=[]
        )
    assert set(Plan.objects.values_list("title", flat=True)) == {"交通局计划", "交通局补充计划"}


# --- suggestion rules of the import preview ----------------------------------------------------


def test_lead_from_labels_and_phrases(org: SimpleNamespace) -> None:
    units = list(Unit.objects.exclude(parent=None))
    assert suggest_units("牵头单位：县住建局；配合单位：青石镇、县交通局", units) == (
        org.housing,
        [org.town, org.transport],
    )
    assert suggest_units("责任单位：县交通运输局、县住建局", units) == (org.transport, [org.housing])
    assert suggest_units("由督查室负责，每月通报。", units) == (org.office, [])  # an alias
    assert suggest_units("会同县住建局，由县交通局牵头推进。", units) == (org.transport, [org.housing])


def test_several_leads_the_first_leads_the_others_cooperate(org: SimpleNamespace) -> None:
    units = list(Unit.objects.exclude(parent=None))
    lead, co = suggest_units("由青石镇、县住建局分别牵头，县交通局配合。", units)
    assert lead == org.town and co == [org.housing, org.transport]


def test_group_words_stand_for_every_such_unit(org: SimpleNamespace) -> None:
    from taizhang.accounts.models import Unit as UnitModel

    other_town = UnitModel.objects.create(name="柳塘镇", parent=org.root)
    units = list(Unit.objects.exclude(parent=None))
    assert suggest_units("由县交通局牵头，各镇配合。", units) == (org.transport, [org.town, other_town])
    assert suggest_units("各乡镇负责本辖区清理。", units) == (None, [])  # "各镇牵头" names no single lead


def test_a_bare_mention_does_not_beat_a_named_lead(org: SimpleNamespace) -> None:
    units = list(Unit.objects.exclude(parent=None))
    assert suggest_units("青石镇打造示范点，县交通局牵头。", units) == (org.transport, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("由县住建局牵头。责任领导：赵国庆", "赵国庆"),
        ("牵头领导为李明，县财政局配合", "李明"),
        ("由分管副县长牵头，县财政局配合", "分管副县长"),
        ("分管副县长李强同志督办", "分管副县长李强"),
        ("副县长王明牵头，每月调度", "副县长王明"),
        ("由常务副县长挂帅", "常务副县长"),
        ("畅通12345县长热线，及时回应诉求", ""),
        ("加强组织领导", ""),
    ],
)
def test_guess_leader(text: str, expected: str) -> None:
    from taizhang.ledger.suggest.leaders import guess_leader

    assert guess_leader(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上半年完成", dt.date(2026, 6, 30)),
        ("三季度末投入使用", dt.date(2026, 9, 30)),
        ("10月中旬前完成验收", dt.date(2026, 10, 20)),
        ("六月底前完成", dt.date(2026, 6, 30)),
        ("较2025年6月底增长10%，9月底前完成", dt.date(2026, 9, 30)),
        ("全年新签约项目15个，6月底前完成首批", dt.date(2026, 6, 30)),
        ("年内完成", dt.date(2026, 12, 31)),
    ],
)
def test_guess_deadline_more_forms(text: str, expected: dt.date) -> None:
    assert guess_deadline(text, 2026) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        ("2026.6.30", dt.date(2026, 6, 30)),
        ("6月底", dt.date(2026, 6, 30)),
        ("6月底前完成", dt.date(2026, 6, 30)),
        ("6月30日前", dt.date(2026, 6, 30)),
        ("2026年6月", dt.date(2026, 6, 30)),
        ("2027年3月底", dt.date(2027, 3, 31)),
        ("上半年", dt.date(2026, 6, 30)),
        ("三季度", dt.date(2026, 9, 30)),
        ("年底", dt.date(2026, 12, 31)),
        ("长期坚持", dt.date(2026, 12, 31)),
        ("持续推进", dt.date(2026, 12, 31)),
        ("下周", None),
        ("2026-13-01", None),
        ("6月30日和9月30日", None),
        ("", None),
    ],
)
def test_parse_date_text(text: str, expected: dt.date | None) -> None:
    from taizhang.ledger.suggest.dates import parse_date_text

    assert parse_date_text(text, 2026) == expected


def test_resolve_unit_names(org: SimpleNamespace) -> None:
    from taizhang.ledger.suggest.units import resolve_unit_names, split_unit_names

    units = list(Unit.objects.all())
    assert split_unit_names("县住建局、县财政局；青石镇,督查室 ") == [
        "县住建局",
        "县财政局",
        "青石镇",
        "督查室",
    ]
    assert resolve_unit_names("住建局、青石镇，督查室", units) == ([org.housing, org.town, org.office], [])
    assert resolve_unit_names("交通运输局", units) == ([org.transport], [])  # contained in one name only
    found, problems = resolve_unit_names("县教育局、青石镇", units)
    assert found == [org.town] and problems == ["单位“县教育局”不在单位库中，或不在您的管辖范围内"]
    assert resolve_unit_names("各镇", units) == ([org.town], [])
    _, problems = resolve_unit_names("县政府办公室公路建设股", units)
    assert problems and "可能指多个单位" in problems[0]


def test_drafts_survive_the_session(org: SimpleNamespace) -> None:
    from taizhang.ledger.drafts import draft_from_data, draft_to_data

    drafts = drafts_from_parse(parsed(), list(Unit.objects.all()), 2026)
    units = {u.pk: u for u in Unit.objects.all()}
    again = [draft_from_data(draft_to_data(d), units) for d in drafts]
    assert again == drafts
    assert draft_from_data(draft_to_data(drafts[0]), {}).lead_unit is None  # a unit gone from scope


def test_plan_year(org: SimpleNamespace) -> None:
    from taizhang.ledger.drafts import plan_year

    assert plan_year(parsed(), 2000) == 2026  # from the title
    assert (
        plan_year(ParseResult(source="x", documents=[Document(title="", line=1, plan_period="2027")]), 2000)
        == 2027
    )
    assert plan_year(ParseResult(source="x"), 2031) == 2031


def test_units_of_the_same_name_are_told_apart(org: SimpleNamespace) -> None:
    from taizhang.accounts.models import Unit as UnitModel
    from taizhang.accounts.units import unit_labels
    from taizhang.ledger.suggest.units import resolve_unit_names

    transport_office = UnitModel.objects.create(name="办公室", parent=org.transport)
    housing_office = UnitModel.objects.create(name="办公室", parent=org.housing)
    units = list(Unit.objects.all())
    labels = unit_labels(units)
    assert labels[transport_office.pk] == "交通局·办公室" and labels[org.town.pk] == "青石镇"
    assert resolve_unit_names("县住房和城乡建设局办公室", units) == ([housing_office], [])
    assert resolve_unit_names("住建局·办公室", units) == ([housing_office], [])  # as shown and exported
    _, problems = resolve_unit_names("办公室", units)
    assert problems == ["“办公室”可能指多个单位（交通局·办公室、住建局·办公室），请写全称"]
    assert match_units("由办公室牵头，县交通运输局办公室配合", units) == [transport_office]
