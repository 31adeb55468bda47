"""Excel export of a plan in the 台账 columns, scoped to the user; export → import gives the same tasks."""

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
from openpyxl import load_workbook

from taizhang.accounts.models import Unit
from taizhang.ledger import exporting
from taizhang.ledger.importing import xlsx
from taizhang.ledger.models import Plan, ProgressReport, ReviewState, Task, TaskStatus
from tests.conftest import at
from tests.ledger.test_import_plan import import_plan, preview_key

pytestmark = pytest.mark.django_db


def export(client: Client, plan: Plan) -> Any:
    response = client.get(reverse("ledger:plan_export", args=[plan.pk]))
    assert response.status_code == 200, response.status_code
    return response


def sheet_of(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content)).active


def report(task: Task, period: str, text: str, state: str, **extra: Any) -> None:
    ProgressReport.objects.create(
        task=task, period=period, text=text, percent=50, submitted_at=at("2026-04-02"), state=state, **extra
    )


def test_columns_header_widths_dates(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    report(ledger.transport, "2026-02", "完成路基12公里", ReviewState.APPROVED)
    report(ledger.transport, "2026-03", "完成路基20公里", ReviewState.APPROVED)
    report(ledger.transport, "2026-04", "尚待审核的进展", ReviewState.PENDING)
    report(ledger.town, "2026-03", "", ReviewState.APPROVED, is_zero_report=True, zero_reason="雨季停工")
    Task.objects.filter(pk=ledger.housing.pk).update(status=TaskStatus.DELAYED, leader_name="王副县长")

    response = export(login(people.supervisor), ledger.plan)
    assert response["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = sheet_of(response)
    assert sheet.title == "台账"
    assert sheet["A1"].value == "测试县2026年重点工作计划"
    header = [c.value for c in sheet[2]]
    assert header == [
        "序号",
        "任务内容",
        "责任领导",
        "牵头单位",
        "配合单位",
        "完成时限",
        "进展情况",
        "状态",
        "分类",
        "颜色",
    ]
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == 60 and sheet.column_dimensions["F"].width == 16
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == ["1.1", "1.2", "1.3"]
    transport, housing, town = rows
    assert transport[1] == "推进县道改造：完成县道改造48公里，由县交通运输局牵头，县住建局配合。"
    assert transport[3:5] == ["县交通运输局", "县住房和城乡建设局"]
    assert transport[5] == dt.datetime(2026, 12, 31) and sheet["F3"].number_format == exporting.DATE_FORMAT
    assert transport[6] == "完成路基20公里"  # the latest approved report, not the pending one
    assert transport[7] == "未开始" and transport[8] == "一、重点工作安排 / （一）交通建设"
    assert housing[1] == "实施老旧小区改造" and housing[2] == "王副县长" and housing[7] == "滞后"
    assert housing[6] is None
    assert town[6] == "本期无进展（零报告）：雨季停工"


def test_text_is_never_a_formula(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    Task.objects.filter(pk=ledger.housing.pk).update(
        content='=HYPERLINK("http://example.invalid")', title="=1+1"
    )
    sheet = sheet_of(export(login(people.supervisor), ledger.plan))
    cell = sheet["B4"]
    assert cell.data_type == "s" and cell.value.startswith("=1+1")


def test_export_is_scoped(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    def codes(user: Any) -> list[str]:
        return [row[0].value for row in sheet_of(export(login(user), ledger.plan)).iter_rows(min_row=3)]

    assert codes(people.leader) == ["1.1", "1.2", "1.3"]
    assert codes(people.housing_reporter) == ["1.1", "1.2"]  # leads 1.2, co-operates on 1.1
    assert codes(people.town_reporter) == ["1.3"]
    other = Plan.objects.create(year=2026, owner_unit=org.housing, title="住建局计划")
    Task.objects.create(plan=other, seq=1, title="内部任务", lead_unit=org.housing)
    assert login(people.town_reporter).get(reverse("ledger:plan_export", args=[other.pk])).status_code == 404
    assert (
        login(people.bureau_supervisor).get(reverse("ledger:plan_export", args=[other.pk])).status_code == 404
    )
    assert login(people.supervisor).get(reverse("ledger:plan_export", args=[999999])).status_code == 404


def task_facts(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (
            t.seq,
            t.code,
            t.title,
            t.content,
            t.lead_unit_id,
            sorted(u.pk for u in t.co_units.all()),
            t.leader_name,
            t.deadline,
            t.category_path,
        )
        for t in plan.tasks.order_by("seq")
    ]


def test_round_trip_in_functions(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    import_plan(login(people.supervisor))
    plan = Plan.objects.get()
    data = exporting.export_plan(plan, exporting.export_tasks(plan, plan.tasks.all()))
    sheet = xlsx.read_sheet(data, "导出.xlsx")
    assert sheet.title == plan.title and xlsx.guess_year(sheet, 2000) == 2026
    check = xlsx.check_rows(sheet, list(Unit.objects.all()), 2026)
    assert check.ok and [n for n in check.notes if "跳过" in n] == []
    tasks = list(plan.tasks.order_by("seq"))
    assert [(d.code, d.title, d.content, d.lead_unit, d.deadline, d.category_path) for d in check.drafts] == [
        (t.code, t.title, t.content, t.lead_unit, t.deadline, t.category_path) for t in tasks
    ]
    assert [set(d.co_units) for d in check.drafts] == [set(t.co_units.all()) for t in tasks]


def test_round_trip_through_the_screens(
    org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    import_plan(client)
    original = Plan.objects.get()
    exported = export(client, original).content
    response = client.post(reverse("import:xlsx"), {"file": SimpleUploadedFile("导出.xlsx", exported)})
    key = preview_key(response)
    form = client.get(reverse("import:preview", args=[key])).context["plan_form"]
    data = {name: form[name].value() for name in form.fields}
    client.post(reverse("import:preview", args=[key]), {**data, "action": "confirm"})
    copy = Plan.objects.exclude(pk=original.pk).get()
    assert (
        copy.title == original.title and copy.year == original.year and copy.owner_unit == original.owner_unit
    )
    assert task_facts(copy) == task_facts(original)
    assert copy.source != original.source


def test_units_of_the_same_name_survive_the_round_trip(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    office = Unit.objects.create(name="办公室", parent=org.transport)
    Unit.objects.create(name="办公室", parent=org.housing)
    ledger.housing.co_units.set([office])
    plan = ledger.plan
    data = exporting.export_plan(plan, exporting.export_tasks(plan, plan.tasks.all()))
    assert load_workbook(io.BytesIO(data)).active["E4"].value == "交通局·办公室"  # Unit.label
    check = xlsx.check_rows(xlsx.read_sheet(data, "t.xlsx"), list(Unit.objects.all()), 2026)
    assert check.ok and check.drafts[1].co_units == [office]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_excel_would_evaluate_are_quoted_text(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client], start: str
) -> None:
    Task.objects.filter(pk=ledger.housing.pk).update(
        title=f"{start}SUM(A1:A9)", content="", leader_name=f"{start}1"
    )
    sheet = sheet_of(export(login(people.supervisor), ledger.plan))
    for cell in (sheet["B4"], sheet["C4"]):
        assert cell.value.startswith(start) and cell.data_type == "s" and cell.quotePrefix, repr(cell.value)
    assert not sheet["B3"].quotePrefix  # ordinary text is left alone


def test_export_applies_the_filters_and_sort_on_screen(
    org: SimpleNamespace, people: SimpleNamespace, ledger: SimpleNamespace, login: Callable[[Any], Client]
) -> None:
    client = login(people.supervisor)
    url = reverse("ledger:plan_export", args=[ledger.plan.pk])
    sheet = sheet_of(client.get(url, {"unit": org.transport.pk}))
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["1.1", "1.3"]
    sheet = sheet_of(client.get(url, {"q": "老旧小区"}))
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["1.2"]
    sheet = sheet_of(client.get(url, {"sort": "-code"}))
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["1.3", "1.2", "1.1"]
