"""Document.paragraphs: every body line with its section's role, the input's line numbers, lines broken
mid-sentence joined (what search indexes and 对账 reads). Examples written for the tests."""

from __future__ import annotations

from taizhang.reports import parse_text

REPORT = """县水利局2025年工作总结及2026年工作计划
2025年，我局围绕全年目标扎实推进各项工作。
一、2025年工作总结
（一）抓好水库除险加固。完成小型水库除险加固x座。
（二）推进河湖长制
全年巡河xxxx人次，清理河道垃圾xx吨，
整治“四乱”问题xx处。
虽然取得了一定成绩，但也存在一些不足：
一是基层水利人员不足；二是资金保障压力较大。
二、存在的问题
工程管护经费不足。
三、2026年工作计划
（一）推进灌区改造。一是完成渠道衬砌xx公里；二是新建泵站x座。
"""


def test_every_body_line_in_order_with_its_role_and_line() -> None:
    doc = parse_text(REPORT).documents[0]
    got = [(p.line, p.role, p.heading, p.section_line) for p in doc.paragraphs]
    assert got == [
        (2, "summary", False, 0),  # above every heading: the document's default part
        (3, "summary", True, 3),
        (4, "summary", False, 4),  # a run-in heading with its body is no bare heading
        (5, "summary", True, 5),
        (6, "summary", False, 5),
        (8, "problem", False, 5),  # an un-headed problem passage inside the summary part
        (9, "problem", False, 5),
        (10, "problem", True, 10),
        (11, "problem", False, 10),
        (12, "plan", True, 12),
        (13, "plan", False, 13),
    ]


def test_text_is_the_whole_line_and_a_broken_sentence_is_joined_at_its_first_line() -> None:
    doc = parse_text(REPORT).documents[0]
    by_line = {p.line: p.text for p in doc.paragraphs}
    assert by_line[4] == "（一）抓好水库除险加固。完成小型水库除险加固x座。"
    assert by_line[6] == "全年巡河xxxx人次，清理河道垃圾xx吨，整治“四乱”问题xx处。"
    assert 7 not in by_line


def test_a_plan_only_document_is_plan_above_its_first_heading_too() -> None:
    doc = parse_text(
        "县水利局2026年工作要点\n2026年，我局将重点抓好以下工作。\n一、推进灌区改造\n"
    ).documents[0]
    assert [(p.line, p.role) for p in doc.paragraphs] == [(2, "plan"), (3, "plan")]


def test_paragraphs_are_not_in_the_json() -> None:
    doc = parse_text(REPORT).documents[0]
    assert "paragraphs" not in doc.to_dict()
