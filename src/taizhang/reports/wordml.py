"""The body of a .docx as lines, read as Word shows it (PARSE.md §1).

- A line is a body paragraph, or a piece of one ended by a soft line break (`w:br`, WPS's
  手动换行, and page/column breaks) or `w:cr`.
- Automatic numbering (`w:numPr`, directly or through the paragraph style) is rendered in
  front of the paragraph text as Word shows it (`numbering.py`).
- Tables are read cell by cell in reading order (row by row, left to right), each cell
  paragraph a line; a cell continuing a vertical merge and an empty cell give no line. Each
  table is also kept as a `Grid` (merged cells repeated) for the task-table reader.
- What the reader does not see as body text is skipped: headers, footers, footnotes and
  comments (other parts), deleted and moved-away revisions, hidden text, text boxes, ruby,
  field codes and the fallback copy of alternate content. Inserted revisions are read.
- A symbol-font character (`w:sym`, Wingdings, Symbol) that says something — a check mark, a
  cross, a ticked or empty box — reads as the character a clerk would type (`√`, `×`, `☑`,
  `☒`, `□`); a bullet or any other ornament is dropped, as a bullet of Word's numbering is.

Callers vet the package (`package.vet_package`) before python-docx or lxml parse any of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .numbering import Numbering

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": W, "mc": _MC}
_RUNS_XPATH = (
    ".//w:r[not(ancestor::w:txbxContent or ancestor::w:del or ancestor::w:moveFrom"
    " or ancestor::w:rt or ancestor::mc:Fallback)]"
)
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
MAX_TABLE_DEPTH = 16  # nested tables: Word allows a handful; a hostile file must not recurse deeply
MAX_GRID_CELLS = 200_000  # a grid is rows x columns; a spoofed gridSpan must not blow it up

_P, _TBL, _TR, _TC = f"{{{W}}}p", f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml"
_T, _TAB, _PTAB, _BR, _CR = f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}ptab", f"{{{W}}}br", f"{{{W}}}cr"
_NO_BREAK_HYPHEN = f"{{{W}}}noBreakHyphen"
_TYPE = f"{{{W}}}type"
_CLAUSE_END = re.compile(r"[。；;：:！!？?，,\t]")  # a title has none of these
_SYM, _FONT, _CHAR = f"{{{W}}}sym", f"{{{W}}}font", f"{{{W}}}char"
# Symbol-font characters that carry meaning, by font and code (Word writes the code as F0xx, the
# font's private-use range, or as the plain byte). Everything else is an ornament: dropped.
_SYMBOLS = {
    ("wingdings", 0xFC): "√",
    ("wingdings", 0xFB): "×",
    ("wingdings", 0xFE): "☑",
    ("wingdings", 0xFD): "☒",
    ("wingdings", 0xA8): "□",
    ("wingdings 2", 0x50): "√",
    ("wingdings 2", 0x4F): "×",
    ("wingdings 2", 0x52): "☑",
    ("wingdings 2", 0x54): "☒",
    ("wingdings 2", 0xA3): "□",
    ("symbol", 0xD6): "√",
    ("symbol", 0xB4): "×",
}
_VAL = f"{{{W}}}val"


@dataclass
class Table:
    """One table of the body: its grid, and where its rows are among the lines."""

    grid: Any  # tables.Grid
    first_line: int  # 1-based; 0 when the table gave no line
    last_line: int
    row_lines: list[tuple[int, int]]  # (first, last) 1-based line of each row; (0, -1) for none


@dataclass
class Body:
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    hard_breaks: set[int] = field(default_factory=set)  # 1-based lines that never continue the one before
    page_starts: set[int] = field(default_factory=set)  # 1-based lines Word puts at the top of a new page


def read_body(document: Any) -> Body:
    """Lines, tables and cell boundaries of a python-docx Document's body."""
    from lxml import etree

    from .numbering import Numbering  # here: only a .docx needs it

    reader = _Reader(
        Numbering(_part_root(document, _RT_NUMBERING), _part_root(document, _RT_STYLES)),
        etree.XPath(_RUNS_XPATH, namespaces=_NS),
    )
    reader.blocks(document.element.body, depth=0)
    return reader.body


def _part_root(document: Any, reltype: str) -> Any | None:
    """The XML root of a related part, or None when the document has none (or it is no XML)."""
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml import parse_xml  # a part under an unexpected content type: its bytes were vetted

    try:
        return parse_xml(part.blob)
    except Exception:
        return None


def _on(el: Any | None) -> bool:
    """A toggle property (`<w:vanish/>`, `<w:vanish w:val="false"/>`) is on."""
    return el is not None and el.get(_VAL) not in ("0", "false", "off")


class _Reader:
    def __init__(self, numbering: Numbering, runs_of: Any) -> None:
        self.numbering = numbering
        self.runs_of = runs_of
        self.body = Body()
        self._carry = ""  # text of a paragraph whose mark was deleted: it joins the next one
        self._new_page = False  # the last paragraph ended a section that starts a new page
        self._page_break = False  # the paragraph just read holds a page or column break

    # --- blocks ---------------------------------------------------------------------------------

    def blocks(self, container: Any, depth: int) -> list[str]:
        """Read the block content of `container` (body, cell, content control); return its lines."""
        out: list[str] = []
        for child in container.iterchildren():
            tag = child.tag
            if tag == _P:
                out.extend(self.paragraph(child))
            elif tag == _TBL:
                if depth < MAX_TABLE_DEPTH:
                    out.extend(self.table(child, depth + 1))
            elif tag == _SDT:
                for content in child.iterchildren(_SDT_CONTENT):
                    out.extend(self.blocks(content, depth))
            elif tag == _CUSTOM_XML:
                out.extend(self.blocks(child, depth))
        return out

    def _emit(self, text: str) -> int:
        self.body.lines.append(text)
        return len(self.body.lines)

    def paragraph(self, p: Any) -> list[str]:
        p_pr = p.find(f"{{{W}}}pPr")
        segments = self._segments(p)
        text = "".join(segments)
        if _paragraph_mark_deleted(p_pr):
            # A deleted paragraph mark joins this paragraph to the next (nothing shows if it is empty).
            self._carry += text
            return []
        if self._carry:
            segments[0] = self._carry + segments[0]
            self._carry = ""
            text = "".join(segments)
        if len(segments) > 1 and not self._page_break and _title_over_lines(segments):
            segments = [text]  # one title Word sets over lines (GB/T 9704's 梯形), one line here
        empty = not text.strip()
        label = self.numbering.label(p_pr, empty=empty)
        if empty:
            lines = [""]
        else:
            lines = segments
            lines[0] = label + lines[0]
        first = len(self.body.lines) + 1
        for line in lines:
            self._emit(line)
        if self._new_page or self.numbering.page_break_before(p_pr):
            # Compilations start each report on a new page (分页符, 段前分页, 分节符): the title
            # that opens a page follows a boundary even without a blank line above it.
            self.body.page_starts.add(first)
        self._new_page = _ends_page_section(p_pr)
        return lines

    def _segments(self, p: Any) -> list[str]:
        """The paragraph's visible text, split where a line break ends a line."""
        segments: list[str] = []
        parts: list[str] = []
        page_break = False
        for run in self.runs_of(p):
            r_pr = run.find(f"{{{W}}}rPr")
            if r_pr is not None and _on(r_pr.find(f"{{{W}}}vanish")):
                continue
            for el in run.iterchildren():
                tag = el.tag
                if tag == _T:
                    parts.append(el.text or "")
                elif tag in (_TAB, _PTAB):
                    parts.append("\t")
                elif tag in (_BR, _CR):
                    # Word ends the line at every break: a text-wrapping one (手动换行), a page or
                    # a column break; the text after it starts a new line. A page or column break
                    # is marked, so that a title is never joined across one.
                    segments.append("".join(parts))
                    parts = []
                    page_break = page_break or el.get(_TYPE) in ("page", "column")
                elif tag == _NO_BREAK_HYPHEN:
                    parts.append("-")
                elif tag == _SYM:
                    parts.append(_symbol(el))
        segments.append("".join(parts))
        self._page_break = page_break
        out = []
        for segment in segments:
            if "\n" in segment or "\r" in segment:  # newlines inside w:t would split the line
                segment = segment.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
            out.append(segment)
        return out

    # --- tables ---------------------------------------------------------------------------------

    def table(self, tbl: Any, depth: int) -> list[str]:
        from .tables import Grid

        columns = len(tbl.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol"))
        rows: list[list[str]] = []
        row_firsts: list[int] = []
        row_lines: list[tuple[int, int]] = []
        all_lines: list[str] = []
        first_of_table = len(self.body.lines) + 1
        for tr in _children(tbl, _TR):
            row: list[str] = []
            row_first = 0
            start = len(self.body.lines) + 1
            tr_pr = tr.find(f"{{{W}}}trPr")
            col = _int_val(tr_pr, "gridBefore", 0)
            row.extend([""] * col)
            above = rows[-1] if rows else []
            for tc in _children(tr, _TC):
                tc_pr = tc.find(f"{{{W}}}tcPr")
                span = max(1, min(_int_val(tc_pr, "gridSpan", 1), 64))
                v_merge = tc_pr.find(f"{{{W}}}vMerge") if tc_pr is not None else None
                h_merge = tc_pr.find(f"{{{W}}}hMerge") if tc_pr is not None else None
                continues_above = v_merge is not None and v_merge.get(_VAL) in (None, "continue")
                continues_left = h_merge is not None and h_merge.get(_VAL) in (None, "continue")
                if continues_above:
                    # Word shows the merged cell's text once; the grid repeats it in each row.
                    text = above[col] if col < len(above) else ""
                    self._skip_cell(tc, depth)
                elif continues_left and row:
                    text = row[-1]
                    self._skip_cell(tc, depth)
                else:
                    before = len(self.body.lines)
                    lines = self._cell(tc, depth)
                    text = "\n".join(lines)
                    if lines:
                        self.body.hard_breaks.add(before + 1)
                        if not row_first:
                            row_first = next(
                                (before + 1 + i for i, line in enumerate(lines) if line.strip()), 0
                            )
                    all_lines.extend(lines)
                row.extend([text] * span)
                col += span
            end = len(self.body.lines)
            row_lines.append((start, end) if end >= start else (0, -1))
            if columns and len(row) < columns:
                row.extend([""] * (columns - len(row)))
            rows.append(row)
            row_firsts.append(row_first)
            if sum(len(r) for r in rows) > MAX_GRID_CELLS:
                break
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend([""] * (width - len(row)))
        last = len(self.body.lines)
        self.body.tables.append(
            Table(
                Grid(rows=rows, lines=row_firsts),
                first_of_table if last >= first_of_table else 0,
                last,
                row_lines,
            )
        )
        # The paragraph after a table starts afresh (its text is no continuation of a cell).
        self.body.hard_breaks.add(last + 1)
        return all_lines

    def _cell(self, tc: Any, depth: int) -> list[str]:
        """A cell's lines; a cell with no text at all gives none (it is not a blank line)."""
        marks = len(self.body.lines), len(self.body.tables)
        lines = self.blocks(tc, depth)
        if not any(line.strip() for line in lines):
            self._rollback(*marks)
            return []
        return lines

    def _skip_cell(self, tc: Any, depth: int) -> None:
        """A merged-away cell shows nothing, but its numbered paragraphs still count in Word."""
        marks = len(self.body.lines), len(self.body.tables)
        self.blocks(tc, depth)
        self._rollback(*marks)

    def _rollback(self, lines: int, tables: int) -> None:
        del self.body.lines[lines:]
        del self.body.tables[tables:]
        self.body.hard_breaks = {n for n in self.body.hard_breaks if n <= lines}


def _children(parent: Any, tag: str) -> list[Any]:
    """Rows of a table or cells of a row, also those wrapped in content controls or custom XML."""
    out: list[Any] = []
    for child in parent.iterchildren():
        if child.tag == tag:
            out.append(child)
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                out.extend(_children(content, tag))
        elif child.tag == _CUSTOM_XML:
            out.extend(_children(child, tag))
    return out


def _int_val(parent: Any | None, name: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(f"{{{W}}}{name}")
    if el is None:
        return default
    try:
        return int(el.get(_VAL, default))
    except (TypeError, ValueError):
        return default


def _title_over_lines(segments: list[str]) -> bool:
    """A title Word sets over several lines with text-wrapping breaks (GB/T 9704 shapes a long
    title as a trapezoid or a diamond): pieces that are no heading and end no clause, which read
    together as one title. A heading and its body, or a paragraph broken mid-sentence, are not."""
    from .enumerators import match_enumerator
    from .titles import looks_like_title

    pieces = [segment.strip() for segment in segments]
    if not all(pieces) or any(_CLAUSE_END.search(piece) or match_enumerator(piece) for piece in pieces):
        return False
    return looks_like_title("".join(pieces))


def _paragraph_mark_deleted(p_pr: Any | None) -> bool:
    if p_pr is None:
        return False
    r_pr = p_pr.find(f"{{{W}}}rPr")
    if r_pr is None:
        return False
    return r_pr.find(f"{{{W}}}del") is not None or r_pr.find(f"{{{W}}}moveFrom") is not None


def _ends_page_section(p_pr: Any | None) -> bool:
    """The paragraph carries a section break that starts the next section on a new page."""
    sect = p_pr.find(f"{{{W}}}sectPr") if p_pr is not None else None
    if sect is None:
        return False
    kind = sect.find(f"{{{W}}}type")
    return kind is None or kind.get(_VAL) in (None, "nextPage", "oddPage", "evenPage")


def _symbol(sym: Any) -> str:
    """The text of a `w:sym`: a meaningful mark as typed, an ornament (bullet, arrow) as nothing."""
    font = (sym.get(_FONT) or "").strip().lower()
    try:
        code = int(sym.get(_CHAR) or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    return _SYMBOLS.get((font, code), "")
