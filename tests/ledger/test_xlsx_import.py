"""Excel 台账 import: reading the sheet, checking every row, and the screens (errors before saving)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.accounts.models import Unit
from taizhang.ledger.importing import xlsx
from taizhang.ledger.models import Plan, SourceDocument, Task
from taizhang.ledger.spreadsheet import XLSX_CONTENT_TYPE
from tests.ledger.test_import_plan import preview_key

pytestmark = pytest.mark.django_db

HEADER = ["序号", "任务内容", "责任领导", "牵头单位", "配合单位", "完成时限", "进展情况"]


def workbook_bytes(*sheets: list[list[Any]], names: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with one worksheet per list of rows (None = empty cell)."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(names[index] if index < len(names) else f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_rows() -> list[list[Any]]:
    """A 台账 as offices keep it: a title, a blank row, the header, category rows, mixed dates."""
    return [
        ["测试县2026年重点工作任务台账"],
        [],
        HEADER,
        ["一、交通建设"],
        [
            1,
            "推进国省干线改造，完成路面改造25公里",
            "李副县长",
            "县交通运输局",
            "县住建局，青石镇",
            dt.date(2026, 9, 30),
            "已完成15公里",
        ],
        [2, "实施农村公路提质工程", "李副县长", "交通局", None, "2026年11月30日", None],
        ["二、城乡建设"],
        [3, "推进棚户区改造", "王副县长", "县住房和城乡建设局", "青石镇；县交通局", "6月底", "主体封顶"],
        [4, "开展集镇环境整治", None, "青石镇", "县住建局、县交通运输局", 46203, None],
        [5, "建立重点工作月调度机制", "周主任", "督查室", None, None, None],
        [None, None, None, None, None, None, None],
        ["填表人：周督查"],
    ]


def checked(rows: list[list[Any]], year: int = 2026) -> xlsx.SheetCheck:
    sheet = xlsx.read_sheet(workbook_bytes(rows), "台账.xlsx")
    return xlsx.check_rows(sheet, list(Unit.objects.all()), year)


# --- reading the sheet --------------------------------------------------------------------------


def test_header_below_a_title_and_blank_rows() -> None:
    sheet = xlsx.read_sheet(workbook_bytes(ledger_rows()), "台账.xlsx")
    assert sheet.title == "测试县2026年重点工作任务台账"
    assert sheet.header_row == 3
    assert sheet.columns == {
        "seq": 0,
        "content": 1,
        "leader": 2,
        "lead": 3,
        "co": 4,
        "deadline": 5,
        "progress": 6,
    }
    # Task rows only: rows 4 and 7 are categories, 11 is blank, 12 a footer (Excel rows are index + 1).
    assert [r.index + 1 for r in sheet.rows] == [5, 6, 8, 9, 10]
    assert [r.path for r in sheet.rows] == [["一、交通建设"]] * 2 + [["二、城乡建设"]] * 3
    assert sheet.rows[0].deadline == "2026年9月30日"  # an Excel date, as a clerk reads it
    assert sheet.table.skipped == [(11, "填表人：周督查")]


def test_any_column_order_and_common_synonyms() -> None:
    rows = [
        ["完成时间", "责任单位", " 工作任务 ", "序\n号", "配合单位（部门）", "牵头单位"],
        ["2026-06-30", "县交通局", "推进改造", 1, None, "青石镇"],
    ]
    sheet = xlsx.read_sheet(workbook_bytes(rows), "t.xlsx")
    # 牵头单位 is preferred to 责任单位 when a sheet has both
    assert sheet.columns == {"deadline": 0, "content": 2, "seq": 3, "co": 4, "lead": 5}


def test_the_table_may_be_on_a_later_sheet() -> None:
    notes = [["填表说明"], ["请按月更新进展情况"]]
    sheet = xlsx.read_sheet(workbook_bytes(notes, ledger_rows(), names=("说明", "台账")), "t.xlsx")
    assert sheet.name == "台账" and sheet.header_row == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["序号", "任务内容", "责任领导", "牵头单位", "配合单位"]], "第 1 行的表头缺少“完成时限”列"),
        ([["名称", "金额"], ["办公用品", 300]], "未找到表头"),
        ([], "未找到表头"),
    ],
)
def test_wrong_columns(rows: list[list[Any]], message: str) -> None:
    with pytest.raises(xlsx.XlsxError, match=message):
        xlsx.read_sheet(workbook_bytes(rows), "t.xlsx")


# --- checking the rows --------------------------------------------------------------------------


def test_valid_rows_become_drafts(org: SimpleNamespace) -> None:
    check = checked(ledger_rows())
    assert check.ok and check.errors == []
    drafts = check.drafts
    assert [d.code for d in drafts] == ["1", "2", "3", "4", "5"]
    assert [d.source_line for d in drafts] == [5, 6, 8, 9, 10]
    assert [d.lead_unit for d in drafts] == [org.transport, org.transport, org.housing, org.town, org.office]
    assert drafts[0].co_units == [org.housing, org.town]
    assert drafts[2].co_units == [org.town, org.transport]
    assert drafts[3].co_units == [org.housing, org.transport]
    assert [d.deadline for d in drafts] == [
        dt.date(2026, 9, 30),  # an Excel date
        dt.date(2026, 11, 30),  # "2026年11月30日"
        dt.date(2026, 6, 30),  # "6月底" in the plan year
        dt.date(2026, 6, 30),  # the serial number 46203
        dt.date(2026, 12, 31),  # empty: end of the plan year
    ]
    assert drafts[0].title == "推进国省干线改造" and drafts[0].content.endswith("25公里")
    assert drafts[0].category_path == ["一、交通建设"] and drafts[2].category_path == ["二、城乡建设"]
    assert drafts[0].leader_name == "李副县长"
    assert any("填表人" in note for note in check.notes)
    assert any("进展情况" in note for note in check.notes)


def test_sub_headings_and_a_category_column(org: SimpleNamespace) -> None:
    rows = [
        HEADER,
        ["一、项目建设"],
        [None, "（一）交通"],
        [1, "推进改造", None, "县交通局", None, "6月底", None],
    ]
    assert checked(rows).drafts[0].category_path == ["一、项目建设", "（一）交通"]
    rows = [[*HEADER, "分类"], [1, "推进改造", None, "县交通局", None, "6月底", None, "交通 / 道路"]]
    assert checked(rows).drafts[0].category_path == ["交通", "道路"]


def test_every_bad_row_is_reported_and_nothing_is_drafted(org: SimpleNamespace) -> None:
    rows = [
        HEADER,
        [1, "推进国省干线改造", None, "县交通运输局", None, "2026-06-30", None],
        [2, None, None, "县交通运输局", None, "2026-06-30", None],
        [2, "开展集镇环境整治", None, "县教育局", "青石镇、县卫健委", "下个月", None],
        [4, "推进棚户区改造", None, None, None, "2025-12-31", None],
        [5, "建立月调度机制", None, "县政府办公室", None, 12.5, None],
    ]
    check = checked(rows)
    assert not check.ok and check.drafts == []
    found = [(e.row, e.column, e.message) for e in check.errors]
    assert found == [
        (3, "任务内容", "任务内容为空"),
        (4, "序号", "序号“2”与第 3 行重复"),
        (4, "牵头单位", "单位“县教育局”不在单位库中，或不在您的管辖范围内"),
        (4, "配合单位", "单位“县卫健委”不在单位库中，或不在您的管辖范围内"),
        (4, "完成时限", "无法识别“下个月”（可写 2026年6月30日、2026-06-30 或 6月底）"),
        (5, "牵头单位", "牵头单位为空"),
        (5, "完成时限", "2025年12月31日早于计划年度（2026年）"),
        (6, "完成时限", "“12.5”不是日期"),
    ]
    assert str(check.errors[0]) == "第 3 行“任务内容”：任务内容为空"
    assert [r.number for r in check.rows] == [2, 3, 4, 5, 6]


def test_units_outside_the_users_scope_are_unknown(org: SimpleNamespace) -> None:
    sheet = xlsx.read_sheet(workbook_bytes(ledger_rows()), "t.xlsx")
    bureau = [org.transport, org.section]
    check = xlsx.check_rows(sheet, bureau, 2026)
    assert {e.row for e in check.errors} == {5, 8, 9, 10}


def test_year_from_title_else_from_dates() -> None:
    sheet = xlsx.read_sheet(workbook_bytes(ledger_rows()), "t.xlsx")
    assert xlsx.guess_year(sheet, 2000) == 2026
    rows = [HEADER, [1, "推进改造", None, "县交通局", None, dt.date(2027, 6, 30), None]]
    assert xlsx.guess_year(xlsx.read_sheet(workbook_bytes(rows), "t.xlsx"), 2000) == 2027
    rows = [HEADER, [1, "推进改造", None, "县交通局", None, "6月底", None]]
    assert xlsx.guess_year(xlsx.read_sheet(workbook_bytes(rows), "t.xlsx"), 2031) == 2031


# --- refusing what is not a sound .xlsx ---------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_entity() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(ledger_rows())))
    members = {i.filename: source.read(i) for i in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    declaration = b'<!DOCTYPE x [<!ENTITY e "e">]>'
    if sheet.startswith(b"<?xml"):
        head, rest = sheet.split(b"?>", 1)
        members["xl/worksheets/sheet1.xml"] = head + b"?>" + declaration + rest
    else:
        members["xl/worksheets/sheet1.xml"] = declaration + sheet
    return zip_bytes(members)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "不支持旧版 Excel 文件（.xls）"),
        ("台账.csv", "序号,任务内容\n".encode(), "不支持 CSV 文件"),
        ("台账.xlsx", b"", "文件为空"),
        ("台账.xlsx", b"%PDF-1.4 renamed", "这是 PDF 文件"),
        ("台账.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 .xls 格式或已加密"),
        ("台账.xlsx", "序号,任务内容".encode(), "不是有效的 .xlsx 文件"),
        ("台账.xlsx", workbook_bytes(ledger_rows())[:2000], ".xlsx 文件不完整或已损坏"),
        ("台账.xlsx", zip_bytes({"word/document.xml": b"<w/>"}), "这是改了扩展名的 Word 文件"),
        ("台账.xlsx", zip_bytes({"xl/workbook.xml": b"\0" * (8 * 1024 * 1024)}), "疑似压缩炸弹"),
        ("台账.xlsx", zip_bytes({f"x/{i}.txt": b"" for i in range(5001)}), "部件过多"),
        ("台账.xlsx", with_entity(), "不安全的 XML 声明"),
        ("台账.xlsx", zip_bytes({"xl/workbook.xml": b"<not a workbook"}), "无法读取该 Excel 文件"),
    ],
)
def test_bad_files_are_refused_before_openpyxl(name: str, data: bytes, message: str) -> None:
    with pytest.raises(xlsx.XlsxError, match=message):
        xlsx.read_sheet(data, name)


# --- the screens --------------------------------------------------------------------------------


def post_xlsx(client: Client, data: bytes, name: str = "台账.xlsx") -> Any:
    return client.post(reverse("import:xlsx"), {"file": SimpleUploadedFile(name, data)})


def plan_fields(client: Client, key: str) -> dict[str, Any]:
    form = client.get(reverse("import:preview", args=[key])).context["plan_form"]
    return {name: form[name].value() for name in form.fields}


def confirm_xlsx(client: Client, key: str, **fields: Any) -> Any:
    data = {**plan_fields(client, key), **fields, "action": "confirm"}
    return client.post(reverse("import:preview", args=[key]), data)


def test_upload_check_confirm(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    data = workbook_bytes(ledger_rows())
    key = preview_key(post_xlsx(client, data))
    page = client.get(reverse("import:preview", args=[key]))
    html = page.content.decode()
    assert "全部 5 项任务核对无误" in html and "表头在第 3 行" in html and "已完成15公里" in html
    assert page.context["plan_form"]["title"].value() == "测试县2026年重点工作任务台账"
    assert page.context["plan_form"]["year"].value() == 2026
    assert Plan.objects.count() == 0

    fields = {**plan_fields(client, key), "action": "confirm"}
    response = client.post(reverse("import:preview", args=[key]), fields)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledger:plan_detail", args=[plan.pk])
    assert plan.title == "测试县2026年重点工作任务台账" and plan.owner_unit == org.root
    assert plan.source is not None and plan.source.original_name == "台账.xlsx"
    assert plan.source.content_type == XLSX_CONTENT_TYPE and "推进棚户区改造" in plan.source.text
    tasks = list(plan.tasks.order_by("seq"))
    assert [t.source_line for t in tasks] == [5, 6, 8, 9, 10]
    assert [t.lead_unit for t in tasks] == [org.transport, org.transport, org.housing, org.town, org.office]
    assert not tasks[0].reports.exists()  # 进展情况 is not turned into reports

    assert client.post(reverse("import:preview", args=[key]), fields).status_code == 302  # posted twice
    assert Plan.objects.count() == 1 and Task.objects.count() == 5
    again = post_xlsx(client, data, name="副本.xlsx")
    assert "不会重复导入" in again.content.decode() and Plan.objects.count() == 1


def test_row_errors_are_shown_and_nothing_is_saved(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    rows = [
        HEADER,
        [1, "推进国省干线改造", None, "县交通运输局", None, "2026-06-30", None],
        [1, "开展集镇环境整治", None, "县教育局", None, "明年", None],
    ]
    key = preview_key(post_xlsx(client, workbook_bytes(rows)))
    page = client.get(reverse("import:preview", args=[key]))
    html = page.content.decode()
    assert "发现 3 处错误，全部改正之前不会导入任何任务" in html
    assert "<td>第 3 行</td><td>序号</td><td>序号“1”与第 2 行重复</td>" in html
    assert "单位“县教育局”不在单位库中" in html and "无法识别“明年”" in html
    assert 'value="confirm" class="primary" disabled' in html
    response = confirm_xlsx(client, key)
    assert response.status_code == 200 and "表格中还有 3 处错误，未导入任何任务" in response.content.decode()
    assert Plan.objects.count() == 0 and Task.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_changing_the_year_checks_again(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    rows = [HEADER, [1, "推进改造", None, "县交通局", None, "6月底", None]]
    key = preview_key(post_xlsx(client, workbook_bytes(rows)))
    confirm_xlsx(client, key, year="2027", title="交通局2027年台账")
    task = Task.objects.get()
    assert task.deadline == dt.date(2027, 6, 30) and task.plan.year == 2027


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("台账.xlsx", workbook_bytes([["名称", "金额"]]), "未找到表头"),
        ("台账.xlsx", workbook_bytes([["序号", "任务内容", "牵头单位", "配合单位"]]), "缺少“完成时限”列"),
        ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "不支持旧版 Excel 文件"),
        ("台账.xlsx", b"PK\x03\x04 not really", ".xlsx 文件不完整或已损坏"),
    ],
)
def test_bad_workbooks_get_a_form_error(
    people: SimpleNamespace, login: Callable[[Any], Client], name: str, data: bytes, message: str
) -> None:
    client = login(people.supervisor)
    response = post_xlsx(client, data, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert Plan.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_oversize_workbook(settings: Any, people: SimpleNamespace, login: Callable[[Any], Client]) -> None:
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 2048
    response = post_xlsx(login(people.supervisor), workbook_bytes(ledger_rows()))
    assert "超过上限 2 KB" in response.content.decode()
