"""`taizhang lint`: one test per rule, with negatives; examples are made up for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taizhang.cli import main
from taizhang.reports.lint import (
    Finding,
    draft_hole,
    lint_lines,
    lint_result,
    render_findings,
    report_dict,
    summarize,
)
from taizhang.reports.model import Document, ParseResult, Section


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def excerpts(lines: list[str], code: str) -> list[str]:
    return [f.excerpt for f in codes(lint_lines(lines), code)]


# ---------------------------------------------------------------- TZ101 placeholders


def test_tz101_each_placeholder_with_its_excerpt() -> None:
    lines = [
        "全县实现营业收入xx亿元，同比增长x.x%，增速居全省第x位。",
        "x—x月新增企业xx家，较xxxx年增加，其中出口增速-x.x%。",
        "xxx局召开专题会议，xx领域隐患全部整改。",
        "完成投资xx亿元。",
    ]
    found = codes(lint_lines(lines), "TZ101")
    assert [(f.line, f.count, f.excerpt, f.message) for f in found] == [
        (1, 3, "xx亿元", "本段有 3 处未填写的占位符：“xx亿元”“x.x%”“第x位”，应填入实际数值"),
        (2, 4, "x—x月", "本段有 4 处未填写的占位符：“x—x月”“xx家”“xxxx年”“-x.x%”，应填入实际数值"),
        (3, 2, "xxx局", "本段有 2 处未填写的占位符：“xxx局”“xx”，应填入实际内容（数字或名称）"),
        (4, 1, "xx亿元", "未填写的占位符“xx亿元”，应填入实际数值"),
    ]


def test_tz101_one_finding_per_paragraph_however_many_masks() -> None:
    line = "；".join(f"第{n}项投资xx万元" for n in range(1, 41)) + "。"
    found = lint_lines([line, "落实D的建设，压实D风廉政责任，用A新时代思想武装头脑。"])
    assert [(f.line, f.code, f.count) for f in found] == [(1, "TZ101", 40), (2, "TZ102", 3)]
    # The message quotes a few distinct placeholders, not forty.
    assert found[0].message == "本段有 40 处未填写的占位符：“xx万元”，应填入实际数值"
    assert found[1].message == (
        "本段有 3 处字母代称：“D”应写作“党”（2 处，如“落实D的建设”）；“A”应写作“习近平”（“，用A新时代”）"
    )
    more = "，".join(f"投资xx{unit}" for unit in "个家项件条座辆处") + "。"
    assert lint_lines([more])[0].message.endswith("“xx个”“xx家”“xx项”“xx件”“xx条”等，应填入实际数值")


def test_tz101_masks_inside_latin_codes() -> None:
    # A lower-case x among capitals hides a digit (PM2.5, B2C); `xx` after a word hides a number.
    found = codes(lint_lines(["细颗粒物PMx.x平均浓度下降，入围全市topxx企业x家。"]), "TZ101")
    assert [(f.count, f.message) for f in found] == [
        (3, "本段有 3 处未填写的占位符：“x.x”“xx”“x家”，应填入实际数值或名称")
    ]


def test_tz101_real_latin_x_not_flagged() -> None:
    lines = [
        "用Excel表格汇总，Linux服务器运行正常，举办3x3篮球赛。",
        "购置X光机和X射线探伤仪，建设X波段雷达，分辨率1920 x 1080。",
        "开展Box测试，推广XXL码服装。",
    ]
    assert codes(lint_lines(lines), "TZ101") == []


def test_tz101_the_mark_a_generated_draft_leaves_for_a_missing_fact() -> None:
    # taizhang.writing's drafts write 【待补充：…】 where the ledger lacks a fact: lint must find each.
    lines = [
        f"推进老旧小区改造。{draft_hole('全年推进情况')}",
        f"{draft_hole('主要指标')}，{draft_hole('同比增速')}。",
        "【重要】按时报送，【注意】待补充材料另行报送。",  # a bracketed label is not a placeholder
    ]
    found = codes(lint_lines(lines), "TZ101")
    assert [(f.line, f.count, f.excerpt) for f in found] == [
        (1, 1, "【待补充：全年推进情况】"),
        (2, 2, "【待补充：主要指标】"),
    ]
    assert found[0].message == "未填写的占位符“【待补充：全年推进情况】”，应填入实际内容（数字或名称）"


# ---------------------------------------------------------------- TZ102 letter masks


def test_tz102_letter_masks() -> None:
    lines = [
        "深入学习贯彻D的二十大精神，坚持以A新时代中国特色社会主义思想为指导。",
        "落实全面从严治D主体责任，推进思想建D、制度治D。",
        "通过AAA公众号发布信息，建立企业AAA群。",
        "数字经济增加值占DP的比重提高。",
    ]
    found = codes(lint_lines(lines), "TZ102")
    assert [(f.line, f.count, f.message.split("字母代称")[1]) for f in found] == [
        (1, 2, "：“D”应写作“党”（“贯彻D的二十”）；“A”应写作“习近平”（“持以A新时代”）"),
        (2, 3, "：“D”应写作“党”（3 处，如“严治D主体责”）"),
        (3, 2, "：“AAA”应写作“微信”（2 处，如“通过AAA公众号”）"),
        (4, 1, "：“值占DP的比重”中的“DP”应写作“GDP”"),
    ]
    assert found[0].excerpt == "贯彻D的二十"


def test_tz102_unknown_single_letter_is_still_a_mask() -> None:
    found = codes(lint_lines(["在Q的坚强领导下推进工作。"]), "TZ102")
    assert len(found) == 1 and "应写出被替代的原词" in found[0].message


def test_tz102_real_latin_text_not_flagged() -> None:
    lines = [
        "创建国家4A级景区，获评AAAA级景区和A级纳税人，企业创A升级。",
        "发展B2C电商，排查IP地址雷同，开展DCMM贯标，GDP增长5%。",
        "推进PPP项目，上线政务App和APP，建成5G基站，购置CT设备。",
        "xx村A、B地块开工，落实AB角制度，C区改造，B超检查，污水执行一级A排放标准。",
        "Smart City建设，PM2.5浓度下降，落实“x+x+N”机制，构建三体系+N应用。",
        "获AA+主体信用评级，建设II期工程，开展CCC认证，组建QQ群。",
    ]
    assert codes(lint_lines(lines), "TZ102") == []


BRAND_TEXT = ["A级", "B2C", "IP地址", "DCMM", "5G", "APP", "PPP", "EPC", "AAAA级景区", "GDP"]


@pytest.mark.parametrize("term", BRAND_TEXT)
@pytest.mark.parametrize(
    "frame",
    ["{}", "推进{}建设。", "全县{}，增长较快。", "以“{}”为抓手", "（{}）", "建成{}", "，{}。", "发展{}、{}"],
)
def test_real_latin_brand_and_tech_text_is_not_a_mask(term: str, frame: str) -> None:
    line = frame.format(term, term)
    assert [f for f in lint_lines([line]) if f.code in ("TZ101", "TZ102")] == [], line


@pytest.mark.parametrize(
    ("line", "letters"),
    [
        ("学习D的二十大精神。", "D"),
        ("以A新时代思想为指导。", "A"),
        ("关注AAA公众号。", "AAA"),
        ("占DP比重提高。", "DP"),
        ("推进5G建设，学习D的二十大精神，开通APP。", "D"),
    ],
)
def test_masks_among_brand_text_are_still_flagged(line: str, letters: str) -> None:
    found = codes(lint_lines([line]), "TZ102")
    assert len(found) == 1 and f"中的“{letters}”" in found[0].message, found


def test_open_counts_and_labels_are_not_masks() -> None:
    # `N个`: a count left open on purpose (as in `1+N`); `T台`, `U盾`: things, not hidden words.
    lines = ["建成N个示范点，推进N项改革。", "搭建T台，使用U盾登录。"]
    assert codes(lint_lines(lines), "TZ102") == []
    assert len(codes(lint_lines(["在N的领导下推进。"]), "TZ102")) == 1


# ---------------------------------------------------------------- TZ103 paywall and adverts


def test_tz103_paywall_markers_and_adverts() -> None:
    lines = [
        "##paidbegin##（一）强化安全生产。",
        "二是积极实##paidbegin##施提升工程。",
        "##paidend##",
        "【某某素材库】——每日更新材料，会员群同步更新，有意加入请联系客服。",
    ]
    found = codes(lint_lines(lines), "TZ103")
    assert [f.line for f in found] == [1, 2, 3, 4]
    assert found[1].excerpt == "极实##paidbegin##施提升"
    assert "付费墙" in found[0].message and "广告" in found[3].message


def test_tz103_not_debris() -> None:
    lines = [
        "篇1：xx局2023年工作总结",
        "建立宣传素材库，丰富宣传内容。",
        "【典型案例】我县经验被省级推广。",
    ]
    assert codes(lint_lines(lines), "TZ103") == []


def test_tz103_paywall_from_raw_lines_in_lint_result() -> None:
    # The parser's lines are cleaned; the raw lines keep the markers for the linter.
    raw = ["xx局2023年工作总结", "查获柴油xx##paidbegin##吨。"]
    cleaned = ["xx局2023年工作总结", "查获柴油xx吨。"]
    result = ParseResult(source="t.txt", lines=cleaned)
    assert codes(lint_result(result), "TZ103") == []
    assert [f.line for f in codes(lint_result(result, raw_lines=raw), "TZ103")] == [2]
    assert [f.excerpt for f in codes(lint_result(result, raw_lines=raw), "TZ101")] == ["xx局", "xx吨"]


# ---------------------------------------------------------------- numbering TZ201-TZ204


def test_tz201_numbering_gap() -> None:
    lines = [
        "一、工作开展情况",
        "（一）强化领导。",
        "正文。",
        "（三）狠抓落实。",
        "二、存在问题",
        "四、工作计划",
    ]
    found = codes(lint_lines(lines), "TZ201")
    assert [(f.line, f.message, f.excerpt) for f in found] == [
        (4, "编号不连续：（一）之后是（三），缺少（二）", "（三）"),
        (6, "编号不连续：二、之后是四、，缺少三、", "四、"),
    ]


def test_tz202_numbering_repeat() -> None:
    lines = [
        "二、2024年工作计划",
        "（六）优化服务。",
        "（七）严格执法。",
        "（七）推进登记发证。",
        "（八）抓好党建。",
    ]
    found = codes(lint_lines(lines), "TZ202")
    assert [(f.line, f.message) for f in found] == [(4, "编号重复：（七）之后又是（七），应为（八）")]
    assert codes(lint_lines(lines), "TZ201") == []


def test_numbering_correct_sequences_not_flagged() -> None:
    lines = [
        "一、2023年工作总结",
        "（一）抓项目。一是强化调度，二是加强督导，三是压实责任。",
        "1.推进交通建设。",
        "2、推进水利建设。",
        "3．推进能源建设。",
        "（1）风电项目。",
        "（2）光伏项目。",
        "（二）抓服务。",
        "二、2024年工作计划",
        "（一）新的（一）在新的“二、”下重新开始。",
        "（二）继续。",
        "1.5万元资金到位。",
        "10.从严监管。",
    ]
    found = lint_lines(lines)
    assert [f for f in found if f.code.startswith("TZ2")] == []


def test_numbering_restarts_at_each_document_of_a_compilation() -> None:
    lines = [
        "甲局2023年工作总结",
        "一、主要工作",
        "二、存在问题",
        "三、工作计划",
        "",
        "乙局2023年工作总结及2024年工作计划",
        "一、主要工作",
        "（一）抓落实。",
        "二、工作计划",
    ]
    assert [f for f in lint_lines(lines) if f.code.startswith("TZ2")] == []


def test_tz203_level_jump() -> None:
    lines = [
        "一、工作开展情况",
        "（1）抓项目。",
        "（2）抓服务。",
        "二、存在问题",
        "（一）短板。",
        "（1）项目少。",
    ]
    found = codes(lint_lines(lines), "TZ203")
    assert [(f.line, f.message) for f in found] == [
        (2, "层级跳跃：一、下直接出现（1），中间缺少“（一）”或“1.”一级")
    ]
    # Skipping one level (`一、` then `1.`, `（一）` then `（1）`) is common and allowed.
    assert codes(lint_lines(["一、总结", "1.抓项目。", "2.抓服务。"]), "TZ203") == []


def test_tz204_malformed_enumerators() -> None:
    lines = [
        "四、工作计划",
        "（一)提升服务水平",
        "(二)强基础建阵地",
        "五.其他工作",
        "（3)细化方案",
        "1、推进",
        "2．推进",
    ]
    found = codes(lint_lines(lines), "TZ204")
    assert [(f.line, f.message) for f in found] == [
        (2, "编号格式不规范：“（一)”全角半角括号混用，应写作“（一）”"),
        (3, "编号格式不规范：“(二)”用了半角括号，应写作“（二）”"),
        (4, "编号格式不规范：“五.”应写作“五、”"),
        (5, "编号格式不规范：“（3)”全角半角括号混用，应写作“（3）”"),
    ]
    # A mistyped enumerator still counts in its sequence: `(二)` after `（一)` is no gap.
    assert codes(lint_lines(lines), "TZ201") == []


def test_numbering_reads_enumerators_with_the_engines_grammar() -> None:
    # Spaced and comma forms are enumerators to the parser (enumerators.py), so to lint as well.
    lines = [
        "一、总结",
        "（ 一 ）抓项目。",
        "（三）抓服务。",
        "二，计划",
        "1、推进",
        "2、推进",
        "2.xx村完成改造。",
    ]
    found = [f for f in lint_lines(lines) if f.code.startswith("TZ2")]
    assert [(f.line, f.code, f.excerpt) for f in found] == [
        (3, "TZ201", "（三）"),
        (4, "TZ204", "二，"),
        (7, "TZ202", "2."),
    ]
    assert found[1].message == "编号格式不规范：“二，”应写作“二、”"


# ---------------------------------------------------------------- TZ301 punctuation


def test_tz301_half_width_punctuation_in_chinese() -> None:
    lines = [
        "深化综合改革,进一步加快发展;全力推进。",
        "根据《优化营商环境方案(2023—2025年)》部署，建立县乡村(社区）指挥体系。",
        "汇报如下:",
    ]
    found = codes(lint_lines(lines), "TZ301")
    assert [(f.line, f.message) for f in found] == [
        (1, "标点全角半角混用：中文中用了半角“,”“;”，应改为全角“，”“；”"),
        (2, "标点全角半角混用：中文中用了半角“(”“)”，应改为全角“（”“）”"),
        (3, "标点全角半角混用：中文中用了半角“:”，应改为全角“：”"),
    ]
    assert found[0].excerpt == "改革,进一步"


def test_tz301_percent_signs_mixed_in_a_document() -> None:
    lines = ["增长5%，占比12%。", "整改率xx％。", "完成率98%。"]
    found = codes(lint_lines(lines), "TZ301")
    assert [(f.line, f.message) for f in found] == [
        (2, "百分号全角半角混用：本文多用“%”（3处），此处用了“％”，应统一为“%”")
    ]


def test_tz301_not_flagged() -> None:
    lines = [
        "投资1,000万元，8:30召开会议，网址http://example.gov.cn/a?b=1。",
        "推进RCEP、APEC商务旅行卡办理（含GDP核算）。",
        "Hello, world; it works: fine.",
        "（一）强化领导，增长5%。",
        "甲局2024年工作计划",
        "增长３％。",
    ]
    assert codes(lint_lines(lines), "TZ301") == []


# ---------------------------------------------------------------- TZ401 / TZ402 (documents)


def doc_result(title: str, sections: list[Section]) -> ParseResult:
    lines = [title] + [""] * 30
    for s in sections:
        lines[s.line - 1] = s.heading
    return ParseResult(
        source="t.txt", lines=lines, documents=[Document(title=title, line=1, sections=sections)]
    )


def test_tz401_plan_year_contradicts_title() -> None:
    result = doc_result(
        "xx局2024年工作计划",
        [Section("一、2023年工作回顾", 1, 2, "summary"), Section("二、2025年重点工作", 1, 10, "plan")],
    )
    found = codes(lint_result(result), "TZ401")
    assert [(f.line, f.message) for f in found] == [
        (10, "年份与标题不符：标题为2024年工作计划，计划部分标题却写“2025年”，应为“2024年”")
    ]


def test_tz401_summary_year_contradicts_title() -> None:
    result = doc_result(
        "xx县xx局2023年工作总结",
        [Section("一、2022年工作总结", 1, 2, "summary"), Section("二、存在问题", 1, 8, "problem")],
    )
    found = codes(lint_result(result), "TZ401")
    assert [(f.line, f.message) for f in found] == [
        (2, "年份与标题不符：标题为2023年工作总结，总结部分标题却写“2022年”，应为“2023年”")
    ]


def test_tz401_consistent_years_not_flagged() -> None:
    ok = [
        doc_result(
            "甲局2023年工作总结及下步工作打算",
            [Section("一、2023年工作开展情况", 1, 2, "summary"), Section("二、2024年工作打算", 1, 9, "plan")],
        ),
        doc_result(
            "乙局2023年上半年工作总结和下半年工作思路",
            [
                Section("一、上半年工作总结", 1, 2, "summary"),
                Section("二、2023年下半年工作思路", 1, 9, "plan"),
            ],
        ),
        doc_result(
            "丙局2023年工作总结",
            [
                Section("一、2023年度工作计划完成情况", 1, 2, "summary"),
                Section("二、2022年以来改革回顾", 1, 5, "summary"),
                Section("三、2021-2035年规划编制", 1, 7, "other"),
                Section("四、2024年工作计划", 1, 9, "plan"),
            ],
        ),
    ]
    for result in ok:
        assert codes(lint_result(result), "TZ401") == [], result.documents[0].title


def with_body(
    title: str,
    body: list[str],
    sections: list[Section],
    plan_period: str | None = None,
    word: str | None = None,
) -> ParseResult:
    """A parse result as the parser leaves it; `word` is the body's own word for the plan year."""
    lines = [title, *body]
    doc = Document(
        title=title,
        line=1,
        sections=sections,
        plan_period=plan_period,
        plan_period_word=word,
        end_line=len(lines),
    )
    return ParseResult(source="t.txt", lines=lines, documents=[doc])


PLAN_BODY = [
    "一、2022年工作总结",
    "全年完成道路改造12公里，为明年打下基础。",
    "二、下一年工作打算",
    "明年，我们将继续推进道路建设。",
    "（一）抓项目。加快县道改造。",
]
PLAN_SECTIONS = [
    Section("一、2022年工作总结", 1, 2, "summary"),
    Section("二、下一年工作打算", 1, 4, "plan", [Section("（一）抓项目", 2, 6, "plan")]),
]


def test_tz401_title_plan_year_contradicted_by_the_body() -> None:
    result = with_body("甲局2022年工作总结及2022年工作计划", PLAN_BODY, PLAN_SECTIONS, "2023", "下一年")
    found = codes(lint_result(result), "TZ401")
    assert [(f.line, f.excerpt, f.message) for f in found] == [
        (
            1,
            "甲局2022年工作总结及2022年工作计划",
            "标题年份与正文不符：标题的计划写“2022年”，正文计划部分说“下一年”（即2023年），标题应改为“2023年”",
        )
    ]


def test_tz401_body_words_only_count_in_the_plan_part(tmp_path: Path) -> None:
    # `明年` in the summary part says nothing about the plan's year.
    from taizhang.reports import parse_file

    draft = tmp_path / "draft.txt"
    body = ["一、2022年工作总结", "为明年打下基础。", "二、工作打算", "继续推进道路建设。"]
    draft.write_text("乙局2022年工作总结及2022年工作计划\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    assert codes(lint_result(parse_file(draft)), "TZ401") == []


def test_tz401_title_agreeing_with_the_body_is_not_flagged() -> None:
    ok = [
        with_body("甲局2022年工作总结及2023年工作计划", PLAN_BODY, PLAN_SECTIONS, "2023", "下一年"),
        with_body("丙局2022年上半年工作总结和2022年下半年工作计划", PLAN_BODY, PLAN_SECTIONS),
        with_body("丁局2023年工作计划", PLAN_BODY[2:], PLAN_SECTIONS[1:]),
    ]
    for result in ok:
        assert codes(lint_result(result), "TZ401") == [], result.documents[0].title


def test_tz401_uses_the_parsers_plan_period_once_the_body_wins_there() -> None:
    # When the parser settles `plan_period` from the body, lint reports the title that disagrees.
    body = ["一、2022年工作总结", "完成改造。", "二、工作打算", "继续推进道路建设。"]
    sections = [Section("一、2022年工作总结", 1, 2, "summary"), Section("二、工作打算", 1, 4, "plan")]
    result = with_body("戊局2022年工作总结及2022年工作计划", body, sections, plan_period="2023")
    found = codes(lint_result(result), "TZ401")
    assert [f.message for f in found] == [
        "标题年份与正文不符：标题的计划写“2022年”，正文计划部分说“2023年”（即2023年），标题应改为“2023年”"
    ]


def test_tz401_title_versus_body_end_to_end(tmp_path: Path) -> None:
    from taizhang.reports import parse_file

    draft = tmp_path / "draft.txt"
    draft.write_text("甲局2022年工作总结及2022年工作计划\n\n" + "\n".join(PLAN_BODY) + "\n", encoding="utf-8")
    found = codes(lint_result(parse_file(draft)), "TZ401")
    assert [(f.line, f.message.split("，")[1]) for f in found] == [(1, "正文计划部分说“下一年”（即2023年）")]


def test_tz402_plan_title_without_plan_section() -> None:
    result = doc_result(
        "xx局2023年工作总结及2024年工作计划",
        [Section("一、2023年工作总结", 1, 2, "summary"), Section("二、存在问题", 1, 8, "problem")],
    )
    found = codes(lint_result(result), "TZ402")
    assert [(f.line, f.excerpt) for f in found] == [(1, "xx局2023年工作总结及2024年工作计划")]
    assert found[0].message.startswith("标题含“计划”，但正文没有计划部分")


def test_tz402_not_flagged() -> None:
    with_plan = doc_result(
        "xx局2023年工作总结及2024年工作计划",
        [Section("一、2023年工作总结", 1, 2, "summary"), Section("二、2024年工作计划", 1, 8, "plan")],
    )
    # A pure plan has no summary part: its sections are the plan itself.
    pure_plan = doc_result(
        "xx局2024年工作要点",
        [Section("一、指导思想", 1, 2, "other"), Section("二、重点任务", 1, 6, "other")],
    )
    no_sections = doc_result("xx局2023年工作总结及2024年工作计划", [])
    for result in (with_plan, pure_plan, no_sections):
        assert codes(lint_result(result), "TZ402") == []


# ---------------------------------------------------------------- API and output


def test_findings_sorted_and_serialisable() -> None:
    found = lint_lines(["（一)D的建设xx项,推进", "一、总结"])
    assert [(f.line, f.code) for f in found] == sorted((f.line, f.code) for f in found)
    assert found[0].to_dict() == {
        "line": 1,
        "code": found[0].code,
        "message": found[0].message,
        "excerpt": found[0].excerpt,
        "count": 1,
    }
    # Without documents, lint_result runs the same line rules as lint_lines.
    lines = ["一、总结", "（二）xx项", "（二）重复"]
    assert lint_result(ParseResult(source="t.txt", lines=lines)) == lint_lines(lines)


def test_render_findings() -> None:
    found = lint_lines(["完成xx项。", "（一)推进"])
    text = render_findings("t.txt", found).splitlines()
    assert text[:4] == [
        "t.txt：共 2 处问题，分布在 2 段",
        "  TZ101 未填写的占位符 1 处",
        "  TZ204 编号格式不规范 1 处",
        "",
    ]
    assert text[4] == "t.txt:1: TZ101 未填写的占位符“xx项”，应填入实际数值"
    assert len(text) == 6
    assert render_findings("t.txt", []) == "t.txt：未发现问题\n"


def test_summary_counts_occurrences_and_paragraphs_per_rule() -> None:
    # A real numbering fault must not drown among placeholders: the summary on top names it.
    lines = ["完成投资xx亿元，新增xx家。"] * 300 + ["一、总结", "三、计划"]
    found = lint_lines(lines)
    assert [r.to_dict() for r in summarize(found)] == [
        {"code": "TZ101", "rule": "未填写的占位符", "count": 600, "lines": 300},
        {"code": "TZ201", "rule": "编号不连续", "count": 1, "lines": 1},
    ]
    head = render_findings("t.txt", found).splitlines()[:3]
    assert head == [
        "t.txt：共 601 处问题，分布在 301 段",
        "  TZ101 未填写的占位符 600 处（300 段）",
        "  TZ201 编号不连续 1 处",
    ]
    data = report_dict("t.txt", found)
    assert data["total"] == 601
    assert data["summary"] == [r.to_dict() for r in summarize(found)]
    assert len(data["findings"]) == 301  # type: ignore[arg-type]


def test_cli_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "xx局2023年工作总结\n一、主要工作\n完成投资xx亿元。\n（一)推进项目。\n", encoding="utf-8"
    )
    assert main(["lint", str(draft)]) == 1
    out = capsys.readouterr().out
    assert "draft.txt:3: TZ101" in out and "TZ204" in out

    assert main(["lint", "--json", str(draft)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "draft.txt"
    assert {f["code"] for f in data["findings"]} >= {"TZ101", "TZ204"}
    assert all(set(f) == {"line", "code", "message", "excerpt", "count"} for f in data["findings"])
    assert [r["code"] for r in data["summary"]] == sorted({f["code"] for f in data["findings"]})
    assert data["total"] == sum(f["count"] for f in data["findings"])

    clean = tmp_path / "clean.txt"
    clean.write_text(
        "甲局2023年工作总结\n一、主要工作\n完成投资12亿元，增长5%。\n（一）推进项目。\n", encoding="utf-8"
    )
    assert main(["lint", str(clean)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_corpus_lints_and_finds_placeholders(shared: Path) -> None:
    from taizhang.reports import parse_file

    files = sorted((shared / "corpus").glob("*.txt"))
    assert files
    for path in files:
        found = lint_result(parse_file(path))
        assert codes(found, "TZ101"), path.name
        assert all(f.line >= 1 and f.message and "\n" not in f.message for f in found)
