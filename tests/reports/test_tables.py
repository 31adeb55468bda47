"""Task tables (PARSE.md §1, §3): grids read as a clerk reads a 重点工作任务分解表."""

from __future__ import annotations

from taizhang.reports.model import Milestone
from taizhang.reports.tables import Grid, TaskTable, header_field, read_task_table, split_names


def grid(text: str) -> Grid:
    """Rows one a line, cells split by "|"; "\\n" in a cell stands for a paragraph break. Each row is
    its own input line (row i is line i + 1), blank rows have none."""
    rows = [
        [c.strip().replace("\\n", "\n") for c in line.split("|")] for line in text.strip("\n").split("\n")
    ]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return Grid(rows, [i + 1 if any(r) else 0 for i, r in enumerate(rows)])


def read(text: str) -> TaskTable:
    table = read_task_table(grid(text))
    assert table is not None
    return table


def fields(table: TaskTable) -> list[tuple[str, str, str, list[str], str, str, list[str]]]:
    return [(r.seq, r.text, r.lead_unit, r.co_units, r.leader, r.deadline, r.path) for r in table.rows]


def test_header_names_and_synonyms() -> None:
    assert header_field("序号") == "seq"
    assert header_field("编 号") == "seq"
    for name in ("工作任务", "重点任务", "任务内容", "工作内容", "目标任务", "具体任务"):
        assert header_field(name) == "task", name
    for name in ("牵头单位", "责任单位", "主责单位", "牵头部门", "责任部门", "牵头单位*"):
        assert header_field(name) == "lead", name
    for name in ("配合单位", "协同单位", "配合部门"):
        assert header_field(name) == "co", name
    for name in ("责任领导", "分管领导", "牵头领导", "责任人", "县级责任领导"):
        assert header_field(name) == "leader", name
    for name in ("完成时限", "完成时间", "时限要求", "完成时限（年月日）"):
        assert header_field(name) == "deadline", name
    for name in ("阶段目标", "序时进度", "3月底", "6月30日前", "一季度", "上半年", "2026年9月"):
        assert header_field(name) == "node", name
    assert header_field("推进“一网通办”改革") is None
    # Two names joined: the first names the column.
    assert header_field("牵头单位及责任人") == "lead"
    assert header_field("工作任务及目标") == "task"
    assert header_field("具体工作和措施") == "detail"
    assert header_field("主要工作任务") == "task"


def test_plain_task_table_keeps_every_field_as_written() -> None:
    table = read(
        """
序号|重点任务|牵头单位|配合单位|责任领导|完成时限
1|推进“一网通办”改革|县政务服务中心|县大数据局、县司法局|王明|6月底前
2|开展涉企收费专项检查|县市场监管局|县财政局，县发改委；县税务局|李华|2026年9月30日
3|深化工程建设项目审批制度改革|县住建局||副县长赵刚|年底前
"""
    )
    assert fields(table) == [
        ("1", "推进“一网通办”改革", "县政务服务中心", ["县大数据局", "县司法局"], "王明", "6月底前", []),
        (
            "2",
            "开展涉企收费专项检查",
            "县市场监管局",
            ["县财政局", "县发改委", "县税务局"],
            "李华",
            "2026年9月30日",
            [],
        ),
        ("3", "深化工程建设项目审批制度改革", "县住建局", [], "副县长赵刚", "年底前", []),
    ]
    assert [r.line for r in table.rows] == [2, 3, 4]
    assert table.header_rows == [0]
    assert table.title == ""


def test_not_a_task_table() -> None:
    assert read_task_table(grid("指标|2025年|2026年\n地区生产总值|100|108")) is None
    assert read_task_table(grid("姓名|单位|电话\n王明|县发改委|123")) is None
    assert read_task_table(Grid([], [])) is None


def test_two_row_header_is_not_a_task_and_names_its_columns() -> None:
    # A merged 时间节点 over 完成时限 / 阶段目标; the other header cells are merged down.
    table = read(
        """
2026年重点工作任务分解表|2026年重点工作任务分解表|2026年重点工作任务分解表|2026年重点工作任务分解表|2026年重点工作任务分解表|2026年重点工作任务分解表
序号|重点任务|牵头单位|责任领导|时间节点|时间节点
序号|重点任务|牵头单位|责任领导|完成时限|阶段目标
1|建成城市智慧停车平台|县城管局|王明|9月底前|3月底前完成招标；6月底前完成主体建设\\n9月底前上线运行
2|完成老旧小区改造12个|县住建局|王明|11月底前|二季度全部开工
"""
    )
    assert table.title == "2026年重点工作任务分解表"
    assert table.title_line == 1
    assert table.header_rows == [1, 2]
    assert [r.seq for r in table.rows] == ["1", "2"]
    assert [r.deadline for r in table.rows] == ["9月底前", "11月底前"]
    assert table.rows[0].milestones == [
        Milestone("3月底前", "完成招标"),
        Milestone("6月底前", "完成主体建设"),
        Milestone("9月底前", "上线运行"),
    ]
    assert table.rows[1].milestones == [Milestone("二季度", "全部开工")]


def test_leader_merged_over_three_rows_belongs_to_all_three() -> None:
    table = read(
        """
序号|工作任务|责任单位|责任领导|完成时间
1|抓好春耕生产|县农业农村局|副县长王明|4月底前
2|推进高标准农田建设|县农业农村局|副县长王明|10月底前
3|做好防汛抗旱工作|县水利局|副县长王明|汛期
4|推进文旅融合发展|县文旅局|副县长李华|年内
"""
    )
    assert [r.leader for r in table.rows] == ["副县长王明"] * 3 + ["副县长李华"]
    assert [r.lead_unit for r in table.rows] == ["县农业农村局", "县农业农村局", "县水利局", "县文旅局"]


def test_category_rows_nest_and_a_category_column() -> None:
    table = read(
        """
序号|工作任务|牵头单位|完成时限
一、优化营商环境|一、优化营商环境|一、优化营商环境|一、优化营商环境
（一）政务服务|（一）政务服务|（一）政务服务|（一）政务服务
1|推进“一网通办”|县政务服务中心|6月底前
（二）要素保障|（二）要素保障|（二）要素保障|（二）要素保障
2|保障重点项目用地|县自然资源局|年底前
二|项目建设||
3|加快重大项目建设|县发改委|12月底前
"""
    )
    assert [r.path for r in table.rows] == [
        ["一、优化营商环境", "（一）政务服务"],
        ["一、优化营商环境", "（二）要素保障"],
        ["二、项目建设"],
    ]
    column = read(
        """
类别|序号|重点任务|牵头单位|配合单位|完成时限
产业发展|1|培育规上工业企业10家|县工信局|县统计局|年底前
产业发展|2|新建标准化厂房5万平方米|县工业园区|县住建局|10月底前
民生保障|3|新增城镇就业2000人|县人社局||年底前
"""
    )
    assert [r.path for r in column.rows] == [["产业发展"], ["产业发展"], ["民生保障"]]
    assert [r.seq for r in column.rows] == ["1", "2", "3"]


def test_task_and_detail_columns_combine() -> None:
    table = read(
        """
序号|重点任务|具体内容|牵头单位|完成时限
1|推进项目建设|全年实施重点项目50个，完成投资80亿元。|县发改委|年底前
2|优化营商环境。|推行“一件事一次办”。|县政务服务中心|6月底前
3|提升教育质量|提升教育质量|县教育局|年底前
"""
    )
    assert [r.text for r in table.rows] == [
        "推进项目建设：全年实施重点项目50个，完成投资80亿元。",
        "优化营商环境。推行“一件事一次办”。",
        "提升教育质量",
    ]


def test_month_node_columns_give_dated_milestones() -> None:
    table = read(
        """
序号|重点任务|牵头单位|配合单位|责任领导|序时进度|序时进度|序时进度|序时进度
序号|重点任务|牵头单位|配合单位|责任领导|3月底|6月底|9月底|12月底
1|建设污水处理厂三期|县住建局|县生态环境分局|王明|完成立项|开工建设|主体完工|投入运行
2|新建5G基站200个|县工信局||李华||完成100个||完成200个
"""
    )
    assert table.header_rows == [0, 1]
    assert table.rows[0].milestones == [
        Milestone("3月底", "完成立项"),
        Milestone("6月底", "开工建设"),
        Milestone("9月底", "主体完工"),
        Milestone("12月底", "投入运行"),
    ]
    assert table.rows[1].milestones == [Milestone("6月底", "完成100个"), Milestone("12月底", "完成200个")]
    assert [r.deadline for r in table.rows] == ["", ""]


def test_time_node_column_alone_is_the_deadline() -> None:
    table = read("序号|工作任务|牵头单位|时间节点\n1|完成河道清淤|县水利局|5月底前")
    assert table.rows[0].deadline == "5月底前"
    assert table.rows[0].milestones == []


def test_a_task_merged_over_several_node_rows_is_one_task() -> None:
    table = read(
        """
序号|重点任务|牵头单位|时间节点|阶段目标
1|实施城区供水管网改造|县水务集团|3月底前|完成设计
1|实施城区供水管网改造|县水务集团|8月底前|完成改造30公里
2|推进垃圾分类|县城管局|年底前|覆盖所有小区
"""
    )
    assert len(table.rows) == 2
    first = table.rows[0]
    assert first.deadline == "8月底前"
    assert first.milestones == [Milestone("3月底前", "完成设计"), Milestone("8月底前", "完成改造30公里")]
    assert (table.rows[1].deadline, table.rows[1].milestones) == (
        "年底前",
        [Milestone("年底前", "覆盖所有小区")],
    )


def test_repeated_header_blank_rows_and_rows_without_a_task() -> None:
    table = read(
        """
序号|工作任务|牵头单位|完成时限
1|抓好粮食生产|县农业农村局|年底前
||||
序号|工作任务|牵头单位|完成时限
2|抓好生猪稳产保供|县农业农村局|年底前
3||县林业局|
"""
    )
    assert [r.seq for r in table.rows] == ["1", "2", "3"]
    assert table.rows[2].text == ""  # kept for the ledger to report; no task in the parse
    assert [i.text for i in table.items()] == ["抓好粮食生产", "抓好生猪稳产保供"]


def test_co_unit_names_as_written() -> None:
    assert split_names("县财政局、县自然资源局等") == ["县财政局", "县自然资源局"]
    assert split_names("县发改委/县财政局 县审计局\n各乡镇") == ["县发改委", "县财政局", "县审计局", "各乡镇"]
    assert split_names("") == []


def test_items_carry_the_fields_and_the_outer_path() -> None:
    table = read(
        "序号|重点任务|牵头单位|配合单位|责任领导|完成时限\n1|抓好春耕|县农业农村局|各乡镇|王明|4月底前"
    )
    (item,) = table.items(["三、2026年工作计划"])
    assert item.to_dict() == {
        "line": 2,
        "text": "抓好春耕",
        "path": ["三、2026年工作计划"],
        "lead_unit": "县农业农村局",
        "co_units": ["各乡镇"],
        "leader": "王明",
        "deadline": "4月底前",
        "milestones": [],
    }


def test_most_specific_column_name_wins_and_footers_are_no_category() -> None:
    table = read(
        """
完成时间|责任单位|工作任务|序号|配合单位（部门）|牵头单位|分类
6月30日前|县交通局|推进国省干线改造|1||青石镇|交通 / 道路
填表人：周督查
"""
    )
    assert {c.field: c.index for c in table.columns if c.field != "note"} == {
        "deadline": 0,
        "task": 2,
        "seq": 3,
        "co": 4,
        "lead": 5,
        "category": 6,
    }
    assert table.rows[0].lead_unit == "青石镇"
    assert table.rows[0].path == ["交通", "道路"]
    assert table.skipped == [(2, "填表人：周督查")]


def test_a_row_with_only_its_number_is_skipped_not_a_category() -> None:
    table = read(
        "序号|工作任务|牵头单位|完成时限\n1|抓好粮食生产|县农业农村局|年底前\n2|||\n3|抓好生猪稳产保供|县农业农村局|年底前"
    )
    assert [(r.seq, r.path) for r in table.rows] == [("1", []), ("3", [])]
    assert table.skipped == [(2, "2")]
