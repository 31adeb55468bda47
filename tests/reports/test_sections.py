"""The heading tree and section roles (PARSE.md §4)."""

from __future__ import annotations

from taizhang.reports import parse_text
from taizhang.reports.roles import child_role, heading_role


def _doc(body: str, title: str = "县应急局2025年工作总结及2026年工作计划"):  # type: ignore[no-untyped-def]
    return parse_text(title + "\n" + body).documents[0]


def test_run_in_heading_ends_at_first_full_stop() -> None:
    doc = _doc("一、2025年工作总结\n（一）压实安全责任，守牢底线。一是开展检查。二是整改隐患。\n")
    child = doc.sections[0].children[0]
    assert child.heading == "（一）压实安全责任，守牢底线"
    assert child.level == 2


def test_run_in_heading_ends_where_a_list_starts() -> None:
    doc = _doc("一、2026年工作计划\n（一）抓好汛期防御，一要落实责任，二要加强值守。\n")
    assert doc.sections[0].children[0].heading == "（一）抓好汛期防御"


def test_four_levels_and_skipped_levels() -> None:
    doc = _doc("一、2025年工作总结\n1.完善预案体系。修订预案x个。\n（1）细化响应流程。\n二、存在的问题\n")
    top = doc.sections[0]
    assert [c.level for c in top.children] == [3]
    assert top.children[0].children[0].heading == "（1）细化响应流程"
    assert doc.sections[1].role == "problem"


def test_numbering_gaps_and_repeats_are_kept() -> None:
    doc = _doc("一、2025年工作总结\n（一）甲项工作。\n（三）乙项工作。\n（三）丙项工作。\n")
    assert [c.heading for c in doc.sections[0].children] == [
        "（一）甲项工作",
        "（三）乙项工作",
        "（三）丙项工作",
    ]


def test_half_width_and_mixed_enumerators() -> None:
    doc = _doc("一、2025年工作总结\n(一)甲项工作\n（二)乙项工作\n")
    assert [c.level for c in doc.sections[0].children] == [2, 2]


def test_mistyped_top_level_enumerator_is_read_by_its_neighbours() -> None:
    # `三.` continues 一、二、 and so is a part; a `五.` in the middle of plain paragraphs is not.
    doc = _doc("一、2025年工作总结\n二、存在的问题\n三.2026年工作计划\n")
    assert [s.heading for s in doc.sections] == ["一、2025年工作总结", "二、存在的问题", "三.2026年工作计划"]
    doc = _doc("一、2025年工作总结\n强化学习。开展学习x次。\n五.加强督查。开展督查x次。\n")
    assert len(doc.sections) == 1


def test_unnumbered_standalone_heading() -> None:
    doc = _doc("一、工作开展情况\n（一）甲项工作。\n主要困难和问题\n一是人手不足。\n")
    assert [(s.heading, s.role) for s in doc.sections] == [
        ("一、工作开展情况", "summary"),
        ("主要困难和问题", "problem"),
    ]


def test_roles_from_headings() -> None:
    assert heading_role("2025年工作总结") == "summary"
    assert heading_role("2025年度工作计划完成情况") == "summary"
    assert heading_role("2025年工作亮点") == "highlight"
    assert heading_role("获得荣誉") == "highlight"
    assert heading_role("存在困难和问题") == "problem"
    assert heading_role("存在的主要问题和工作建议") == "problem"
    assert heading_role("下一步打算") == "plan"
    assert heading_role("2026年重点工作思路谋划") == "plan"
    assert heading_role("存在问题及下一年工作打算") == "plan"
    # Plan words inside a thematic heading name no part.
    assert heading_role("创新工作思路，做好整改后半篇文章") is None


def test_children_inherit_unless_they_name_their_part() -> None:
    assert child_role("（三）存在的主要问题", "summary") == "problem"
    assert child_role("（二）着力问题整改销号", "plan") == "plan"
    assert child_role("（一）招商引资方面", "problem") == "problem"


def test_thematic_sections_take_the_part_of_the_document() -> None:
    doc = _doc("一、高点定位，筑牢安全防线\n二、持续发力，深化改革\n", title="县卫健委2025年工作总结")
    assert [s.role for s in doc.sections] == ["summary", "summary"]
    doc = _doc("一、稳增长，抓项目\n二、优环境，促改革\n", title="示范县2026年重点工作计划")
    assert [s.role for s in doc.sections] == ["plan", "plan"]


def test_framing_parts_of_a_plan_document_hold_no_tasks() -> None:
    doc = _doc(
        "一、总体要求\n坚持稳中求进，确保完成全年目标。\n二、重点任务\n（一）抓项目。开工项目xx个。\n三、保障措施\n（一）加强领导。\n",
        title="示范县2026年重点工作计划",
    )
    assert [s.role for s in doc.sections] == ["other", "plan", "other"]
    assert [t.text for t in doc.tasks] == ["抓项目。开工项目xx个。"]
