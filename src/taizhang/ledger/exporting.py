"""The Excel 台账 export: ``export_plan(plan, tasks)`` writes the import's columns (plus 状态 and
分类), with a title row, a frozen Chinese header, column widths and real dates, so that an export
imports back into the same tasks."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.accounts.units import unit_labels
from taizhang.ledger import obligations
from taizhang.ledger.models import Plan, Task
from taizhang.ledger.spreadsheet import LABELS, XLSX_CONTENT_TYPE

__all__ = ["XLSX_CONTENT_TYPE", "export_plan", "export_tasks"]

# The import's own column names, so that an export reads back.
EXPORT_FIELDS = ("seq", "content", "leader", "lead", "co", "deadline", "progress", "status", "category")
# 颜色 (四色, with its reasons) is for reading only: the import does not read it back.
EXPORT_HEADERS = (*(LABELS[f] for f in EXPORT_FIELDS), "颜色")
EXPORT_WIDTHS = (8, 60, 14, 20, 28, 16, 50, 10, 36, 36)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def export_tasks(plan: Plan, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks to export with what the sheet needs: units, and the reported progress (the
    latest approved report, ``obligations.reported``, as the printed 台账 shows)."""
    ordered = tasks if tasks.query.order_by else tasks.order_by("seq", "id")
    return (
        ordered.filter(plan=plan)
        .select_related("lead_unit", "leader", "colour")
        .prefetch_related("co_units")
        .annotate(
            latest_text=obligations.reported_value("text"),
            latest_zero_reason=obligations.reported_value("zero_reason"),
        )
    )


def _task_content(task: Task) -> str:
    content = task.content.strip()
    if not content:
        return task.title
    if content.startswith(task.title.rstrip("…")):
        return content
    return f"{task.title}：{content}"


def _progress_text(task: Any) -> str:
    text = (getattr(task, "latest_text", None) or "").strip()
    reason = (getattr(task, "latest_zero_reason", None) or "").strip()
    if not text and reason:
        return f"本期无进展（零报告）：{reason}"
    return text


def _colour_text(task: Task) -> str:
    """ "红色：节点…已逾期12天；…" from the stored colour ("" for a task not yet coloured)."""
    stored = getattr(task, "colour", None)  # a missing reverse one-to-one raises; getattr covers it
    if stored is None:
        return ""
    return (
        f"{stored.get_colour_display()}：{'；'.join(stored.reasons)}"
        if stored.reasons
        else stored.get_colour_display()
    )


# A cell starting with one of these is a formula to Excel (or becomes one when edited): "=1+1",
# "+86…", "-2%", "@SUM(…)", and the tab / carriage return tricks of CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: Any) -> None:
    """Text from users is text: written as a string cell with Excel's quote prefix (the leading
    apostrophe), so Excel neither evaluates it on opening nor when someone edits the cell."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def export_plan(plan: Plan, tasks: Iterable[Task], labels: Mapping[int, str] | None = None) -> bytes:
    """The plan's tasks as an .xlsx 台账 (see the module doc). Units are written by ``labels``
    (default: ``unit_labels`` of every unit), the names the import reads back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "台账"
    last = get_column_letter(len(EXPORT_HEADERS))
    sheet.append([plan.title])
    inert(sheet["A1"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append(list(EXPORT_HEADERS))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F4F6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for index, width in enumerate(EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    wrap = Alignment(vertical="top", wrap_text=True)
    if labels is None:
        labels = unit_labels(Unit.objects.all())
    for task in tasks:
        code = task.code or str(task.seq)
        leader = task.leader_name or (task.leader.display_name if task.leader else "")
        sheet.append(
            [
                int(code) if code.isdigit() else code,
                _task_content(task),
                leader,
                labels.get(task.lead_unit.pk, task.lead_unit.name) if task.lead_unit else "",
                "、".join(labels.get(u.pk, u.name) for u in task.co_units.all()),
                task.deadline,
                _progress_text(task),
                task.get_status_display(),
                " / ".join(task.category_path),
                _colour_text(task),
            ]
        )
        for cell in sheet[sheet.max_row]:
            inert(cell)
            cell.alignment = wrap
            cell.border = border
        sheet.cell(row=sheet.max_row, column=6).number_format = DATE_FORMAT
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
