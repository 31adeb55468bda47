"""Documents, titles, units and periods (PARSE.md §3) on examples written for the tests."""

from __future__ import annotations

from taizhang.reports import parse_text
from taizhang.reports.titles import analyse_title, unit_from_body

COMPILATION = """全县部门2025年工作总结及2026年工作计划汇编
（2篇）
篇1：县水利局2025年工作总结及2026年工作计划
一、2025年工作总结
（一）抓好水库除险加固。完成小型水库除险加固x座。
二、2026年工作计划
（一）推进灌区改造。一是完成渠道衬砌xx公里；二是新建泵站x座。

县统计局2025年工作总结
一、主要工作完成情况
（一）完成经济普查。全县普查对象xxxx个。
【某某素材库】——每天更新材料，添加客服获取
"""


def test_compilation_splits_into_documents_and_drops_header_and_adverts() -> None:
    result = parse_text(COMPILATION)
    titles = [(d.title, d.line) for d in result.documents]
    assert titles == [("县水利局2025年工作总结及2026年工作计划", 3), ("县统计局2025年工作总结", 9)]
    last = result.documents[-1]
    assert last.end_line == 11  # the advert line belongs to no document
    assert all("素材库" not in s.heading for d in result.documents for s in d.sections)


def test_paywall_markers_are_removed_even_mid_word() -> None:
    text = (
        "县林业局2025年工作总结\n一、工作开展##paidbegin##情况\n（一）造林绿化。完成造林xx亩。##paidend##\n"
    )
    doc = parse_text(text).documents[0]
    assert doc.sections[0].heading == "一、工作开展情况"
    assert doc.sections[0].children[0].heading == "（一）造林绿化"


def test_line_numbers_are_those_of_the_input() -> None:
    text = "\n\n\n县审计局2025年工作总结\n\n一、审计项目完成情况\n"
    doc = parse_text(text).documents[0]
    assert doc.line == 4
    assert doc.sections[0].line == 6


def test_text_without_a_title_has_no_document() -> None:
    assert parse_text("这是一段普通的文字。\n没有标题。\n").documents == []


def test_unit_from_title_prefix() -> None:
    assert analyse_title("县财政局优化营商环境2025年工作总结").unit == "县财政局"
    assert analyse_title("交通运输2025年工作总结").unit == "交通运输"
    assert analyse_title("2025年工作总结和2026年工作思路").unit == ""
    assert analyse_title("关于2024年工作计划").unit == ""
    assert analyse_title("县财政局关于2025年工作总结的报告").unit == "县财政局"


def test_unit_from_body_when_title_names_none() -> None:
    assert unit_from_body(["2025年以来，某某镇始终坚持以人民为中心。"]) == "某某镇"
    assert unit_from_body(["2025年，县投资促进中心坚持项目为王。"]) == "县投资促进中心"
    assert unit_from_body(["一年来，我局坚持依法行政。"]) == ""


def test_periods_from_title() -> None:
    info = analyse_title("县商务局2025年工作总结及下步工作打算")
    assert (info.summary_period, info.plan_period) == ("2025", "2026")
    info = analyse_title("县人社局2025年上半年工作总结和下半年工作思路")
    assert (info.summary_period, info.plan_period) == ("2025H1", "2025H2")
    info = analyse_title("示范县2026年重点工作计划")
    assert (info.summary_period, info.plan_period) == (None, "2026")


def test_masked_year_is_resolved_from_the_compilation_header() -> None:
    text = "全县各部门2025年工作总结汇编\n县档案馆xxxx年工作总结\n一、工作开展情况\n"
    doc = parse_text(text).documents[0]
    assert doc.summary_period == "2025"


def test_plan_period_from_a_plan_section_under_a_summary_title() -> None:
    text = "县司法局2025年普法工作总结\n一、主要做法\n（一）抓学习。\n二、存在问题及下一年工作打算\n（一）深化宣传。加强普法。\n"
    doc = parse_text(text).documents[0]
    assert (doc.summary_period, doc.plan_period) == ("2025", "2026")


def test_a_body_planning_for_next_year_outweighs_the_titles_plan_year() -> None:
    text = (
        "县民政局2022年工作总结及2022年工作计划\n一、2022年工作总结\n（一）完成低保提标。\n"
        "二、工作打算\n明年，我们将继续做好民政工作。\n（一）加强养老服务。\n"
    )
    doc = parse_text(text).documents[0]
    assert (doc.summary_period, doc.plan_period) == ("2022", "2023")
    assert doc.title_plan_period == "2022"  # kept for lint, which reports the title
    assert "title_plan_period" not in doc.to_dict()
    headed = parse_text(
        text.replace("二、工作打算\n明年，我们将继续做好民政工作。", "二、下一年工作打算")
    ).documents[0]
    assert (headed.plan_period, headed.title_plan_period) == ("2023", "2022")


def test_a_title_agreeing_with_its_body_is_left_alone() -> None:
    agreeing = "县民政局2022年工作总结及2023年工作计划\n一、2022年工作总结\n二、下一年工作打算\n（一）加强养老服务。\n"
    same_year = "县民政局2022年工作总结及2022年工作计划\n一、2022年工作总结\n二、2022年工作计划\n（一）加强养老服务。\n"
    for text, plan in ((agreeing, "2023"), (same_year, "2022")):
        doc = parse_text(text).documents[0]
        assert (doc.plan_period, doc.title_plan_period) == (plan, None)
