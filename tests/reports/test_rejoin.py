"""Lines broken mid-sentence are joined before reading (PARSE.md §1), and nothing else is."""

from __future__ import annotations

import pytest

from taizhang.reports import parse_text
from taizhang.reports.rejoin import continues, rejoin


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Pasted from a PDF: a printed line ends wherever the width runs out.
        (
            "2023年，我局坚持以人民为中心的发展思想，深入贯彻落实上级决策部署，统筹推进",
            "文化旅游体育各项工作。",
        ),
        ("二是积极实施三端能力提升工程。依托政务服务APP，", "积极开展网上预约等宣传推广。"),
        ("全年实现旅游收入x.x亿", "元，同比增长x.x%。"),
        ("地区生产总值增长", "6.5%，高于全省平均水平。"),
        ("（一）文旅产业稳步发展。全年接待游客xx万人次，实现", "旅游收入x.x亿元。"),
        ("推进重点项目建设，", "确保按期完工。"),
    ],
)
def test_joined(a: str, b: str) -> None:
    assert continues(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("某某县商务局2023年工作总结", "2023年，全县商务工作稳中有进，外贸进出口保持增长。"),  # a title
        (
            "（一）提升为农服务水平，高标准建设为农服务中心",
            "打造县级为农服务中心一处，服务农户xx户。",
        ),  # heading line
        ("三、存在的问题", "基层力量仍然薄弱，专业人才不足。"),
        ("主要困难和问题", "基层力量仍然薄弱，专业人才不足。"),  # a part label
        ("全年完成投资xx亿元。", "推进重点项目建设。"),  # a sentence ended
        ("全年完成投资xx亿元，项目建设取得积极进展", "（二）加强安全监管。"),  # an enumerator follows
        ("推进项目建设取得积极进展，全面完成年度任务", "二是加强安全监管。"),  # a run-in list continues
        ("推进项目建设取得积极进展，全面完成年度目标", "总体思路"),  # a short label follows
        ("某某县文化旅游体育局", "2023年工作总结及2024年工作计划"),  # a title follows
        ("高点定位，筑牢屏障", "全年开展公共卫生监测xx次。"),  # a short thematic heading
        ("（一）瞄定“一号工程”", "全年完成改革任务xx项。"),  # closes with a quote
        ("某某县文化旅游体育局文件", "某文旅〔2024〕3号"),  # letterhead
        ("全年完成各项目标任务，群众满意度持续提升，得到上级充分肯定", "2024年，我局将继续推进各项工作。"),
        ("全年完成各项目标任务，群众满意度持续提升，得到上级充分肯定", "同时，加强队伍建设。"),
    ],
)
def test_not_joined(a: str, b: str) -> None:
    assert not continues(a, b)


def test_blank_lines_and_cell_boundaries_are_never_crossed() -> None:
    lines = ["推进重点项目建设，", "", "确保按期完工。", "推进重点项目建设，", "确保按期完工。"]
    joined = rejoin(lines, hard_breaks={5})
    assert joined.lines == lines
    assert not joined.moved


def test_line_numbers_stay_and_the_first_line_takes_the_text() -> None:
    lines = ["甲", "完成投资xx亿元，同比增长x%，带动就业", "xx人，惠及群众", "xx万人。", "乙"]
    joined = rejoin(lines)
    assert joined.lines == ["甲", "完成投资xx亿元，同比增长x%，带动就业xx人，惠及群众xx万人。", "", "", "乙"]
    assert joined.moved == {3, 4}
    text = joined.lines[1]
    assert joined.origin(2, text.index("惠及")) == 3
    assert joined.origin(2, text.index("xx万人")) == 4


def test_a_broken_task_is_one_task_at_its_first_line() -> None:
    text = "\n".join(
        [
            "某某县交通运输局2024年工作计划",
            "",
            "一、重点任务",
            "（一）推进农村公路建设。全年新改建农村公路xx公里，完成投资x.x亿",
            "元，同比增长x%，进一步改善群众出行",
            "条件。",
            "（二）加强安全监管。开展隐患排查xx次。",
        ]
    )
    (doc,) = parse_text(text).documents
    assert [(t.line, t.text) for t in doc.tasks] == [
        (
            4,
            "推进农村公路建设。全年新改建农村公路xx公里，完成投资x.x亿元，同比增长x%，进一步改善群众出行条件。",
        ),
        (7, "加强安全监管。开展隐患排查xx次。"),
    ]
    (investment,) = [i for i in doc.indicators if i.unit == "亿元"]
    assert (investment.line, investment.value, investment.change) == (4, "x.x", "同比增长x%")


def test_a_title_after_a_joined_line_still_needs_its_blank_line() -> None:
    # The moved-up line is no blank line: the title-looking line after it stays body text.
    text = "\n".join(
        [
            "某某县商务局2023年工作总结",
            "",
            "全年外贸进出口额实现较快增长，跨境电商等新业态加快发展，全年完成",
            "进出口额xx亿元",
            "2024年工作计划",
            "（一）稳外贸。组织企业参展x次。",
        ]
    )
    docs = parse_text(text).documents
    assert [d.title for d in docs] == ["某某县商务局2023年工作总结"]
