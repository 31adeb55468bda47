"""Excel 台账 import (.xlsx), in the familiar columns
序号、任务内容、责任领导、牵头单位、配合单位、完成时限、进展情况（、状态）.

Import is three plain steps, each testable alone:

1. ``vet_xlsx(data, name)``: the package is checked before openpyxl sees it (type by content, size,
   central directory, declared uncompressed sizes, encryption, DOCTYPE/ENTITY in any XML part);
2. ``read_sheet(data, name)``: the header row is found among the first rows (title rows and blank rows
   above it, any column order, common synonyms such as 责任单位 for 牵头单位), and the rows below it are
   read as text or dates (openpyxl, ``read_only=True``);
3. ``check_rows(sheet, units, year)``: every row becomes a task draft or a list of per-row errors
   (empty content, unknown or ambiguous unit, bad date, duplicate 序号). Nothing is saved while any
   row has an error: the caller only confirms when ``errors`` is empty.

Category rows ("一、项目建设" alone on a row) and a 分类 column give the tasks their category path.
The 进展情况 column is shown for checking but not imported: progress enters the ledger only as reports
from the responsible units, reviewed by the supervisor.

The export (``taizhang.ledger.exporting``) writes the same columns, so that it imports back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from taizhang.accounts.models import Unit
from taizhang.ledger.drafts import TaskDraft, task_title
from taizhang.ledger.spreadsheet import COLUMNS, LABELS
from taizhang.ledger.suggest.dates import parse_date_text
from taizhang.ledger.suggest.units import names_of, resolve_unit_names
from taizhang.reports.package import Limits, Wording, vet_package

# Shared strings and sheets of a big 台账 are larger XML parts than a report's document.xml.
XLSX_LIMITS = Limits(max_xml_bytes=100 * 1024 * 1024)
_XLSX = Wording(".xlsx", "Excel 或 WPS")
HEADER_SEARCH_ROWS = 30
MAX_COLUMNS = 60
MAX_TASK_ROWS = 5000
MAX_SCANNED_ROWS = 50000
MAX_CELL_CHARS = 32767  # Excel's own limit: nothing a real cell holds is cut

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
    """Refuse anything that is not a sound .xlsx package, before it is decompressed or parsed.

    The package checks are the engine's (`taizhang.reports.package`), in Excel's wording."""
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
    names = vet_package(data, name, _XLSX, XlsxError, XLSX_LIMITS)
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise XlsxError(f"这是改了扩展名的 Word 文件，不是 Excel 表格：{name}")
        raise XlsxError(f"不是有效的 .xlsx 文件（缺少工作簿）：{name}")


# --- 2. the sheet -------------------------------------------------------------------------------

REQUIRED = ("content", "lead", "deadline")
EXPECTED_LABEL = "序号、任务内容、责任领导、牵头单位、配合单位、完成时限、进展情况"
_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]+|[（(][^）)]*[）)]")
_SYNONYM = {name: (f, rank) for f, names in COLUMNS.items() for rank, name in enumerate(names)}


def header_field(text: str) -> tuple[str, int] | None:
    """The field a header cell names ("完成时限（年月日）" → ("deadline", 0)) and its preference rank."""
    return _SYNONYM.get(_HEADER_NOISE.sub("", text).lower())


@dataclass
class SheetRow:
    number: int  # the row number Excel shows
    cells: dict[str, Any]  # field -> str, dt.date or number (None when empty)


@dataclass
class Sheet:
    name: str
    title: str
    header_row: int
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[SheetRow]

    def column_label(self, name: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.columns[name] + 1)


def _cell(value: Any) -> Any:
    """A cell's value as str (stripped, at most MAX_CELL_CHARS), dt.date, int/float, or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value).replace("\r\n", "\n").strip()
    return text[:MAX_CELL_CHARS] if text else None


def cell_text(value: Any) -> str:
    """How a cell reads as text: 3.0 → "3", a date → "2026-06-30"."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows):
        found: dict[str, tuple[int, int]] = {}
        for col, value in enumerate(row):
            if not isinstance(value, str):
                continue
            hit = header_field(value)
            if hit is None:
                continue
            name, rank = hit
            if name not in found or rank < found[name][1]:
                found[name] = (col, rank)
        if "content" in found and len(found) >= 3:
            return index, {name: col for name, (col, _) in found.items()}
    return None


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The 台账 of the first worksheet that has a header row. Raises XlsxError (Chinese)."""
    vet_xlsx(data, filename)
    name = PurePath(filename).name
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises KeyError, ValueError, TypeError, ... on malformed workbooks
        raise XlsxError(
            f"无法读取该 Excel 文件（内容损坏或格式不受支持），请用 Excel 或 WPS 另存为 .xlsx：{name}"
        ) from None
    try:
        first_rows: list[tuple[Any, ...]] = []
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "iter_rows"):  # chart sheets
                continue
            worksheet.reset_dimensions()  # some writers declare a wrong sheet size
            rows = worksheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
            head = [
                tuple(_cell(v) for v in row) for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)
            ]
            first_rows = first_rows or head
            found = _find_header(head)
            if found is None:
                continue
            header_index, columns = found
            missing = [LABELS[f] for f in REQUIRED if f not in columns]
            if missing:
                listed = "”“".join(missing)
                raise XlsxError(
                    f"第 {header_index + 1} 行的表头缺少“{listed}”列。台账应包含列：{EXPECTED_LABEL}"
                )
            title = next(
                (
                    " ".join(cell_text(v) for v in row if v is not None)
                    for row in head[:header_index]
                    if any(row)
                ),
                "",
            )
            body = [SheetRow(i + 1, {}) for i in range(header_index + 1, len(head))]
            for sheet_row, row in zip(body, head[header_index + 1 :], strict=True):
                sheet_row.cells = _row_cells(row, columns)
            number = len(head)
            for row in rows:
                number += 1
                if number > MAX_SCANNED_ROWS:
                    raise XlsxError(f"表格行数过多（超过 {MAX_SCANNED_ROWS} 行），请拆分后分别导入：{name}")
                body.append(SheetRow(number, _row_cells(tuple(_cell(v) for v in row), columns)))
            body = [r for r in body if any(v is not None for v in r.cells.values())]
            if len(body) > MAX_TASK_ROWS:
                raise XlsxError(f"表格中任务过多（超过 {MAX_TASK_ROWS} 行），请拆分后分别导入：{name}")
            return Sheet(worksheet.title, title, header_index + 1, columns, body)
    except XlsxError:
        raise
    except MemoryError:
        raise
    except Exception:
        raise XlsxError(
            f"读取 Excel 表格时出错（内容损坏），请用 Excel 或 WPS 另存为 .xlsx：{name}"
        ) from None
    finally:
        workbook.close()
    seen = "、".join(cell_text(v) for row in first_rows for v in row if isinstance(v, str))[:80]
    hint = f"（表格前几行为：{seen}）" if seen else "（表格是空的）"
    raise XlsxError(f"未找到表头：台账应有一行列名，包含 {EXPECTED_LABEL}{hint}")


def _row_cells(row: tuple[Any, ...], columns: dict[str, int]) -> dict[str, Any]:
    return {f: (row[col] if col < len(row) else None) for f, col in columns.items()}


def sheet_text(sheet: Sheet) -> str:
    """The sheet as plain text (kept with the source document for search)."""
    lines = [sheet.title] if sheet.title else []
    order = sorted(sheet.columns, key=lambda f: sheet.columns[f])
    lines.append("\t".join(LABELS[f] for f in order))
    for row in sheet.rows:
        lines.append("\t".join(cell_text(row.cells.get(f)) for f in order))
    return "\n".join(lines) + "\n"


# --- 3. the rows --------------------------------------------------------------------------------

_YEAR = re.compile(r"(20\d\d)\s*年")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)])")
_SUB_HEADING = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_PATH_SPLIT = re.compile(r"\s+[/>›]\s+|\n")


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
        return int(m.group(1))
    years: Counter[int] = Counter()
    for row in sheet.rows:
        value = row.cells.get("deadline")
        if isinstance(value, dt.date):
            years[value.year] += 1
        elif isinstance(value, str) and (m := _YEAR.search(value) or re.match(r"(20\d\d)[-/.]", value)):
            years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else fallback


def _excel_date(value: float) -> dt.date | None:
    """An Excel serial day number (46203 → 2026-06-30) within 2000–2100."""
    if not 36526 <= value <= 73051:
        return None
    from openpyxl.utils.datetime import from_excel

    result = from_excel(value)
    return result.date() if isinstance(result, dt.datetime) else None


def parse_deadline(value: Any, year: int) -> tuple[dt.date | None, str]:
    """(date, "") or (None, a Chinese reason). An empty cell means 31 December of ``year``."""
    if value is None:
        return dt.date(year, 12, 31), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, int | float):
        day = _excel_date(float(value))
        if day is None:
            return None, f"“{cell_text(value)}”不是日期"
        return day, ""
    day = parse_date_text(str(value), year)
    if day is None:
        return None, f"无法识别“{value}”（可写 {year}年6月30日、{year}-06-30 或 6月底）"
    return day, ""


def check_rows(sheet: Sheet, units: Sequence[Unit], year: int) -> SheetCheck:
    """Every row of the sheet checked against the units the user may assign (see the module doc)."""
    drafts: list[TaskDraft] = []
    rows: list[CheckedRow] = []
    errors: list[RowError] = []
    notes: list[str] = []
    seen_codes: dict[str, int] = {}
    headings: list[str] = []
    use_category_column = "category" in sheet.columns
    names = names_of(units)
    for row in sheet.rows:
        cells = row.cells
        text = {f: cell_text(v) for f, v in cells.items()}
        filled = [f for f, v in text.items() if v]
        task_fields = [f for f in filled if f not in ("seq", "category", "status", "progress")]
        if not task_fields or (filled == ["content"] and _HEADING.match(text["content"])):
            heading = text.get("content") or text.get("seq") or ""
            if len(filled) == 1 and _HEADING.match(heading):
                headings = [*headings[:1], heading] if _SUB_HEADING.match(heading) and headings else [heading]
            elif filled == ["seq"] and text["seq"].isdigit():
                notes.append(f"第 {row.number} 行只有序号，已跳过")
            else:
                shown = "；".join(text[f] for f in filled)[:40]
                notes.append(f"第 {row.number} 行没有任务内容，已跳过：{shown}")
            continue
        row_errors: list[RowError] = []

        def fail(
            column: str, message: str, number: int = row.number, into: list[RowError] = row_errors
        ) -> None:
            into.append(RowError(number, LABELS.get(column, column), message))

        code = text.get("seq", "")
        if code:
            if code in seen_codes:
                fail("seq", f"序号“{code}”与第 {seen_codes[code]} 行重复")
            else:
                seen_codes[code] = row.number
        content = text.get("content", "")
        if not content:
            fail("content", "任务内容为空")
        leader = text.get("leader", "")
        if len(leader) > 100:
            fail("leader", "责任领导不能超过 100 字")
        lead_units: list[Unit] = []
        if not text.get("lead"):
            fail("lead", "牵头单位为空")
        else:
            lead_units, problems = resolve_unit_names(text["lead"], units, names)
            for problem in problems:
                fail("lead", problem)
        co_units, problems = resolve_unit_names(text.get("co", ""), units, names)
        for problem in problems:
            fail("co", problem)
        deadline, problem = parse_deadline(cells.get("deadline"), year)
        if problem:
            fail("deadline", problem)
        elif deadline is not None and deadline < dt.date(year, 1, 1):
            fail("deadline", f"{deadline:%Y年%m月%d日}早于计划年度（{year}年）")
        path = [p.strip() for p in _PATH_SPLIT.split(text.get("category", "")) if p.strip()]
        if not use_category_column:
            path = list(headings)
        lead = lead_units[0] if lead_units else None
        co = [u for u in [*lead_units[1:], *co_units] if u != lead]
        co = [u for i, u in enumerate(co) if u not in co[:i]]
        rows.append(
            CheckedRow(
                number=row.number,
                code=code,
                content=content,
                leader=leader,
                lead=text.get("lead", ""),
                co=text.get("co", ""),
                deadline=deadline,
                progress=text.get("progress", ""),
                path=path,
                errors=row_errors,
            )
        )
        errors.extend(row_errors)
        if not row_errors:
            drafts.append(
                TaskDraft(
                    seq=len(drafts) + 1,
                    code=code[:32] or str(len(drafts) + 1),
                    category_path=path,
                    title=task_title(content, limit=200),
                    content=content,
                    lead_unit=lead,
                    co_units=co,
                    leader_name=leader,
                    deadline=deadline,
                    source_line=row.number,
                )
            )
    if not rows:
        notes.append("表头下没有任务行")
    if "progress" in sheet.columns:
        notes.append("“进展情况”列仅供核对，不导入：进展由责任单位按期填报并经审核后记入台账")
    return SheetCheck(drafts=drafts if not errors else [], rows=rows, errors=errors, notes=notes)
