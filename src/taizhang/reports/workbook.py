"""Reading an .xlsx workbook as the engine's input: one `Grid` per worksheet and one line per row.

Lines count through the sheets in order (the first sheet's line N is its row N), so a task's line
names the row a clerk sees. Merged ranges are expanded into every cell they cover, as a clerk reads
a 责任领导 merged over three rows. The package is vetted (`package.vet_package`: zip bombs, XML
entity declarations) before openpyxl sees it; the caller has checked the size and the magic bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .package import Limits, Wording, vet_package
from .tables import Grid

MAX_ROWS = 50_000
"""Rows read per sheet (a 台账 has hundreds; a sheet declaring a million empty rows is not read)."""

MAX_COLUMNS = 60
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_SHEETS = 50

XLSX_LIMITS = Limits(max_xml_bytes=100 * 1024 * 1024)
"""Shared strings and sheets of a big 台账 are larger XML parts than a report's document.xml."""

XLSX_WORDING = Wording(".xlsx", "Excel 或 WPS")


@dataclass
class Sheet:
    name: str
    first_line: int  # the input line of the sheet's row 1
    grid: Grid


def cell_text(value: Any) -> str:
    """A cell as a clerk reads it: dates in Chinese form (`2026年6月30日`), 3.0 as `3`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text[:MAX_CELL_CHARS]


def read_workbook(data: bytes, name: str, error: Callable[[str], Exception]) -> list[Sheet]:
    """The worksheets of a vetted .xlsx, each as a grid with merged cells repeated."""
    names = vet_package(data, name, XLSX_WORDING, error, XLSX_LIMITS)
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise error(f"这是改了扩展名的 Word 文件，不是 Excel 表格，请使用 .docx 扩展名：{name}")
        raise error(f"不是有效的 .xlsx 文件（缺少工作簿）：{name}")
    from openpyxl import load_workbook

    try:
        # Not read_only: merged ranges are only known to full worksheets.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises KeyError, ValueError, TypeError, ... on malformed workbooks
        raise error(
            f"无法读取该 Excel 文件（内容损坏或格式不受支持），请用 Excel 或 WPS 另存为 .xlsx：{name}"
        ) from None
    sheets: list[Sheet] = []
    line = 1
    try:
        for worksheet in workbook.worksheets[:MAX_SHEETS]:
            rows = _sheet_rows(worksheet, name, error)
            numbers = [line + i if any(row) else 0 for i, row in enumerate(rows)]
            sheets.append(Sheet(worksheet.title, line, Grid(rows, numbers)))
            line += len(rows)
    except MemoryError:
        raise
    except Exception as err:
        if isinstance(err, type(error(""))):
            raise
        raise error(f"读取 Excel 表格时出错（内容损坏），请用 Excel 或 WPS 另存为 .xlsx：{name}") from None
    finally:
        workbook.close()
    return sheets


def _sheet_rows(worksheet: Any, name: str, error: Callable[[str], Exception]) -> list[list[str]]:
    # Cells as stored: iter_rows on a full worksheet would create every cell of the rectangle up to
    # its last used cell (one stray cell at row 1,000,000 would cost gigabytes).
    stored: dict[tuple[int, int], Any] = getattr(worksheet, "_cells", {})
    height = 0
    width = 0
    values: dict[tuple[int, int], str] = {}
    for (r, c), cell in stored.items():
        if c > MAX_COLUMNS:
            continue
        text = cell_text(cell.value)
        if not text:
            continue
        if r > MAX_ROWS:
            raise error(f"表格行数过多（超过 {MAX_ROWS} 行），请拆分后分别导入：{name}")
        values[(r, c)] = text
        height, width = max(height, r), max(width, c)
    merged = [m for m in worksheet.merged_cells.ranges if (m.min_row, m.min_col) in values]
    for m in merged:
        height = max(height, min(m.max_row, MAX_ROWS))
        width = max(width, min(m.max_col, MAX_COLUMNS))
    rows = [[""] * width for _ in range(height)]
    for (r, c), text in values.items():
        rows[r - 1][c - 1] = text
    for m in merged:
        value = values[(m.min_row, m.min_col)]
        for r in range(m.min_row, min(m.max_row, height) + 1):
            for c in range(m.min_col, min(m.max_col, width) + 1):
                rows[r - 1][c - 1] = value
    return rows


def sheet_lines(sheet: Sheet) -> list[str]:
    """One line per row: its cells left to right, a merged cell once, cell line breaks as spaces."""
    out: list[str] = []
    for row in sheet.grid.rows:
        cells = [c.replace("\n", " ") for c in row if c]
        out.append("\t".join(dict.fromkeys(cells)) if len(set(cells)) < len(cells) else "\t".join(cells))
    return out
