"""Task tables through the ledger's imports: the plan import reads a .xlsx (or .docx) task table with
the engine and takes its columns as they are (they outrank suggestions from the text), node columns
become milestones; the Excel 台账 import reads through the same engine, row by row, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.accounts.models import Unit
from taizhang.ledger.drafts import drafts_from_parse
from taizhang.ledger.importing import xlsx
from taizhang.ledger.models import Milestone, Plan, SourceDocument, Task
from taizhang.ledger.spreadsheet import XLSX_CONTENT_TYPE
from taizhang.reports import parse_bytes, parse_text
from tests.ledger.test_import_plan import form_data, preview_key

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A 分解表 as offices keep it: a title, a merged 时间节点 over 完成时限 / 阶段目标, category rows, a
# leader merged over three rows, and a task whose text names another lead than its 牵头单位 column.
TABLE = [
    ["测试县2026年重点工作任务分解表"],
    ["序号", "重点任务", "牵头单位", "配合单位", "责任领导", "时间节点", None],
    [None, None, None, None, None, "完成时限", "阶段目标"],
    ["一、交通建设"],
    [1, "推进国省干线改造，完成路面改造25公里", "县交通运输局", "县住建局、青石镇", "李副县长", "9月底前",
     "3月底前完成招标；6月底前完成路基"],
    [2, "实施农村公路提质工程，由县住建局牵头组织", "交通局", "", None, "11月30日前", "二季度开工"],
    [3, "开展公路安全隐患排查", "公路建设股", "县交通局", None, "年底前", None],
    ["二、城乡建设"],
    [4, "推进棚户区改造，完成安置房主体工程800套", "县住房和城乡建设局", "青石镇", "王副县长", "2026年12月20日", None],
]  # fmt: skip
MERGES = ("A1:G1", "F2:G2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "A4:G4", "E5:E7", "A8:G8")


def upload_table(client: Client) -> str:
    """Upload TABLE to the plan import; the preview's key."""
    data = workbook(TABLE, MERGES)
    return preview_key(client.post(reverse("import:plan"), {"file": SimpleUploadedFile("分解表.xlsx", data)}))


def test_table_columns_outrank_the_text(org: SimpleNamespace) -> None:
    result = parse_bytes(workbook(TABLE, MERGES), "分解表.xlsx")
    drafts = drafts_from_parse(result, list(Unit.objects.exclude(parent=None)), 2026)
    assert [d.title for d in drafts] == [
        "推进国省干线改造",
        "实施农村公路提质工程",
        "开展公路安全隐患排查",
        "推进棚户区改造",
    ]
    assert [d.lead_unit for d in drafts] == [org.transport, org.transport, org.section, org.housing]
    assert [d.co_units for d in drafts] == [[org.housing, org.town], [], [org.transport], [org.town]]
    assert [d.leader_name for d in drafts] == ["李副县长"] * 3 + ["王副县长"]
    assert [d.deadline for d in drafts] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 31),
        dt.date(2026, 12, 20),
    ]
    assert [(m.due_on, m.description) for m in drafts[0].milestones] == [
        (dt.date(2026, 3, 31), "完成招标"),
        (dt.date(2026, 6, 30), "完成路基"),
    ]
    assert [(m.due_on, m.description) for m in drafts[1].milestones] == [(dt.date(2026, 6, 30), "开工")]
    assert [d.category_path for d in drafts] == [["一、交通建设"]] * 3 + [["二、城乡建设"]]


def test_text_plans_still_take_suggestions(org: SimpleNamespace) -> None:
    text = "测试县2026年工作计划\n一、重点工作\n1.实施农村公路提质工程，由县住建局牵头，青石镇配合，6月底前完成。\n"
    (draft,) = drafts_from_parse(parse_text(text), list(Unit.objects.exclude(parent=None)), 2026)
    assert (draft.lead_unit, draft.co_units, draft.deadline) == (
        org.housing,
        [org.town],
        dt.date(2026, 6, 30),
    )
    assert draft.milestones == []


def test_plan_import_of_a_workbook_creates_tasks_and_milestones(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = upload_table(client)
    page = client.get(reverse("import:preview", args=[key]))
    html = page.content.decode()
    assert "完成招标" in html and "原文第 5 行" in html
    assert page.context["plan_form"]["title"].value() == "测试县2026年重点工作任务分解表"
    data = form_data(client, key)
    data["action"] = "confirm"
    response = client.post(reverse("import:preview", args=[key]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    assert plan.year == 2026 and plan.source is not None
    assert plan.source.content_type == XLSX_CONTENT_TYPE
    tasks = list(plan.tasks.order_by("seq"))
    assert [(t.lead_unit, t.leader_name, t.deadline, t.source_line) for t in tasks] == [
        (org.transport, "李副县长", dt.date(2026, 9, 30), 5),
        (org.transport, "李副县长", dt.date(2026, 11, 30), 6),
        (org.section, "李副县长", dt.date(2026, 12, 31), 7),
        (org.housing, "王副县长", dt.date(2026, 12, 20), 9),
    ]
    assert list(tasks[0].co_units.order_by("code")) == [org.town, org.housing]
    assert [
        (m.task.seq, m.due_on, m.description) for m in Milestone.objects.order_by("task__seq", "due_on")
    ] == [
        (1, dt.date(2026, 3, 31), "完成招标"),
        (1, dt.date(2026, 6, 30), "完成路基"),
        (2, dt.date(2026, 6, 30), "开工"),
    ]


def test_excel_ledger_import_reads_the_same_table(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    sheet = xlsx.read_sheet(workbook(TABLE, MERGES), "分解表.xlsx")
    assert sheet.title == "测试县2026年重点工作任务分解表" and sheet.header_row == 3
    check = xlsx.check_rows(sheet, list(Unit.objects.exclude(parent=None)), 2026)
    assert check.ok, check.errors
    assert [r.number for r in check.rows] == [5, 6, 7, 9]
    assert [(d.lead_unit, d.leader_name, d.deadline) for d in check.drafts] == [
        (org.transport, "李副县长", dt.date(2026, 9, 30)),
        (org.transport, "李副县长", dt.date(2026, 11, 30)),
        (org.section, "李副县长", dt.date(2026, 12, 31)),
        (org.housing, "王副县长", dt.date(2026, 12, 20)),
    ]
    assert [len(d.milestones) for d in check.drafts] == [2, 1, 0, 0]


def test_bad_table_rows_give_chinese_errors_and_save_nothing(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    rows = [
        ["序号", "重点任务", "牵头单位", "配合单位", "责任领导", "时间节点", None],
        [None, None, None, None, None, "完成时限", "阶段目标"],
        [1, "推进国省干线改造", "县交通运输局", "县卫健委", "李副县长", "9月底前", "13月底前完成招标"],
        [2, "实施农村公路提质工程", None, None, None, "下个月", None],
        [3, None, "青石镇", None, None, "年底前", None],
    ]
    merges = ("F1:G1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2")
    client = login(people.supervisor)
    response = client.post(
        reverse("import:xlsx"), {"file": SimpleUploadedFile("台账.xlsx", workbook(rows, merges))}
    )
    key = preview_key(response)
    page = client.get(reverse("import:preview", args=[key]))
    check = page.context["check"]
    assert [(e.row, e.column, e.message) for e in check.errors] == [
        (3, "配合单位", "单位“县卫健委”不在单位库中，或不在您的管辖范围内"),
        (3, "节点", "节点无法识别“13月底前”（可写 2026年6月30日、2026-06-30 或 6月底）"),
        (4, "牵头单位", "牵头单位为空"),
        (4, "完成时限", "无法识别“下个月”（可写 2026年6月30日、2026-06-30 或 6月底）"),
        (5, "任务内容", "任务内容为空"),
    ]
    html = page.content.decode()
    assert "第 4 行" in html or "下个月" in html
    data = {
        "title": "台账",
        "year": 2026,
        "owner_unit": org.root.pk,
        "cadence": "monthly",
        "action": "confirm",
    }
    client.post(reverse("import:preview", args=[key]), data)
    assert Plan.objects.count() == 0 and Task.objects.count() == 0 and Milestone.objects.count() == 0
    assert SourceDocument.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月底前", (dt.date(2026, 6, 30), "")),
        ("3月底前完成招标；8月底前完工", (dt.date(2026, 8, 31), "")),
        ("二季度", (dt.date(2026, 6, 30), "")),
        ("46203", (dt.date(2026, 6, 30), "")),
        ("12.5", (None, "“12.5”不是日期")),
        ("2025年12月31日", (None, "2025年12月31日早于计划年度（2026年）")),
        ("", (None, "")),
    ],
)
def test_a_cell_date_as_written(text: str, expected: tuple[dt.date | None, str]) -> None:
    from taizhang.ledger.table_rows import parse_deadline

    assert parse_deadline(text, 2026) == expected


def test_changing_the_year_moves_table_dates_written_without_one(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    key = upload_table(client)
    data = {**form_data(client, key), "year": "2027", "action": "save"}
    client.post(reverse("import:preview", args=[key]), data)
    page = client.get(reverse("import:preview", args=[key]))
    rows = [view.row for view in page.context["rows"]]
    assert [r["deadline"] for r in rows] == ["2027-09-30", "2027-11-30", "2027-12-31", "2027-12-31"]
    assert [m["due"] for m in rows[0]["milestones"]] == ["2027-03-31", "2027-06-30"]


def task_table_docx() -> bytes:
    """The same 分解表 as a Word table under a title and a heading: the title row above the table, a
    merged 时间节点 over two header cells (gridSpan), header cells and a leader merged down (vMerge)."""
    import docx

    document = docx.Document()
    document.add_paragraph("测试县2026年重点工作任务分解表")
    document.add_paragraph("一、重点工作任务")
    body = [r for r in TABLE[1:]]
    table = document.add_table(rows=len(body), cols=7)
    for r, row in enumerate(body):
        if len(row) == 1:  # a category row spans the table
            table.cell(r, 0).merge(table.cell(r, 6)).text = str(row[0])
            continue
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    table.cell(0, 5).merge(table.cell(0, 6)).text = "时间节点"
    for c in range(5):
        table.cell(0, c).merge(table.cell(1, c)).text = str(body[0][c])
    table.cell(3, 4).merge(table.cell(5, 4)).text = "李副县长"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_task_table_reads_like_the_workbook(org: SimpleNamespace) -> None:
    result = parse_bytes(task_table_docx(), "分解表.docx")
    (document,) = result.documents
    assert document.title == "测试县2026年重点工作任务分解表"
    assert [t.path for t in document.tasks] == [["一、重点工作任务", "一、交通建设"]] * 3 + [
        ["一、重点工作任务", "二、城乡建设"]
    ]
    drafts = drafts_from_parse(result, list(Unit.objects.exclude(parent=None)), 2026)
    assert [(d.lead_unit, d.leader_name, d.deadline) for d in drafts] == [
        (org.transport, "李副县长", dt.date(2026, 9, 30)),
        (org.transport, "李副县长", dt.date(2026, 11, 30)),
        (org.section, "李副县长", dt.date(2026, 12, 31)),
        (org.housing, "王副县长", dt.date(2026, 12, 20)),
    ]
    assert [len(d.milestones) for d in drafts] == [2, 1, 0, 0]
    assert drafts[0].co_units == [org.housing, org.town]
