"""Excel 台账 import (.xlsx), in the familiar columns
序号、任务内容、责任领导、牵头单位、配合单位、完成时限、进展情况（、状态）.

Import is three plain steps, each testable alone:

1. ``vet_xlsx(data, name)``: the file's type by its name and content (an .xls, a PDF, a renamed file);
2. ``read_sheet(data, name)``: the workbook is read by the document engine, which reads plans in any
   format (``taizhang.reports.workbook``: the package vetted before openpyxl sees it — zip bombs,
   DOCTYPE/ENTITY — merged ranges expanded; ``taizhang.reports.tables``: the header row found below
   title rows, any column order, synonyms such as 责任单位 for 牵头单位, two-row headers, category rows
   and columns, node columns); the first sheet holding a task table is the 台账;
3. ``check_rows(sheet, units, year)``: every row becomes a task draft or a list of per-row errors
   (empty content, unknown or ambiguous unit, bad date or node date, duplicate 序号), through the same
   reading of a row as the plan import (``taizhang.ledger.table_rows``). Nothing is saved while any
   row has an error: the caller only confirms when ``errors`` is empty.

The 进展情况 column is shown for checking but not imported: progress enters the ledger only as reports
from the responsible units, reviewed by the supervisor.

The export (``taizhang.ledger.exporting``) writes the same columns, so that it imports back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from taizhang.accounts.models import Unit
from taizhang.ledger.drafts import TaskDraft, task_title
from taizhang.ledger.spreadsheet import LABELS
from taizhang.ledger.suggest.units import names_of
from taizhang.ledger.table_rows import MilestoneDraft, read_row
from taizhang.reports.tables import TaskRow, TaskTable, read_task_table
from taizhang.reports.workbook import read_workbook, sheet_lines

HEADER_SEARCH_ROWS = 12
MAX_TASK_ROWS = 5000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


class XlsxError(Exception):
    """The workbook cannot be read at all; ``str(err)`` is one line of Chinese for the user."""


# --- 1. the package -----------------------------------------------------------------------------

_OTHER_TYPES = {
    ".xls": "不支持旧版 Excel 文件（.xls），请在 Excel 或 WPS 中另存为 .xlsx",
    ".et": "不支持 WPS 表格格式（.et），请另存为 .xlsx",
    ".csv": "不支持 CSV 文件，请在 Excel 或 WPS 中另存为 .xlsx",
    ".xlsm": "不支持启用宏的 Excel 文件（.xlsm），请另存为 .xlsx",
    ".ods": "不支持 ODS 文件，请另存为 .xlsx",
    ".pdf": "不支持 PDF 文件，请使用 Excel 台账（.xlsx）",
    ".docx": "这是 Word 文件：工作计划请在“导入计划”中上传；此处只接受 Excel 台账（.xlsx）",
}


def vet_xlsx(data: bytes, filename: str) -> None:
    """Refuse what is no .xlsx by its name or content; the package itself is vetted by the engine's
    reader (`taizhang.reports.workbook`) before anything is decompressed."""
    name = PurePath(filename).name or "上传的文件"
    suffix = PurePath(name).suffix.lower()
    if suffix != ".xlsx":
        raise XlsxError(
            _OTHER_TYPES.get(suffix, f"不支持的文件类型（{suffix or '无扩展名'}），请上传 .xlsx 文件")
        )
    if not data:
        raise XlsxError(f"文件为空：{name}")
    if b"%PDF-" in data[:1024]:
        raise XlsxError(f"这是 PDF 文件，不是 Excel 表格，请上传 .xlsx 文件：{name}")
    if data.startswith(_OLE2_MAGIC):
        raise XlsxError(
            f"该文件实际是旧版 .xls 格式或已加密，请在 Excel 或 WPS 中另存为 .xlsx（不加密）：{name}"
        )
    if not data.startswith(_ZIP_MAGICS):
        raise XlsxError(f"不是有效的 .xlsx 文件（内容不是 Excel 表格格式，可能只是改了扩展名）：{name}")


# --- 2. the sheet -------------------------------------------------------------------------------

REQUIRED = ("content", "lead")
EXPECTED_LABEL = "序号、任务内容、责任领导、牵头单位、配合单位、完成时限、进展情况"
# The engine's column fields under the names this import (and its preview) uses.
_FIELDS = {
    "seq": "seq",
    "task": "content",
    "leader": "leader",
    "lead": "lead",
    "co": "co",
    "deadline": "deadline",
    "progress": "progress",
    "status": "status",
    "category": "category",
}
NODE_LABEL = "节点"


@dataclass
class Sheet:
    """The first worksheet holding a task table, as the engine read it (`taizhang.reports.tables`)."""

    name: str
    title: str
    header_row: int  # the Excel row of the (last) header row
    columns: dict[str, int]  # field -> 0-based column index
    table: TaskTable
    lines: list[str]  # the sheet's rows as text, one a row

    @property
    def rows(self) -> list[TaskRow]:
        return self.table.rows

    def column_label(self, name: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.columns[name] + 1)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The 台账 of the first worksheet that has a header row. Raises XlsxError (Chinese)."""
    vet_xlsx(data, filename)
    name = PurePath(filename).name
    first_rows: list[list[str]] = []
    for sheet in read_workbook(data, name, XlsxError):
        first_rows = first_rows or sheet.grid.rows[:HEADER_SEARCH_ROWS]
        table = read_task_table(sheet.grid)
        if table is None:
            continue
        header_row = table.header_rows[-1] + 1
        columns = {_FIELDS[c.field]: c.index for c in table.columns if c.field in _FIELDS}
        has_nodes = any(c.field in ("node", "node_date") for c in table.columns)
        missing = [LABELS[f] for f in REQUIRED if f not in columns]
        if "deadline" not in columns and not has_nodes:
            missing.append(LABELS["deadline"])
        if missing:
            listed = "”“".join(missing)
            raise XlsxError(f"第 {header_row} 行的表头缺少“{listed}”列。台账应包含列：{EXPECTED_LABEL}")
        if len(table.rows) > MAX_TASK_ROWS:
            raise XlsxError(f"表格中任务过多（超过 {MAX_TASK_ROWS} 行），请拆分后分别导入：{name}")
        return Sheet(sheet.name, table.title, header_row, columns, table, sheet_lines(sheet))
    seen = "、".join(cell for row in first_rows for cell in row if cell)[:80]
    hint = f"（表格前几行为：{seen}）" if seen else "（表格是空的）"
    raise XlsxError(f"未找到表头：台账应有一行列名，包含 {EXPECTED_LABEL}{hint}")


def sheet_text(sheet: Sheet) -> str:
    """The sheet as plain text (kept with the source document for search)."""
    return "\n".join(sheet.lines).strip("\n") + "\n"


# --- 3. the rows --------------------------------------------------------------------------------

_YEAR = re.compile(r"(20\d\d)\s*年|(20\d\d)[-/.]\d")


@dataclass
class RowError:
    row: int
    column: str  # the Chinese column name, "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"“{self.column}”" if self.column else ""
        return f"第 {self.row} 行{where}：{self.message}"


@dataclass
class CheckedRow:
    """One task row as the preview shows it."""

    number: int
    code: str
    content: str
    leader: str
    lead: str
    co: str
    deadline: dt.date | None
    progress: str
    path: list[str]
    milestones: list[MilestoneDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class SheetCheck:
    drafts: list[TaskDraft]
    rows: list[CheckedRow]
    errors: list[RowError]
    notes: list[str]  # skipped rows, ignored columns: shown, never blocking

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.drafts)


def guess_year(sheet: Sheet, fallback: int) -> int:
    """The plan year: a year in the title rows, else the most common year of the deadlines."""
    m = _YEAR.search(sheet.title)
    if m:
        return int(m.group(1) or m.group(2))
    years: Counter[int] = Counter()
    for row in sheet.rows:
        m = _YEAR.search(row.deadline)
        if m:
            years[int(m.group(1) or m.group(2))] += 1
    return years.most_common(1)[0][0] if years else fallback


def check_rows(sheet: Sheet, units: Sequence[Unit], year: int) -> SheetCheck:
    """Every row of the sheet checked against the units the user may assign (see the module doc)."""
    drafts: list[TaskDraft] = []
    rows: list[CheckedRow] = []
    errors: list[RowError] = []
    notes: list[str] = []
    seen_codes: dict[str, int] = {}
    names = names_of(units)
    progress = sheet.table.column("progress")
    for index, shown in sheet.table.skipped:
        if shown.isdigit():
            notes.append(f"第 {index + 1} 行只有序号，已跳过")
        else:
            notes.append(f"第 {index + 1} 行没有任务内容，已跳过：{shown}")
    for row in sheet.rows:
        number = row.index + 1
        row_errors: list[RowError] = []

        def fail(column: str, message: str, number: int = number, into: list[RowError] = row_errors) -> None:
            into.append(
                RowError(number, LABELS.get(column, NODE_LABEL if column == "node" else column), message)
            )

        code = row.seq
        if code:
            if code in seen_codes:
                fail("seq", f"序号“{code}”与第 {seen_codes[code]} 行重复")
            else:
                seen_codes[code] = number
        if not row.text:
            fail("content", "任务内容为空")
        if not row.lead_unit:
            fail("lead", "牵头单位为空")
        found = read_row(row, units, year, names)
        for column, message in found.problems:
            fail(column, message)
        deadline = found.deadline or (None if row.deadline.strip() else dt.date(year, 12, 31))
        rows.append(
            CheckedRow(
                number=number,
                code=code,
                content=row.text,
                leader=found.leader,
                lead=row.lead_unit,
                co=row.co_text,
                deadline=deadline,
                progress=row.extra.get(progress.label, "") if progress is not None else "",
                path=list(row.path),
                milestones=found.milestones,
                errors=row_errors,
            )
        )
        errors.extend(row_errors)
        if not row_errors:
            drafts.append(
                TaskDraft(
                    seq=len(drafts) + 1,
                    code=code[:32] or str(len(drafts) + 1),
                    category_path=list(row.path),
                    title=task_title(row.text, limit=200),
                    content=row.text,
                    lead_unit=found.lead,
                    co_units=found.co,
                    leader_name=found.leader,
                    deadline=deadline,
                    source_line=number,
                    milestones=found.milestones,
                )
            )
    if not rows:
        notes.append("表头下没有任务行")
    if "progress" in sheet.columns:
        notes.append("“进展情况”列仅供核对，不导入：进展由责任单位按期填报并经审核后记入台账")
    return SheetCheck(drafts=drafts if not errors else [], rows=rows, errors=errors, notes=notes)
