"""The 整改台账 as an Excel workbook: one row per problem, in the columns offices keep by hand."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping

from taizhang.ledger.exporting import DATE_FORMAT, inert
from taizhang.supervision.colours import Verdict
from taizhang.supervision.problem_models import Problem

HEADERS = ("序号", "问题", "责任单位", "整改措施", "整改时限", "整改情况", "状态", "颜色")
WIDTHS = (8, 50, 20, 40, 16, 40, 10, 30)


def rectification_text(problem: Problem) -> str:
    """整改情况 as the sheet shows it: the unit's account, with the verification when there is one."""
    parts = [problem.rectification.strip()] if problem.rectification.strip() else []
    if problem.is_closed and problem.signed_off_at is not None:
        who = problem.signed_off_by.display_name if problem.signed_off_by else ""
        parts.append(
            f"{problem.signed_off_at:%Y年%m月%d日}{who}验收销号"
            + (f"：{problem.sign_off_comment}" if problem.sign_off_comment else "")
        )
    elif problem.returned and problem.return_comment:
        parts.append(f"验收退回：{problem.return_comment}")
    return "\n".join(parts)


def export_problems(
    title: str, rows: Iterable[tuple[Problem, Verdict]], labels: Mapping[int, str], as_of: dt.date
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "整改台账"
    last = get_column_letter(len(HEADERS))
    sheet.append([f"{title}（截至{as_of:%Y年%m月%d日}）"])
    inert(sheet["A1"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.append(list(HEADERS))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F4F6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    wrap = Alignment(vertical="top", wrap_text=True)
    for seq, (problem, verdict) in enumerate(rows, start=1):
        sheet.append(
            [
                seq,
                problem.title + (f"\n{problem.description}" if problem.description else ""),
                labels.get(problem.unit_id, problem.unit.name),
                problem.measures,
                problem.deadline,
                rectification_text(problem),
                problem.get_state_display(),
                f"{verdict.label}：{'；'.join(verdict.reasons)}",
            ]
        )
        for cell in sheet[sheet.max_row]:
            inert(cell)
            cell.alignment = wrap
            cell.border = border
        sheet.cell(row=sheet.max_row, column=5).number_format = DATE_FORMAT
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
