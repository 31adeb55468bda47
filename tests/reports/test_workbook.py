"""An .xlsx 台账 as engine input: `taizhang parse plan.xlsx --json` gives a plan whose tasks carry the
table's fields; merged ranges are read into every cell they cover; bad workbooks are refused."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from taizhang.cli import main
from taizhang.reports import InputError, parse_bytes
from taizhang.reports.workbook import cell_text

from .conftest import SCHEMA
from .test_bad_input import patch_member
from .test_docx import rewrite_zip


def workbook(
    text: str, merges: tuple[str, ...] = (), sheets: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
) -> bytes:
    """A workbook from text: rows one a line, cells split by "|" ("\\n" a line break in a cell;
    a cell of digits becomes a number); `merges` are Excel ranges ("A1:G1"). Merged cells after the
    first are left empty, as Excel stores them."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    for index, (name, body, ranges) in enumerate((("Sheet1", text, merges), *sheets)):
        sheet = first if index == 0 else book.create_sheet(name)
        sheet.title = name
        for r, line in enumerate(body.strip("\n").split("\n"), start=1):
            for c, raw in enumerate(line.split("|"), start=1):
                value: Any = raw.strip().replace("\\n", "\n")
                if value:
                    sheet.cell(row=r, column=c, value=int(value) if value.isdigit() else value)
        for cells in ranges:
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PLAN = """
2026年重点工作任务分解表
序号|重点任务|牵头单位|配合单位|责任领导|时间节点|
||||| 完成时限|阶段目标
一、优化营商环境
1|推进“一网通办”改革|县政务服务中心|县大数据局、县司法局|副县长王明|6月底前|3月底前完成系统对接；6月底前全面上线
2|开展涉企收费专项检查|县市场监管局|县财政局，县发改委||9月底前|二季度开展自查\\n三季度开展抽查
3|深化工程建设项目审批制度改革|县住建局|||年底前|
二、项目建设
4|加快重大项目建设|县发改委|各乡镇|副县长李华|12月底前|3月底前开工10个
"""
PLAN_MERGES = ("A1:G1", "F2:G2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "A4:G4", "E5:E7", "A8:G8")


def test_plan_workbook_reads_as_a_plan_with_table_fields() -> None:
    result = parse_bytes(workbook(PLAN, PLAN_MERGES), "plan.xlsx")
    (doc,) = result.documents
    assert (doc.title, doc.line, doc.summary_period, doc.plan_period) == (
        "2026年重点工作任务分解表",
        1,
        None,
        "2026",
    )
    assert [(s.heading, s.line, s.role) for s in doc.sections] == [
        ("一、优化营商环境", 4, "plan"),
        ("二、项目建设", 8, "plan"),
    ]
    got = [
        (
            t.line,
            t.text,
            t.path,
            t.lead_unit,
            t.co_units,
            t.leader,
            t.deadline,
            [(m.date, m.text) for m in t.milestones],
        )
        for t in doc.tasks
    ]
    assert got == [
        (5, "推进“一网通办”改革", ["一、优化营商环境"], "县政务服务中心", ["县大数据局", "县司法局"], "副县长王明", "6月底前",
         [("3月底前", "完成系统对接"), ("6月底前", "全面上线")]),
        (6, "开展涉企收费专项检查", ["一、优化营商环境"], "县市场监管局", ["县财政局", "县发改委"], "副县长王明", "9月底前",
         [("二季度", "开展自查"), ("三季度", "开展抽查")]),
        (7, "深化工程建设项目审批制度改革", ["一、优化营商环境"], "县住建局", [], "副县长王明", "年底前", []),
        (9, "加快重大项目建设", ["二、项目建设"], "县发改委", ["各乡镇"], "副县长李华", "12月底前",
         [("3月底前", "开工10个")]),
    ]  # fmt: skip


def test_cli_json_carries_the_fields_and_fits_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook(PLAN, PLAN_MERGES))
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    if SCHEMA.is_file():
        jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    task = data["documents"][0]["tasks"][0]
    assert task["lead_unit"] == "县政务服务中心"
    assert task["co_units"] == ["县大数据局", "县司法局"]
    assert task["leader"] == "副县长王明"
    assert task["deadline"] == "6月底前"
    assert task["milestones"] == [
        {"date": "3月底前", "text": "完成系统对接"},
        {"date": "6月底前", "text": "全面上线"},
    ]


def test_category_column_dates_and_a_table_on_a_later_sheet() -> None:
    import datetime as dt

    from openpyxl import load_workbook

    data = workbook(
        "说明\n本表为各单位年度任务。",
        sheets=(
            (
                "任务",
                """
类别|序号|工作任务|责任单位|配合单位|完成时间
产业发展|1|培育规上工业企业10家|县工信局|县统计局|
|2|新建标准化厂房5万平方米|县工业园区|县住建局|
民生保障|3|新增城镇就业2000人|县人社局||年底前
""",
                ("A2:A3",),
            ),
        ),
    )
    book = load_workbook(io.BytesIO(data))
    book["任务"]["F2"] = dt.datetime(2026, 12, 31)
    book["任务"]["F3"] = dt.date(2026, 10, 31)
    buffer = io.BytesIO()
    book.save(buffer)
    (doc,) = parse_bytes(buffer.getvalue(), "tasks.xlsx").documents
    # The second sheet's row 1 follows the first sheet's 2 rows: line 3.
    assert [(t.line, t.path, t.deadline) for t in doc.tasks] == [
        (4, ["产业发展"], "2026年12月31日"),
        (5, ["产业发展"], "2026年10月31日"),
        (6, ["民生保障"], "年底前"),
    ]
    assert doc.title == ""  # the table has no title row, and the first sheet names no plan


def test_cell_text() -> None:
    import datetime as dt

    assert cell_text(3.0) == "3"
    assert cell_text(2.5) == "2.5"
    assert cell_text(dt.datetime(2026, 6, 30, 0, 0)) == "2026年6月30日"
    assert cell_text("  县发改委\r\n县财政局 ") == "县发改委\n县财政局"
    assert cell_text(None) == ""


def _entity_in_sheet() -> bytes:
    data = workbook(PLAN)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("<worksheet", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
    assert "DOCTYPE" in sheet
    return rewrite_zip(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: patch_member(workbook(PLAN), "xl/worksheets/sheet1.xml", file_size=3 * 1024**3), "压缩炸弹"),
        (_entity_in_sheet, "DOCTYPE"),
        (lambda: workbook(PLAN)[:300], "不完整或已损坏"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls"),
        (lambda: "序号,任务".encode(), "不是有效的 .xlsx 文件"),
        (lambda: workbook(""), "文件为空"),
    ],
    ids=["zip-bomb", "entity", "truncated", "xls-as-xlsx", "csv-as-xlsx", "empty"],
)
def test_bad_workbooks_are_refused_in_one_chinese_line(
    build: Any, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError) as err:
        parse_bytes(build(), "plan.xlsx")
    assert message in str(err.value) and "\n" not in str(err.value)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build())
    assert main(["parse", str(path)]) == 2
    assert message in capsys.readouterr().err
