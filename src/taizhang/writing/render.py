"""A ``document.Document`` out as a .docx laid out by a ``layout.Layout``, or as Markdown.

Each block takes its look from one style of the layout (``layout.STYLE_*``); only what depends on
the text itself is set on the paragraph: the title's line breaks, the sign-off's indents, a table's
column widths.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips

from taizhang.core.dates import chinese_date
from taizhang.writing import layout as gb
from taizhang.writing.document import (
    Addressee,
    Document,
    Heading,
    Masthead,
    Paragraph,
    Signoff,
    Table,
    Title,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_docx(document: Document, layout: gb.Layout = gb.GBT9704) -> bytes:
    out = io.BytesIO()
    build_docx(document, layout).save(out)
    return out.getvalue()


def build_docx(document: Document, layout: gb.Layout = gb.GBT9704) -> DocxDocument:
    docx = gb.new_document(layout, title=document.title, author=document.author)

    def paragraph(style: str, text: str = "") -> Any:
        p = docx.add_paragraph()
        p.style = docx.styles[style]
        if text:
            p.add_run(text)
        return p

    previous: object = None
    for block in document.blocks:
        if isinstance(block, Masthead):
            _masthead(docx, paragraph, block, layout)
        elif isinstance(block, Title):
            if previous is not None and not isinstance(previous, Masthead):
                paragraph(gb.STYLE_BODY)
            p = paragraph(gb.STYLE_TITLE)
            _lines(p, gb.title_lines(block.text, layout.title_chars))
            paragraph(gb.STYLE_BODY)  # 标题下空一行
        elif isinstance(block, Addressee):
            paragraph(gb.STYLE_ADDRESSEE, block.text)
        elif isinstance(block, Heading):
            paragraph(gb.STYLE_HEADINGS[min(max(block.level, 1), 4)], block.text)
        elif isinstance(block, Paragraph):
            paragraph(gb.STYLE_BODY, block.text)
        elif isinstance(block, Table):
            _table(docx, block, layout)
        elif isinstance(block, Signoff):
            paragraph(gb.STYLE_BODY)  # 正文下空一行
            date_text = chinese_date(block.date)
            signature, date = gb.signoff_indents(block.issuer, date_text, layout)
            p = paragraph(gb.STYLE_SIGNATURE, block.issuer)
            gb.set_indent(p._p.get_or_add_pPr(), layout, right_chars=signature)
            p = paragraph(gb.STYLE_DATE, date_text)
            gb.set_indent(p._p.get_or_add_pPr(), layout, right_chars=date)
        previous = block
    return docx


def _lines(paragraph: Any, lines: list[str]) -> None:
    """Lines of one paragraph, joined by line breaks (the paragraph stays one)."""
    for i, line in enumerate(lines):
        run = paragraph.add_run()
        if i:
            run.add_break(WD_BREAK.LINE)
        run.add_text(line)


def _masthead(docx: DocxDocument, paragraph: Any, block: Masthead, layout: gb.Layout) -> None:
    """发文机关标志 in red, as large as its size allows on one line; the 发文字号 centred below it;
    then the red separator line across the text block."""
    mark = paragraph(gb.STYLE_MASTHEAD, block.issuer)
    fits = layout.text_width / 20 / max(gb.width(block.issuer), 1)
    if fits < layout.masthead.size:
        for run in mark.runs:
            run.font.size = Pt(int(fits * 2) / 2)
    paragraph(gb.STYLE_BODY)
    number = paragraph(gb.STYLE_NUMBER, block.number)
    ppr = number._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", "12"), ("space", "8"), ("color", layout.red)):
        bottom.set(qn(f"w:{attr}"), value)
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


def _table(docx: DocxDocument, block: Table, layout: gb.Layout) -> None:
    """A table as wide as the text block, its header row repeated on each page. The rows are
    written as XML in one go: python-docx's cell access re-reads the whole table for every row,
    which made a bulletin of a few thousand lagging tasks take minutes."""
    columns = len(block.header)
    weights = list(block.widths) if len(block.widths) == columns else [1.0] * columns
    total = sum(weights)
    widths = [round(layout.text_width * w / total) for w in weights]
    table = docx.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, sum(widths))
    for i, w in enumerate(widths):
        table.columns[i].width = Twips(w)
    head_style = docx.styles[gb.STYLE_TABLE_HEAD].style_id
    body_style = docx.styles[gb.STYLE_TABLE_BODY].style_id
    rows = [_row(block.header, widths, head_style, set(range(columns)), header=True)]
    centred = set(block.centred)
    rows += [_row(row, widths, body_style, centred) for row in block.rows]
    body = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for tr in list(body):
        table._tbl.append(tr)
    docx.add_paragraph().style = docx.styles[gb.STYLE_BODY]  # a table is never last: Word needs a paragraph


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def _runs(text: str) -> str:
    """A cell's text as runs, its lines joined by line breaks."""
    out = []
    for i, line in enumerate(_CONTROL.sub("", text).split("\n")):
        br = "<w:br/>" if i else ""
        out.append(f'<w:r>{br}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(out)


def _row(
    cells: tuple[str, ...], widths: list[int], style: str, centred: set[int], *, header: bool = False
) -> str:
    head = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    out = [f"<w:tr>{head}"]
    for i, width in enumerate(widths):
        text = cells[i] if i < len(cells) else ""
        jc = '<w:jc w:val="center"/>' if i in centred else ""
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{escape(style)}"/>{jc}</w:pPr>{_runs(text)}</w:p></w:tc>'
        )
    out.append("</w:tr>")
    return "".join(out)


def _borders(table: Any, total: int) -> None:
    """Single black lines around and between the cells; the table as wide as the text block."""
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(total))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{attr}"), value)
        borders.append(line)
    tblpr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


# --- Markdown ---------------------------------------------------------------------------------------


def to_markdown(document: Document) -> str:
    """The same blocks as plain Markdown: headings as their own lines (一、… （一）…) so that the
    document engine reads the text exactly as it reads the .docx."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Masthead):
            out += [block.issuer, ""] + ([block.number, ""] if block.number else [])
        elif isinstance(block, Title):
            out += [block.text, ""]  # no "# ": the document engine reads a title as a plain line
        elif isinstance(block, Addressee | Heading | Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out += [_md_row(block.header), _md_row(tuple("---" for _ in block.header))]
            out += [_md_row(row) for row in block.rows]
            out.append("")
        elif isinstance(block, Signoff):
            out += [block.issuer, "", chinese_date(block.date), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(c.replace("|", "｜").replace("\n", "<br>") for c in cells) + " |"
