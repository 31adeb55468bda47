"""A .docx as Word and WPS really write it parses like the same text typed (PARSE.md §1).

Every variant is built here from made-up text (`wordbuild`): automatic numbering in each
number format, numbering through heading styles, restarts, a body inside a table, soft line
breaks, lines broken mid-value, runs split mid-word, a letterhead with header and footer,
comments, footnotes, tracked revisions, a .docx named .doc. Each must give the same
documents (titles, units, periods, sections, tasks, problems, indicators, with their line
numbers) as the equivalent plain text.
"""

from __future__ import annotations

from typing import Any

import pytest

from taizhang.reports import load_bytes, parse_bytes, parse_text

from .wordbuild import (
    build,
    cell,
    comments,
    footer,
    footnotes,
    header,
    level,
    num_pr,
    numbering,
    para,
    paragraph_style,
    plain,
    run,
    style,
    styles,
    table,
)

# A made-up report: (numbering level or None, the enumerator as typed, the text after it).
REPORT: list[tuple[int | None, str, str]] = [
    (None, "", "某某县文化旅游体育局2023年工作总结及2024年工作计划"),
    (None, "", ""),
    (None, "", "2023年，县文化旅游体育局坚持稳中求进，扎实推进各项工作，现将有关情况报告如下。"),
    (0, "一、", "2023年工作总结"),
    (1, "（一）", "文旅产业稳步发展。全年接待游客xx万人次，实现旅游收入x.x亿元，同比增长x.x%。"),
    (1, "（二）", "公共服务持续完善。一是新建农家书屋xx个；二是开展文化惠民演出xx场。"),
    (0, "二、", "存在的问题"),
    (None, "", "一是产业融合不深，精品线路偏少；二是专业人才储备不足。"),
    (0, "三、", "2024年工作计划"),
    (1, "（一）", "推动文旅融合"),
    (2, "1.", "打造精品线路。全年推出精品旅游线路x条，力争旅游收入增长x%。"),
    (2, "2.", "培育节会品牌。办好乡村文化旅游节，扩大品牌影响。"),
    (1, "（二）", "完善公共服务"),
    (2, "1.", "推进场馆建设。"),
    (3, "（1）", "完成县图书馆改造，年底前投入使用。"),
    (3, "（2）", "新建城市书房x个，安排资金xx万元。"),
    (2, "2.", "丰富群众活动。全年开展文体活动xx场次。"),
]

TYPED = [prefix + text for _, prefix, text in REPORT]

# The genre's multilevel list: 一、 （一） 1. （1）.
GENRE_LEVELS = (
    level(0, "chineseCounting", "%1、")
    + level(1, "chineseCounting", "（%2）")
    + level(2, "decimal", "%3.")
    + level(3, "decimal", "（%4）")
)
GENRE_NUMBERING = numbering({0: GENRE_LEVELS}, {1: (0, "")})


def documents(result: Any) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = result.to_dict()["documents"]
    return docs


def assert_same_parse(data: bytes, lines: list[str], filename: str = "报告.docx") -> list[dict[str, Any]]:
    """The .docx parses exactly like the plain text `lines`: every document, section, task,
    problem and indicator, with the same line numbers."""
    from_docx = documents(parse_bytes(data, filename))
    from_text = documents(parse_text("\n".join(lines)))
    assert from_text, "the plain text must hold a report"
    assert from_docx == from_text
    return from_docx


def test_the_plain_report_reads_as_intended() -> None:
    """The reference the variants are compared with holds what the test means it to."""
    (doc,) = documents(parse_text("\n".join(TYPED)))
    assert doc["unit"] == "某某县文化旅游体育局"
    assert [s["heading"] for s in doc["sections"]] == [
        "一、2023年工作总结",
        "二、存在的问题",
        "三、2024年工作计划",
    ]
    assert [s["role"] for s in doc["sections"]] == ["summary", "problem", "plan"]
    assert [t["line"] for t in doc["tasks"]] == [11, 12, 15, 16, 17]
    assert len(doc["problems"]) == 2
    assert {
        "line": 5,
        "name": "旅游收入",
        "value": "x.x",
        "unit": "亿元",
        "change": "同比增长x.x%",
    }.items() <= {
        k: v
        for ind in doc["indicators"]
        if ind["name"] == "旅游收入" and ind["line"] == 5
        for k, v in ind.items()
    }.items()


# --- automatic numbering -------------------------------------------------------------------------


def numbered_body(levels: list[int | None] | None = None) -> str:
    """The report with its enumerators left to Word's numbering (list 1)."""
    out = []
    for lvl, _, text in REPORT:
        out.append(para(text, ppr=num_pr(1, lvl)) if lvl is not None else para(text))
    return "".join(out)


def test_word_numbering_reads_like_typed_enumerators() -> None:
    data = build(numbered_body(), numbering_xml=GENRE_NUMBERING)
    assert load_bytes(data, "a.docx").lines == TYPED
    assert_same_parse(data, TYPED)


def test_numbering_through_heading_styles_and_based_on() -> None:
    # 一、 from Heading1's own numPr; （一） from a style based on Heading2 (which carries the
    # numbering, level linked to the style by w:pStyle in the definition); 1. and （1） direct.
    levels = (
        level(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Heading1"/>')
        + level(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Heading2"/>')
        + level(2, "decimal", "%3.")
        + level(3, "decimal", "（%4）")
    )
    defs = styles(
        paragraph_style("Heading1", ppr=num_pr(1, 0)),
        paragraph_style("Heading2", ppr=num_pr(1, None)),  # no ilvl: the level linked to Heading2
        paragraph_style("KaiTi2", based_on="Heading2"),
    )
    body = []
    for lvl, _, text in REPORT:
        if lvl == 0:
            body.append(para(text, ppr=style("Heading1")))
        elif lvl == 1:
            body.append(para(text, ppr=style("KaiTi2")))
        elif lvl is not None:
            body.append(para(text, ppr=num_pr(1, lvl)))
        else:
            body.append(para(text))
    data = build("".join(body), numbering_xml=numbering({0: levels}, {1: (0, "")}), styles_xml=defs)
    assert load_bytes(data, "a.docx").lines == TYPED
    assert_same_parse(data, TYPED)


def test_a_direct_num_id_zero_removes_the_style_numbering() -> None:
    defs = styles(paragraph_style("Heading1", ppr=num_pr(1, 0)))
    body = para("第一项", ppr=style("Heading1")) + para("不编号", ppr=style("Heading1") + num_pr(0, 0))
    body += para("第二项", ppr=style("Heading1"))
    data = build(body, numbering_xml=GENRE_NUMBERING, styles_xml=defs)
    assert load_bytes(data, "a.docx").lines == ["一、第一项", "不编号", "二、第二项"]


# Hand-written renderings of 1, 2, 10, 11, 20, 21 and 100 as Word shows them.
FORMATS: dict[str, list[str]] = {
    "decimal": ["1", "2", "10", "11", "20", "21", "100"],
    "decimalZero": ["01", "02", "10", "11", "20", "21", "100"],
    "decimalFullWidth": ["１", "２", "１０", "１１", "２０", "２１", "１００"],
    "decimalEnclosedCircle": ["①", "②", "⑩", "⑪", "⑳", "21", "100"],
    "decimalEnclosedCircleChinese": ["①", "②", "⑩", "⑪", "⑳", "21", "100"],
    "decimalEnclosedParen": ["⑴", "⑵", "⑽", "⑾", "⒇", "21", "100"],
    "decimalEnclosedFullstop": ["⒈", "⒉", "⒑", "⒒", "⒛", "21", "100"],
    "chineseCounting": ["一", "二", "十", "十一", "二十", "二十一", "一〇〇"],
    "chineseCountingThousand": ["一", "二", "十", "十一", "二十", "二十一", "一百"],
    "taiwaneseCountingThousand": ["一", "二", "十", "十一", "二十", "二十一", "一百"],
    "ideographDigital": ["一", "二", "一〇", "一一", "二〇", "二一", "一〇〇"],
    "japaneseCounting": ["一", "二", "十", "十一", "二十", "二十一", "百"],
    "chineseLegalSimplified": ["壹", "贰", "拾", "拾壹", "贰拾", "贰拾壹", "壹佰"],
    "ideographLegalTraditional": ["壹", "貳", "拾", "拾壹", "貳拾", "貳拾壹", "壹佰"],
    "ideographTraditional": ["甲", "乙", "癸", "甲", "癸", "甲", "癸"],
    "ideographZodiac": ["子", "丑", "酉", "戌", "未", "申", "卯"],
    "ideographEnclosedCircle": ["㈠", "㈡", "㈩", "11", "20", "21", "100"],
    "upperLetter": ["A", "B", "J", "K", "T", "U", "VVVV"],
    "lowerLetter": ["a", "b", "j", "k", "t", "u", "vvvv"],
    "upperRoman": ["I", "II", "X", "XI", "XX", "XXI", "C"],
    "lowerRoman": ["i", "ii", "x", "xi", "xx", "xxi", "c"],
}
SAMPLES = [1, 2, 10, 11, 20, 21, 100]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_number_format(fmt: str) -> None:
    # One list per sample value, each starting there: the paragraph shows that number.
    abstracts = {i: level(0, fmt, "%1、", start=n) for i, n in enumerate(SAMPLES)}
    nums = {i + 1: (i, "") for i in range(len(SAMPLES))}
    body = "".join(para("项目", ppr=num_pr(i + 1, 0)) for i in range(len(SAMPLES)))
    data = build(body, numbering_xml=numbering(abstracts, nums))
    assert load_bytes(data, "a.docx").lines == [f"{label}、项目" for label in FORMATS[fmt]]


def test_counting_continues_and_templates_combine_levels() -> None:
    levels = level(0, "decimal", "第%1章") + level(1, "decimal", "%1.%2") + level(2, "lowerLetter", "%3)")
    body = "".join(
        para(text, ppr=num_pr(1, lvl))
        for lvl, text in [
            (0, "总则"),
            (1, "目的"),
            (1, "范围"),
            (2, "甲"),
            (2, "乙"),
            (0, "分则"),
            (1, "一般规定"),
            (2, "丙"),
        ]
    )
    data = build(body, numbering_xml=numbering({0: levels}, {1: (0, "")}))
    assert load_bytes(data, "a.docx").lines == [
        "第1章总则",
        "1.1 目的",
        "1.2 范围",
        "a)甲",
        "b)乙",
        "第2章分则",
        "2.1 一般规定",
        "a)丙",
    ]


def test_restart_by_start_override_and_shared_abstract_counting() -> None:
    # Two w:num on one abstract list continue one count; a third restarts it with startOverride,
    # as Word writes "重新开始于一".
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    xml = numbering({0: level(0, "chineseCounting", "%1、")}, {1: (0, ""), 2: (0, ""), 3: (0, restart)})
    body = "".join(
        para(text, ppr=num_pr(n, 0))
        for n, text in [(1, "甲"), (1, "乙"), (2, "丙"), (3, "丁"), (3, "戊"), (2, "己")]
    )
    lines = load_bytes(build(body, numbering_xml=xml), "a.docx").lines
    assert lines == ["一、甲", "二、乙", "三、丙", "一、丁", "二、戊", "三、己"]


def test_start_value_and_full_level_override() -> None:
    override = f'<w:lvlOverride w:ilvl="0">{level(0, "decimal", "（%1）", start=5)}</w:lvlOverride>'
    xml = numbering(
        {0: level(0, "chineseCounting", "%1、", start=3), 1: level(0, "decimal", "%1.")},
        {1: (0, ""), 2: (1, override)},
    )
    body = para("甲", ppr=num_pr(1, 0)) + para("乙", ppr=num_pr(1, 0)) + para("丙", ppr=num_pr(2, 0))
    assert load_bytes(build(body, numbering_xml=xml), "a.docx").lines == ["三、甲", "四、乙", "（5）丙"]


def test_lvl_restart_and_deeper_levels_restarting() -> None:
    # Level 2 restarts after level 1 advances (default); level 3 has lvlRestart 1: only level 1
    # restarts it, so it keeps counting across level-2 items.
    levels = (
        level(0, "chineseCounting", "%1、")
        + level(1, "decimal", "%2.")
        + level(2, "decimal", "（%3）", extra='<w:lvlRestart w:val="1"/>')
    )
    xml = numbering({0: levels}, {1: (0, "")})
    items = [(0, "甲"), (1, "a"), (2, "x"), (1, "b"), (2, "y"), (0, "乙"), (1, "c"), (2, "z")]
    body = "".join(para(text, ppr=num_pr(1, lvl)) for lvl, text in items)
    assert load_bytes(build(body, numbering_xml=xml), "a.docx").lines == [
        "一、甲",
        "1.a",
        "（1）x",
        "2.b",
        "（2）y",
        "二、乙",
        "1.c",
        "（1）z",
    ]


def test_legal_numbering_bullets_and_empty_numbered_paragraphs() -> None:
    levels = level(0, "chineseCounting", "%1、") + level(1, "decimal", "%1.%2", extra="<w:isLgl/>")
    xml = numbering({0: levels, 1: level(0, "bullet", "\u2022")}, {1: (0, ""), 2: (1, "")})
    body = (
        para("总体", ppr=num_pr(1, 0))
        + para("细则", ppr=num_pr(1, 1))
        + para("", ppr=num_pr(1, 0))  # an empty numbered paragraph counts but reads as a blank line
        + para("要点", ppr=num_pr(2, 0))  # a bullet is no number
        + para("再一项", ppr=num_pr(1, 0))
    )
    assert load_bytes(build(body, numbering_xml=xml), "a.docx").lines == [
        "一、总体",
        "1.1 细则",
        "",
        "要点",
        "三、再一项",
    ]


def test_a_word_numbered_plan_heading_is_no_title() -> None:
    # Unnumbered, `2024年工作计划` would read as a new title; numbered by Word it is part 二.
    lines = [
        "某某县商务局2023年工作总结",
        "一、工作成效",
        "全年外贸进出口额xx亿元。",
        "二、2024年工作计划",
        "（一）稳外贸。全年组织企业参展x次。",
    ]
    levels = level(0, "chineseCounting", "%1、") + level(1, "chineseCounting", "（%2）")
    body = para(lines[0]) + para("工作成效", ppr=num_pr(1, 0)) + para(lines[2])
    body += para("2024年工作计划", ppr=num_pr(1, 0)) + para("稳外贸。全年组织企业参展x次。", ppr=num_pr(1, 1))
    (doc,) = assert_same_parse(build(body, numbering_xml=numbering({0: levels}, {1: (0, "")})), lines)
    assert [s["role"] for s in doc["sections"]] == ["summary", "plan"]
    assert doc["tasks"][0]["line"] == 5


# --- tables --------------------------------------------------------------------------------------


def test_a_body_inside_a_one_cell_table_reads_like_the_text() -> None:
    body = table([[cell(*(para(line) for line in TYPED))]], 1)
    assert_same_parse(build(body), TYPED)


def test_a_body_laid_out_in_table_rows_reads_like_the_text() -> None:
    # Title in a paragraph, every other line a row of its own; line numbers count through the table.
    rows = [[cell(para(line))] for line in TYPED[2:]]
    data = build(para(TYPED[0]) + para("") + table(rows, 1))
    assert_same_parse(data, TYPED)


def test_numbered_paragraphs_inside_a_table_count_on() -> None:
    body = para(REPORT[0][2]) + para("") + table([[cell(numbered_body_paragraphs())]], 1)
    data = build(body, numbering_xml=GENRE_NUMBERING)
    assert_same_parse(data, TYPED)


def numbered_body_paragraphs() -> str:
    return "".join(
        para(text, ppr=num_pr(1, lvl)) if lvl is not None else para(text) for lvl, _, text in REPORT[2:]
    )


def test_merged_cells_are_read_once_and_repeated_in_the_grid() -> None:
    v_restart, v_continue = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = [
        [cell(para("序号")), cell(para("任务")), cell(para("责任领导")), cell(para("时限"))],
        [cell(para("1")), cell(para("建设书房")), cell(para("张某"), props=v_restart), cell(para("6月底"))],
        [cell(para("2")), cell(para("改造场馆")), cell(para(""), props=v_continue), cell(para("年底"))],
        [
            cell(para("合计两项"), props='<w:gridSpan w:val="2"/>'),
            cell(para(""), props=v_continue),
            cell(para("")),
        ],
    ]
    data = build(para("表前") + table(rows, 4) + para("表后"))
    loaded = load_bytes(data, "t.docx")
    assert loaded.lines == [
        "表前",
        "序号",
        "任务",
        "责任领导",
        "时限",
        "1",
        "建设书房",
        "张某",
        "6月底",
        "2",
        "改造场馆",
        "年底",
        "合计两项",
        "表后",
    ]
    (grid_table,) = loaded.grids
    assert grid_table.grid.rows == [
        ["序号", "任务", "责任领导", "时限"],
        ["1", "建设书房", "张某", "6月底"],
        ["2", "改造场馆", "张某", "年底"],
        ["合计两项", "合计两项", "张某", ""],
    ]
    assert grid_table.grid.lines == [2, 6, 10, 13]
    assert (grid_table.first_line, grid_table.last_line) == (2, 13)


def test_cell_paragraphs_join_with_newlines_in_the_grid() -> None:
    rows = [[cell(para("县文旅局"), para("县财政局")), cell(para(""), para("年底前"))]]
    loaded = load_bytes(build(table(rows, 2)), "t.docx")
    assert loaded.lines == ["县文旅局", "县财政局", "", "年底前"]
    assert loaded.grids[0].grid.rows == [["县文旅局\n县财政局", "\n年底前"]]


# --- line breaks ---------------------------------------------------------------------------------


def with_breaks(lines: list[str], kind: str = "") -> str:
    """All lines in one paragraph, each ended by a manual line break (WPS 手动换行)."""
    attr = f' w:type="{kind}"' if kind else ""
    runs = f"<w:r><w:br{attr}/></w:r>".join(run(line) if line else "" for line in lines)
    return para(runs=runs)


def test_a_report_in_one_paragraph_of_soft_breaks() -> None:
    assert_same_parse(build(with_breaks(TYPED)), TYPED)


def test_text_wrapping_breaks_and_carriage_returns_end_lines_too() -> None:
    runs = run("一、工作总结") + '<w:r><w:br w:type="textWrapping"/></w:r>' + run("全年完成。")
    runs += "<w:r><w:cr/></w:r>" + run("二、问题")
    assert load_bytes(build(para(runs=runs)), "a.docx").lines == ["一、工作总结", "全年完成。", "二、问题"]


def test_soft_breaks_between_and_inside_paragraphs() -> None:
    # The first part as separate paragraphs, the rest as paragraphs of several broken lines.
    body = plain(TYPED[:6]) + with_breaks(TYPED[6:9]) + with_breaks(TYPED[9:])
    assert_same_parse(build(body), TYPED)


BROKEN = [
    "某某县文化旅游体育局2023年工作总结及2024年工作计划",
    "",
    "一、2023年工作总结",
    "（一）文旅产业稳步发展。全年接待游客xx万人次，实现旅游收入x.x亿",
    "元，同比增长x.x%，旅游综合带动效应",
    "进一步显现。",
    "（二）公共服务持续完善。全年新建农家书屋xx个。",
    "二、2024年工作计划",
    "（一）推动文旅融合。全年推出精品旅游线路x条，力争旅游收入",
    "增长x%。",
    "（二）完善公共服务。新建城市书房x个。",
]


def test_lines_broken_mid_value_are_joined_in_text_and_docx() -> None:
    (doc,) = assert_same_parse(build(with_breaks(BROKEN)), BROKEN)
    income = [i for i in doc["indicators"] if i["name"] == "旅游收入"]
    assert {"line": 4, "value": "x.x", "unit": "亿元", "change": "同比增长x.x%"}.items() <= income[0].items()
    assert [(t["line"], t["text"]) for t in doc["tasks"]] == [
        (9, "推动文旅融合。全年推出精品旅游线路x条，力争旅游收入增长x%。"),
        (11, "完善公共服务。新建城市书房x个。"),
    ]
    # The same report typed without the breaks reads the same, line numbers aside.
    (whole,) = documents(
        parse_text(
            "\n".join(
                [*BROKEN[:3], "".join(BROKEN[3:6]), BROKEN[6], BROKEN[7], "".join(BROKEN[8:10]), BROKEN[10]]
            )
        )
    )
    assert [t["text"] for t in whole["tasks"]] == [t["text"] for t in doc["tasks"]]


def test_runs_split_mid_word_join_seamlessly() -> None:
    body = []
    for line in TYPED:
        # Word splits runs at every edit, spell-check mark and bookmark: one run per character here.
        pieces = '<w:proofErr w:type="spellStart"/>'.join(
            run(ch, "<w:b/>" if i % 2 else "") for i, ch in enumerate(line)
        )
        body.append(para(runs=pieces + '<w:bookmarkStart w:id="0" w:name="x"/><w:bookmarkEnd w:id="0"/>'))
    assert_same_parse(build("".join(body)), TYPED)


# --- what is not body text -----------------------------------------------------------------------

LETTERHEAD = [
    "某某县文化旅游体育局文件",
    "某文旅〔2024〕3号",
    "",
    "2023年工作总结及2024年工作计划",
    "",
    "一、2023年工作总结",
    "（一）文旅产业稳步发展。全年实现旅游收入x.x亿元，同比增长x.x%。",
    "二、2024年工作计划",
    "（一）推动文旅融合。全年推出精品旅游线路x条。",
]


def test_letterhead_gives_the_unit_header_and_footer_are_not_body() -> None:
    sect = '<w:headerReference w:type="default" r:id="rIdHeader1"/><w:footerReference w:type="default" r:id="rIdFooter1"/>'
    data = build(
        plain(LETTERHEAD),
        parts=(header("某某县人民政府办公室2023年工作总结"), footer("— 1 —")),
        sect=sect,
    )
    (doc,) = assert_same_parse(data, LETTERHEAD)
    assert doc["title"] == "2023年工作总结及2024年工作计划"
    assert doc["line"] == 4
    assert doc["unit"] == "某某县文化旅游体育局"
    assert load_bytes(data, "a.docx").lines == LETTERHEAD


def test_comments_and_footnotes_are_not_body_text() -> None:
    commented = (
        '<w:commentRangeStart w:id="0"/>'
        + run("（一）文旅产业稳步发展。全年实现旅游收入x.x亿元，同比增长x.x%。")
        + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    )
    body = plain(LETTERHEAD[:6]) + para(runs=commented) + plain(LETTERHEAD[7:])
    data = build(
        body, parts=(comments("此处数据需核实，全年实现旅游收入xx亿元。"), footnotes("数据来源：县统计局。"))
    )
    assert_same_parse(data, LETTERHEAD)


def test_deleted_revisions_are_not_read_inserted_ones_are() -> None:
    deleted_paragraph = (
        '<w:p><w:pPr><w:rPr><w:del w:id="11" w:author="a"/></w:rPr></w:pPr>'
        '<w:del w:id="12" w:author="a"><w:r><w:delText>（二）删除的一项。全年投入资金xx万元。</w:delText></w:r></w:del></w:p>'
    )
    revised = (
        run("（一）推动文旅融合。全年推出")
        + '<w:del w:id="1" w:author="a"><w:r><w:delText>三条</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="a"><w:r><w:t>精品旅游线路x条</w:t></w:r></w:ins>'
        + '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>挪走的字</w:t></w:r></w:moveFrom>'
        + run("。")
    )
    body = plain(LETTERHEAD[:8]) + deleted_paragraph + para(runs=revised)
    assert_same_parse(build(body), LETTERHEAD)


def test_hidden_text_is_not_read() -> None:
    hidden = run("（一）推动文旅融合。") + run("内部备注：", "<w:vanish/>") + run("全年推出精品旅游线路x条。")
    body = plain(LETTERHEAD[:8]) + para(runs=hidden)
    assert_same_parse(build(body), LETTERHEAD)


# --- format by content ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["报告.doc", "报告.wps", "报告.txt", "报告"])
def test_a_docx_under_another_name_is_read_as_docx(name: str) -> None:
    data = build(numbered_body(), numbering_xml=GENRE_NUMBERING)
    assert_same_parse(data, TYPED, filename=name)


# --- task tables -----------------------------------------------------------------------------------


def task_table_docx() -> bytes:
    """A plan whose tasks stand in a Word table under a heading: a two-row header (时间节点 over
    完成时限 / 阶段目标), category rows across the table, a leader merged over three rows."""

    def span(n: int) -> str:
        return f'<w:gridSpan w:val="{n}"/>'

    v_restart, v_continue = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"

    def row(*texts: str, props: dict[int, str] | None = None) -> list[str]:
        props = props or {}
        return [
            cell(*(para(t) for t in text.split("\n")), props=props.get(i, "")) for i, text in enumerate(texts)
        ]

    rows = [
        row(
            "序号",
            "重点任务",
            "牵头单位",
            "配合单位",
            "责任领导",
            "时间节点",
            props={i: v_restart for i in range(5)} | {5: span(2)},
        ),
        row("", "", "", "", "", "完成时限", "阶段目标", props={i: v_continue for i in range(5)}),
        row("一、优化营商环境", props={0: span(7)}),
        row(
            "1",
            "推进“一网通办”改革",
            "县政务服务中心",
            "县大数据局、县司法局",
            "副县长王明",
            "6月底前",
            "3月底前完成系统对接",
            props={4: v_restart},
        ),
        row(
            "2",
            "开展涉企收费专项检查",
            "县市场监管局",
            "县财政局",
            "",
            "9月底前",
            "二季度开展自查",
            props={4: v_continue},
        ),
        row("3", "深化工程建设项目审批制度改革", "县住建局", "", "", "年底前", "", props={4: v_continue}),
        row("二、项目建设", props={0: span(7)}),
        row("4", "加快重大项目建设", "县发改委", "各乡镇", "副县长李华", "12月底前", "3月底前开工10个"),
    ]
    body = plain(["某某县2026年工作要点", "", "一、总体要求", "坚持稳中求进工作总基调。", "二、重点任务"])
    return build(body + table(rows, 7) + para("三、保障措施") + para("加强组织领导。"))


def test_a_word_task_table_gives_one_task_per_row_with_its_fields() -> None:
    data = task_table_docx()
    loaded = load_bytes(data, "要点.docx")
    (grid,) = loaded.grids
    assert grid.grid.rows[4][4] == grid.grid.rows[5][4] == "副县长王明"  # merged leader repeated
    assert len(loaded.tables) == 1
    (doc,) = parse_bytes(data, "要点.docx").documents
    assert doc.title == "某某县2026年工作要点"
    got = [(t.line, t.text, t.path, t.lead_unit, t.co_units, t.leader, t.deadline) for t in doc.tasks]
    header_lines = 9  # 5 body lines, then 序号 … 时间节点, 完成时限, 阶段目标 (merged-away cells give none)
    first = header_lines + 2  # the category row's line, then row 1
    assert [g[1:] for g in got] == [
        ("推进“一网通办”改革", ["二、重点任务", "一、优化营商环境"], "县政务服务中心", ["县大数据局", "县司法局"], "副县长王明", "6月底前"),
        ("开展涉企收费专项检查", ["二、重点任务", "一、优化营商环境"], "县市场监管局", ["县财政局"], "副县长王明", "9月底前"),
        ("深化工程建设项目审批制度改革", ["二、重点任务", "一、优化营商环境"], "县住建局", [], "副县长王明", "年底前"),
        ("加快重大项目建设", ["二、重点任务", "二、项目建设"], "县发改委", ["各乡镇"], "副县长李华", "12月底前"),
    ]  # fmt: skip
    assert got[0][0] == loaded.lines.index("1", first - 1) + 1  # each task at its row's first line
    assert doc.to_dict()["tasks"][0]["lead_unit"] == "县政务服务中心"


@pytest.mark.parametrize("name", ["台账.docx", "台账.doc", "台账"])
def test_a_workbook_under_another_name_is_read_as_a_workbook(name: str) -> None:
    from .test_workbook import PLAN, PLAN_MERGES, workbook

    data = workbook(PLAN, PLAN_MERGES)
    assert documents(parse_bytes(data, name)) == documents(parse_bytes(data, "台账.xlsx"))
    assert documents(parse_bytes(data, name))[0]["tasks"]


def test_newer_formats_written_as_custom_or_alternate_content() -> None:
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    alternate = (
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent {mc}><mc:Choice Requires="w14">'
        '<w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice>'
        '<mc:Fallback><w:numFmt w:val="chineseCounting"/></mc:Fallback></mc:AlternateContent>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
    )
    custom = '<w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/><w:lvlText w:val="%1."/></w:lvl>'
    xml = numbering({0: alternate, 1: custom}, {1: (0, ""), 2: (1, "")})
    body = para("甲", ppr=num_pr(1, 0)) + para("乙", ppr=num_pr(1, 0)) + para("丙", ppr=num_pr(2, 0))
    assert load_bytes(build(body, numbering_xml=xml), "a.docx").lines == ["一、甲", "二、乙", "009.丙"]


def test_numbering_defined_through_a_numbering_style_link() -> None:
    # Word's list styles: the num points to an abstract that only names a numbering style
    # (numStyleLink); the definition sits on the abstract that the style's own num points to.
    definition = level(0, "chineseCounting", "%1、") + level(1, "chineseCounting", "（%2）")
    abstracts = {
        0: f'<w:styleLink w:val="GenreList"/>{definition}',
        1: '<w:numStyleLink w:val="GenreList"/>',
    }
    xml = numbering(abstracts, {1: (0, ""), 2: (1, "")})
    list_style = (
        '<w:style w:type="numbering" w:styleId="GenreList"><w:name w:val="GenreList"/><w:pPr>'
        + num_pr(1, None)
        + "</w:pPr></w:style>"
    )
    body = para("甲", ppr=num_pr(2, 0)) + para("子", ppr=num_pr(2, 1)) + para("乙", ppr=num_pr(2, 0))
    data = build(body, numbering_xml=xml, styles_xml=styles(list_style))
    assert load_bytes(data, "a.docx").lines == ["一、甲", "（一）子", "二、乙"]


COMPILATION = [
    "某某县商务局2023年工作总结",
    "一、工作成效",
    "全年外贸进出口额xx亿元，同比增长x%。",
    "某某县交通运输局2023年工作总结",
    "一、工作成效",
    "全年完成交通投资x.x亿元。",
    "某某县农业农村局2023年工作总结",
    "一、工作成效",
    "全年粮食产量xx万吨。",
]


def test_reports_of_a_compilation_start_on_new_pages() -> None:
    # Word's 段前分页 (through a title style) and a next-page section break separate the reports;
    # there is no blank line between them, as there would be in the text.
    defs = styles(paragraph_style("ReportTitle", ppr="<w:pageBreakBefore/>"))
    section_break = '<w:sectPr><w:type w:val="nextPage"/></w:sectPr>'
    body = para(COMPILATION[0]) + plain(COMPILATION[1:3])
    body += para(COMPILATION[3], ppr=style("ReportTitle")) + plain(COMPILATION[4:5])
    body += para(COMPILATION[5], ppr=section_break) + plain(COMPILATION[6:])
    docs = documents(parse_bytes(build(body, styles_xml=defs), "汇编.docx"))
    assert [(d["title"], d["line"]) for d in docs] == [(COMPILATION[i], i + 1) for i in (0, 3, 6)]
    with_blank_lines = [*COMPILATION[:3], "", *COMPILATION[3:6], "", *COMPILATION[6:]]
    assert [d["title"] for d in documents(parse_text("\n".join(with_blank_lines)))] == [
        d["title"] for d in docs
    ]


def test_a_document_that_is_only_a_task_table_with_its_title_row() -> None:
    span = '<w:gridSpan w:val="4"/>'
    rows = [
        [cell(para("某某县2026年重点工作任务分解表"), props=span)],
        [cell(para(t)) for t in ("序号", "工作任务", "责任单位", "完成时限")],
        [cell(para(t)) for t in ("1", "新建城市书房x个", "县文旅局", "10月底前")],
        [cell(para(t)) for t in ("2", "完成县图书馆改造", "县文旅局", "年底前")],
    ]
    (doc,) = parse_bytes(build(table(rows, 4)), "分解表.docx").documents
    assert (doc.title, doc.line, doc.plan_period) == ("某某县2026年重点工作任务分解表", 1, "2026")
    assert [(t.line, t.text, t.lead_unit, t.deadline) for t in doc.tasks] == [
        (6, "新建城市书房x个", "县文旅局", "10月底前"),
        (10, "完成县图书馆改造", "县文旅局", "年底前"),
    ]
    assert doc.sections == []


def sym(font: str, char: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def test_symbol_marks_read_as_typed_and_ornaments_are_dropped() -> None:
    body = (
        para(runs=sym("Wingdings", "F06E") + run("加强项目监管"))  # ■ bullet: an ornament
        + para(runs=sym("Symbol", "F0B7") + run("落实安全责任"))  # • bullet
        + para(runs=run("完成情况：") + sym("Wingdings", "F0FC"))  # ✓ check mark
        + para(
            runs=run("是否验收：")
            + sym("Wingdings 2", "F052")
            + run("是 ")
            + sym("Wingdings 2", "F0A3")
            + run("否")
        )
        + para(runs=run("超期") + sym("Symbol", "B4"))  # a plain byte code, not F0xx
        + para(runs=run("其他") + sym("Wingdings", "zz"))  # no code: nothing
    )
    assert load_bytes(build(body), "a.docx").lines == [
        "加强项目监管",
        "落实安全责任",
        "完成情况：√",
        "是否验收：☑是 □否",
        "超期×",
        "其他",
    ]


JOINT_BODY = LETTERHEAD[1:]  # 文号, title and body under the joint issuers' mark


@pytest.mark.parametrize(
    "mark",
    [
        ["某某县财政局", "某某县文化旅游体育局文件"],  # `文件` after the last issuer
        ["某某县财政局", "某某县文化旅游体育局", "文件"],  # `文件` on a line of its own
        ["某某县财政局 某某县文化旅游体育局 文件"],  # the issuers on one line, spaced apart
        ["某某县财政局文件", "某某县文化旅游体育局文件"],  # each issuer with its mark
    ],
)
def test_a_joint_letterhead_gives_its_lead_issuer_as_the_unit(mark: list[str]) -> None:
    (doc,) = parse_text("\n".join(mark + JOINT_BODY)).documents
    assert doc.title == "2023年工作总结及2024年工作计划"
    assert doc.unit == "某某县财政局"  # the lead issuer (主办机关) is named first


def test_a_joint_letterhead_in_a_word_table_gives_its_lead_issuer() -> None:
    # Word lays a joint mark out as a table: the issuers one a line left, `文件` right.
    issuers = cell(para("某某县财政局"), para("某某县文化旅游体育局"))
    mark = table([[issuers, cell(para("文件"))]], 2)
    (doc,) = parse_bytes(build(mark + plain(JOINT_BODY)), "a.docx").documents
    assert doc.title == "2023年工作总结及2024年工作计划"
    assert doc.unit == "某某县财政局"


def test_a_unit_name_set_apart_from_the_letterhead_is_no_issuer() -> None:
    # The signature of the report before, a blank line above the next report's letterhead.
    text = "\n".join(["某某县财政局", "", "某某县文化旅游体育局文件", *JOINT_BODY])
    assert parse_text(text).documents[-1].unit == "某某县文化旅游体育局"
    assert (
        parse_text("\n".join(["某某县财政局", "", "文件", *JOINT_BODY])).documents[-1].unit != "某某县财政局"
    )
