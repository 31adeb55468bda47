"""Excel upload of a period's indicator values, and its template.

Columns (any order, header within the first rows): 指标名称, 本期数值 (required), 上年同期, 排名
(``3`` or ``3/12``: 第3位，共12个), 备注 (optional); 序号, 计量单位, 年度目标 are read past. Any other
column is an error: a sheet with a wrong column is refused rather than half read.

The file is vetted like the ledger's 台账 import (``ledger.importing.xlsx.vet_xlsx``: type by name
and content) and the package like the engine's (``reports.package.vet_package``: zip bombs, XML
entity declarations) before openpyxl reads it, read-only and with row and size limits. Cells are
read as stored (numbers as numbers: the engine's text form of a cell rounds to 6 digits).

``check_rows`` turns the sheet into entries or per-row Chinese errors; the caller saves only when
there is no error (``services.save_values`` checks permissions and periods, again per row).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from taizhang.indicators.models import DIGITS, PLACES, Indicator, IndicatorValue
from taizhang.ledger.importing.xlsx import XlsxError, vet_xlsx
from taizhang.reports.package import vet_package
from taizhang.reports.workbook import XLSX_LIMITS, XLSX_WORDING

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 20
HEADER_SEARCH_ROWS = 10

COLUMNS = {
    "指标名称": "name",
    "指标": "name",
    "本期数值": "value",
    "本期数": "value",
    "数值": "value",
    "上年同期": "last_year",
    "上年同期数": "last_year",
    "上年同期值": "last_year",
    "排名": "rank",
    "位次": "rank",
    "备注": "note",
}
IGNORED = {"序号", "计量单位", "单位", "年度目标", "目标"}
REQUIRED = ("name", "value")
LABELS = {"name": "指标名称", "value": "本期数值", "last_year": "上年同期", "rank": "排名", "note": "备注"}
TEMPLATE_HEADER = ["序号", "指标名称", "计量单位", "本期数值", "上年同期", "排名", "备注"]

_RANK = re.compile(
    r"^(?:居.{0,6}?)?第?\s*(\d{1,5})\s*[位名]?\s*(?:[/／,，]\s*(?:共)?\s*(\d{1,5})\s*[个位名]?)?$"
)


# --- cells --------------------------------------------------------------------------------------


def parse_number(raw: Any) -> Decimal:
    """A cell or form value as a Decimal; ValueError with a Chinese message otherwise."""
    if isinstance(raw, bool):
        raise ValueError("不是数字")
    if isinstance(raw, int | float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
        text = text.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
        if not text:
            raise ValueError("为空")
        if re.fullmatch(r"[xX]+(\.[xX]+)?", text):
            raise ValueError(f"“{text}”是占位符，请填写实际数字")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{str(raw).strip()[:20]}”不是数字") from None
    if not number.is_finite():
        raise ValueError("不是有效的数字")
    whole = DIGITS - PLACES
    if abs(number) >= Decimal(10) ** whole:
        raise ValueError(f"数值过大（整数部分最多 {whole} 位）")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PLACES:  # more decimals than stored: round half up
        number = number.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
    return number


def parse_rank(raw: Any) -> tuple[int, int | None]:
    """``3`` / ``3/12`` / ``第3位`` / ``居全市第3位/共12个`` → (3, 12 or None)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number, total = raw, None
    elif isinstance(raw, float) and raw.is_integer():
        number, total = int(raw), None
    else:
        m = _RANK.match(str(raw).strip())
        if not m:
            raise ValueError(f"“{str(raw).strip()[:20]}”不是排名，应填如 3 或 3/12（第3位，共12个）")
        number, total = int(m[1]), int(m[2]) if m[2] else None
    if number < 1 or (total is not None and total < 1):
        raise ValueError("排名应为正整数")
    if total is not None and number > total:
        raise ValueError(f"排名第{number}位超过了参评总数{total}")
    return number, total


# --- the sheet ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # the Excel row
    cells: dict[str, Any]


@dataclass
class Sheet:
    header_row: int
    rows: list[Row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The first worksheet's header and rows. Raises XlsxError (one line of Chinese)."""
    name = PurePath(filename).name or "上传的文件"
    if len(data) > MAX_BYTES:
        raise XlsxError(f"文件过大（超过 {MAX_BYTES // 1024 // 1024}MB）：指标填报表只需一张工作表")
    vet_xlsx(data, name)
    parts = vet_package(data, name, XLSX_WORDING, XlsxError, XLSX_LIMITS)
    if "xl/workbook.xml" not in parts:
        raise XlsxError(f"不是有效的 .xlsx 文件（缺少工作簿）：{name}")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises many kinds on malformed files
        raise XlsxError(
            f"无法读取该 Excel 文件（内容损坏或格式不受支持），请用 Excel 或 WPS 另存为 .xlsx：{name}"
        ) from None
    try:
        if not workbook.worksheets:
            raise XlsxError(f"工作簿中没有工作表：{name}")
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(
            workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise XlsxError(f"表格行数过多（超过 {MAX_ROWS} 行）：{name}")
            if any(_cell_text(v) for v in values):
                rows.append((number, list(values)))
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
    return _with_header(rows, name)


def _with_header(rows: list[tuple[int, list[Any]]], name: str) -> Sheet:
    for index, (number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [re.sub(r"\s+", "", _cell_text(v)) for v in values]
        if not any(COLUMNS.get(t) == "name" for t in texts):
            continue
        columns: dict[str, int] = {}
        wrong = []
        for position, text in enumerate(texts):
            if not text or text in IGNORED:
                continue
            field_name = COLUMNS.get(text)
            if field_name is None or field_name in columns:
                wrong.append(text)
            else:
                columns[field_name] = position
        if wrong:
            listed = "”“".join(wrong)
            raise XlsxError(
                f"第 {number} 行表头中的“{listed}”列无法识别（或重复）。"
                f"应为：指标名称、本期数值，可选 上年同期、排名、备注"
            )
        missing = [LABELS[f] for f in REQUIRED if f not in columns]
        if missing:
            raise XlsxError(f"第 {number} 行的表头缺少“{'”“'.join(missing)}”列")
        body = [
            Row(n, {f: (vals[i] if i < len(vals) else None) for f, i in columns.items()})
            for n, vals in rows[index + 1 :]
        ]
        return Sheet(number, body)
    raise XlsxError(f"未找到表头：表格应有一行列名，包含 指标名称、本期数值（{name}）")


# --- the rows -----------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"“{self.column}”" if self.column else ""
        return f"第 {self.row} 行{where}：{self.message}"


@dataclass
class CheckedRow:
    row: int
    indicator: Indicator
    value: Decimal
    last_year: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    note: str = ""


@dataclass
class SheetCheck:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def check_rows(sheet: Sheet, indicators: Sequence[Indicator]) -> SheetCheck:
    """Each row against the indicators the user may enter (by name; the name with its unit, as
    the template shows, also matches)."""
    by_name: dict[str, Indicator] = {}
    for known in indicators:
        by_name[known.name] = known
        by_name.setdefault(known.label, known)
    out = SheetCheck()
    seen: dict[int, int] = {}
    for row in sheet.rows:
        errors: list[RowError] = []

        def fail(column: str, message: str, number: int = row.number, into: list[RowError] = errors) -> None:
            into.append(RowError(number, LABELS.get(column, column), message))

        name = re.sub(r"\s+", "", _cell_text(row.cells.get("name")))
        raw_value = row.cells.get("value")
        if not name:
            if _cell_text(raw_value):
                fail("name", "指标名称为空")
            continue
        others = [_cell_text(row.cells.get(k)) for k in ("last_year", "rank", "note")]
        if not _cell_text(raw_value) and not any(others):
            continue  # a template row left blank: not entered this time, as on the entry screen
        indicator: Indicator | None = by_name.get(name)
        if indicator is None:
            fail("name", f"“{name[:40]}”不是您可填报的指标（请使用下载的模板中的指标名称）")
        elif indicator.pk in seen:
            fail("name", f"“{name}”与第 {seen[indicator.pk]} 行重复")
        else:
            seen[indicator.pk] = row.number
        if not _cell_text(raw_value):
            fail("value", "本期数值为空")
            value = Decimal(0)
        else:
            try:
                value = parse_number(raw_value)
            except ValueError as err:
                fail("value", str(err))
                value = Decimal(0)
        last_year = None
        if _cell_text(row.cells.get("last_year")):
            try:
                last_year = parse_number(row.cells["last_year"])
            except ValueError as err:
                fail("last_year", str(err))
        rank = rank_of = None
        if _cell_text(row.cells.get("rank")):
            try:
                rank, rank_of = parse_rank(row.cells["rank"])
            except ValueError as err:
                fail("rank", str(err))
        note = _cell_text(row.cells.get("note"))
        if len(note) > 500:
            fail("note", "备注过长（最多 500 字）")
        out.errors.extend(errors)
        if not errors and indicator is not None:
            out.rows.append(CheckedRow(row.number, indicator, value, last_year, rank, rank_of, note))
    if not out.rows and not out.errors:
        out.errors.append(RowError(sheet.header_row, "", "表头下没有填写任何指标数值"))
    return out


# --- the template -------------------------------------------------------------------------------


def template(title: str, indicators: Sequence[Indicator], stored: dict[int, IndicatorValue]) -> bytes:
    """A sheet to fill in: one row per indicator, this period's stored values already in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "指标填报"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(TEMPLATE_HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for number, indicator in enumerate(indicators, start=1):
        value = stored.get(indicator.pk)
        rank = ""
        if value is not None and value.rank:
            rank = f"{value.rank}/{value.rank_of}" if value.rank_of else str(value.rank)
        sheet.append(
            [
                number,
                indicator.name,
                indicator.measure,
                float(value.value) if value is not None else None,
                float(value.last_year_value)
                if value is not None and value.last_year_value is not None
                else None,
                rank,
                value.note if value is not None else "",
            ]
        )
    numbers = DataValidation(type="decimal", allow_blank=True, showErrorMessage=True)
    numbers.error = "请填写数字"
    numbers.add(f"D3:E{max(3, len(indicators) + 2)}")
    sheet.add_data_validation(numbers)
    for column, width in zip("ABCDEFG", (6, 36, 10, 14, 14, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
