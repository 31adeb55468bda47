"""GB/T 9704-2012 (党政机关公文格式) as ONE layout definition, applied to a python-docx document.

Every generated .docx (bulletins, drafts, and later notices and the 汇编) starts from
``new_document(layout)``: the facts of ``../shared/spec/GBT9704.md`` are the defaults of ``Layout``
and every measure a document needs (margins, line pitch, the character grid, fonts per level, where
the page number and the sign-off go) is asked of it, never written as a constant elsewhere.

Pure python-docx, no Django: plain values in, a document out (the ``reports`` engine's manner).

Units: the standard speaks millimetres and 号 sizes; OOXML wants twips (1/20 pt) for lengths,
half-points for font sizes and 1/4096 pt for the grid's character spacing. The conversions live here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.styles.style import ParagraphStyle

MM = 1440 / 25.4  # twips per millimetre

# Chinese type sizes (号) in points.
SIZES = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
}

# Paragraph styles every generated document has (by name; headings keep Word's built-in names so
# that outline levels, the navigation pane and a table of contents work).
STYLE_BODY = "Normal"
STYLE_TITLE = "公文标题"
STYLE_HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}
STYLE_ADDRESSEE = "主送机关"
STYLE_MASTHEAD = "发文机关标志"
STYLE_NUMBER = "发文字号"
STYLE_SIGNATURE = "发文机关署名"
STYLE_DATE = "成文日期"
STYLE_TABLE_HEAD = "表头"
STYLE_TABLE_BODY = "表格文字"
STYLE_PAGE_NUMBER = "Footer"

PAGE_NUMBER_DASH = "—"  # 一字线 on each side of the number: — 1 —


@dataclass(frozen=True)
class Face:
    """A font at a size: the East-Asian font named in the document and the ones to use where it is
    missing (the .docx's font table names the first as its substitute; print CSS lists them all)."""

    font: str
    fallbacks: tuple[str, ...]
    size: float  # points

    @property
    def half_points(self) -> int:
        return round(self.size * 2)

    @property
    def css(self) -> str:
        return ", ".join(f'"{name}"' for name in (self.font, *self.fallbacks))


_SONG = ("宋体", ("SimSun", "Songti SC", "STSong"))
_FANGSONG = ("仿宋_GB2312", ("仿宋", "FangSong", "STFangsong"))
_HEI = ("黑体", ("SimHei", "Heiti SC", "STHeiti"))
_KAI = ("楷体_GB2312", ("楷体", "KaiTi", "STKaiti"))
_XIAOBIAOSONG = ("方正小标宋简体", ("华文中宋", "STZhongsong", "宋体"))


def _face(font: tuple[str, tuple[str, ...]], size: str) -> Face:
    return Face(font[0], font[1], SIZES[size])


@dataclass(frozen=True)
class Layout:
    """The layout of a generated document; the defaults are GB/T 9704's (see the module doc)."""

    page_width_mm: float = 210
    page_height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    lines: int = 22
    chars: int = 28
    latin: str = "Times New Roman"  # Latin letters and digits in every run
    title: Face = field(default_factory=lambda: _face(_XIAOBIAOSONG, "二号"))
    body: Face = field(default_factory=lambda: _face(_FANGSONG, "三号"))
    heading1: Face = field(default_factory=lambda: _face(_HEI, "三号"))
    heading2: Face = field(default_factory=lambda: _face(_KAI, "三号"))
    heading3: Face = field(default_factory=lambda: _face(_FANGSONG, "三号"))
    heading4: Face = field(default_factory=lambda: _face(_FANGSONG, "三号"))
    masthead: Face = field(default_factory=lambda: _face(_XIAOBIAOSONG, "小初"))
    page_number: Face = field(default_factory=lambda: _face(_SONG, "四号"))
    # Tables are not in the standard: the offices' habit, 黑体 headers over 仿宋 cells, a size
    # smaller so that a table of a dozen columns fits the 156 mm text block.
    table_head: Face = field(default_factory=lambda: _face(_HEI, "小四"))
    table_body: Face = field(default_factory=lambda: _face(_FANGSONG, "小四"))
    indent_chars: int = 2  # first-line indent of body text and headings
    page_number_gap_mm: float = 7  # from the text block's lower edge to the page number
    page_number_inset_chars: int = 1  # odd pages: one character in from the right; even: from the left
    signature_right_chars: float = 2  # 发文机关署名 右空二字
    date_shift_chars: float = 2  # 成文日期 首字比署名首字右移二字
    red: str = "FF0000"  # 版头: 发文机关标志 and the separator line

    # --- lengths in twips ------------------------------------------------------------------------

    @property
    def page_width(self) -> int:
        return round(self.page_width_mm * MM)

    @property
    def page_height(self) -> int:
        return round(self.page_height_mm * MM)

    @property
    def top(self) -> int:
        return round(self.top_mm * MM)

    @property
    def bottom(self) -> int:
        return round(self.bottom_mm * MM)

    @property
    def left(self) -> int:
        return round(self.left_mm * MM)

    @property
    def right(self) -> int:
        return round(self.right_mm * MM)

    @property
    def text_width(self) -> int:
        return self.page_width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.page_height - self.top - self.bottom

    @property
    def line_pitch(self) -> int:
        """Twips per line, rounded down so that ``lines`` lines fit the text block (579 ≈ 28.95 pt)."""
        return self.text_height // self.lines

    @property
    def char_space(self) -> int:
        """The grid's ``w:charSpace``: 1/4096 pt added to the body size per character, rounded down
        so that ``chars`` characters fit a line (-842 for 28 characters of 3号)."""
        pitch_pt = self.text_width / 20 / self.chars
        return math.floor((pitch_pt - self.body.size) * 4096)

    @property
    def char_width(self) -> int:
        """One grid character in twips (what ``w:*Chars`` indents count in)."""
        return round(self.body.size * 20 + self.char_space * 20 / 4096)

    @property
    def page_number_line(self) -> int:
        """The page number's line height (exact), twips."""
        return round(self.page_number.size * 20)

    @property
    def footer_distance(self) -> int:
        """From the page's lower edge to the page number's line, so that its top is
        ``page_number_gap_mm`` below the text block."""
        return self.bottom - round(self.page_number_gap_mm * MM) - self.page_number_line

    @property
    def title_chars(self) -> int:
        """How many title characters fit a line."""
        return self.text_width // round(self.title.size * 20)

    def heading(self, level: int) -> Face:
        return {1: self.heading1, 2: self.heading2, 3: self.heading3}.get(level, self.heading4)


GBT9704 = Layout()


# --- text measures and forms ---------------------------------------------------------------------


def width(text: str) -> float:
    """A text's width in characters of its size: half-width (ASCII) characters count a half."""
    return sum(0.5 if c.isascii() else 1 for c in text)


def signoff_indents(issuer: str, date_text: str, layout: Layout = GBT9704) -> tuple[float, float]:
    """Right indents in characters of the 发文机关署名 and the 成文日期 (GB/T 9704 §7.3.5.2, a
    document without a seal): the signature right-indented two characters, the date on the line
    below with its first character two characters right of the signature's; a date longer than
    that allows is itself right-indented two characters and the signature moves left to match."""
    signature = layout.signature_right_chars
    date = signature + width(issuer) - layout.date_shift_chars - width(date_text)
    if date < layout.signature_right_chars:
        signature += layout.signature_right_chars - date
        date = layout.signature_right_chars
    return signature, date


# Good places to break a long title: after these (关于… / …的 / …和 / a unit's name / a year), or
# before these.
_BREAK_AFTER: tuple[str, ...] = ("关于", "的", "和", "与", "及", "年", "年度", "月", "”", "》", "）", "、")
_BREAK_AFTER += ("政府", "局", "委", "办", "室", "县", "市", "区", "镇", "乡", "街道", "中心")
_BREAK_BEFORE = ("关于", "情况", "通报", "意见", "通知", "报告", "总结", "方案", "（", "《", "“")
_NO_LINE_START = "，。、；：！？”’）》〕】…%"
_NO_LINE_END = "“‘（《〔【"


_NO_BREAK = ("年度", "月份", "工作", "情况", "关于")
_COUNTED = "年月日号期项个%万亿元"  # a number keeps its unit: 2026年, 11号


def _may_break(text: str, i: int) -> bool:
    """Whether a line may end before ``text[i]``: never inside a run of Latin letters or digits
    (2026, 11, GDP) or a few words titles always hold (年度, 工作 …), never before closing or
    after opening punctuation."""
    before, after = text[i - 1], text[i]
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False
    if before + after in _NO_BREAK or (before.isdigit() and after in _COUNTED):
        return False
    return after not in _NO_LINE_START and before not in _NO_LINE_END


def _break_bonus(text: str, i: int) -> float:
    head, tail = text[:i], text[i:]
    return 3.0 if head.endswith(_BREAK_AFTER) or tail.startswith(_BREAK_BEFORE) else 0.0


def title_lines(text: str, chars: int) -> list[str]:
    """A title in lines of at most ``chars`` characters, shaped as the standard asks: a trapezoid
    (each line no longer than the next) for two lines, a diamond (middle longest) for three —
    breaking at a word's edge where one is near (after 关于 / 的, before 情况 / 通报 …), never
    inside a number or a Latin word."""
    text = text.strip()
    if width(text) <= chars or len(text) < 2:
        return [text]
    cuts = [i for i in range(1, len(text)) if _may_break(text, i)]

    def fits(part: str) -> bool:
        return width(part) <= chars

    best: tuple[float, list[str]] | None = None
    for i in cuts:  # two lines
        lines = [text[:i], text[i:]]
        if all(map(fits, lines)):
            a, b = (width(x) for x in lines)
            cost = abs(b - a - 2) / 2 + (8 if a > b else 0) - _break_bonus(text, i)
            if best is None or cost < best[0]:
                best = (cost, lines)
    if best is None:  # three lines, a diamond
        for x, i in enumerate(cuts):
            for j in cuts[x + 1 :]:
                lines = [text[:i], text[i:j], text[j:]]
                if all(map(fits, lines)):
                    a, b, c = (width(part) for part in lines)
                    cost = (abs(a - c) + chars - b) / 2 + (8 if b < max(a, c) else 0)
                    cost -= _break_bonus(text, i) + _break_bonus(text, j)
                    if best is None or cost < best[0]:
                        best = (cost, lines)
    if best is None:  # longer than three lines: fill lines in turn
        out: list[str] = []
        line = ""
        for char in text:
            if width(line + char) > chars:
                out.append(line)
                line = ""
            line += char
        return [*out, line]
    return best[1]


# --- the document --------------------------------------------------------------------------------


def new_document(layout: Layout = GBT9704, *, title: str = "", author: str = "") -> DocxDocument:
    """An empty document laid out by ``layout``: page, margins, grid, every style, the font table
    with substitutes, and the page numbers (— 1 —, odd pages right, even pages left)."""
    import docx

    document = docx.Document()
    _drop_thumbnail(document)
    _set_page(document.sections[0], layout)
    _set_styles(document, layout)
    _set_font_table(document, layout)
    _set_page_numbers(document, layout)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    return document


def _drop_thumbnail(document: DocxDocument) -> None:
    """python-docx's template carries a picture of some other page as its thumbnail."""
    rels = document.part.package.rels
    for key, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[key]


def _set_page(section: Section, layout: Layout) -> None:
    section.page_width = Twips(layout.page_width)
    section.page_height = Twips(layout.page_height)
    section.top_margin = Twips(layout.top)
    section.bottom_margin = Twips(layout.bottom)
    section.left_margin = Twips(layout.left)
    section.right_margin = Twips(layout.right)
    section.gutter = Twips(0)
    section.header_distance = Twips(round(layout.top / 2))
    section.footer_distance = Twips(layout.footer_distance)
    sect: Any = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.line_pitch))
    grid.set(qn("w:charSpace"), str(layout.char_space))
    sect.append(grid)


def set_fonts(rpr: Any, face: Face, latin: str, *, bold: bool = False, colour: str = "000000") -> None:
    """A style's run properties, rebuilt whole in schema order: the East-Asian font in
    ``w:eastAsia`` and Latin letters and digits in ``latin`` (no theme fonts, so nothing overrides
    them), never bold or italic unless asked, the colour, the size, Chinese as the East-Asian language."""
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", face.font), ("cs", latin)):
        fonts.set(qn(f"w:{attr}"), value)
    rpr.append(fonts)
    _flag(rpr, "w:b", "1" if bold else "0")
    _flag(rpr, "w:i", "0")
    _flag(rpr, "w:color", colour)
    _flag(rpr, "w:sz", str(face.half_points))
    _flag(rpr, "w:szCs", str(face.half_points))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _clear(element: Any, tag: str) -> Any:
    """Replace ``element``'s ``tag`` child by an empty one (a style's pPr or rPr, rebuilt whole)."""
    for old in element.findall(qn(tag)):
        element.remove(old)
    fresh = OxmlElement(tag)
    element.append(fresh)
    return fresh


def _spacing(ppr: Any, *, line: int | None, before: int = 0, after: int = 0) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    if line is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)


def set_indent(
    ppr: Any, layout: Layout, *, first_chars: float = 0, left_chars: float = 0, right_chars: float = 0
) -> None:
    """Indents in grid characters (``w:*Chars``, hundredths), with the same in twips for readers
    that ignore the character forms."""
    for old in ppr.findall(qn("w:ind")):
        ppr.remove(old)
    ind = OxmlElement("w:ind")
    for name, chars in (("firstLine", first_chars), ("left", left_chars), ("right", right_chars)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * layout.char_width)))
    if first_chars == 0:
        ind.set(qn("w:firstLine"), "0")
        ind.set(qn("w:firstLineChars"), "0")
    ppr.append(ind)


def _jc(ppr: Any, value: str) -> None:
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), value)
    ppr.append(jc)


def _flag(parent: Any, tag: str, value: str | None = None) -> None:
    element = OxmlElement(tag)
    if value is not None:
        element.set(qn("w:val"), value)
    parent.append(element)


def _paragraph_style(document: DocxDocument, name: str) -> ParagraphStyle:
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    style: ParagraphStyle
    if name in [s.name for s in styles]:
        style = styles[name]
        return style
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[STYLE_BODY]
    style.quick_style = True
    return style


def _define(
    document: DocxDocument,
    name: str,
    layout: Layout,
    face: Face,
    *,
    align: str = "both",
    first_chars: float = 0,
    line: int | None = None,
    outline: int | None = None,
    keep_next: bool = False,
    grid: bool = True,
    colour: str = "",
) -> None:
    """(Re)define a paragraph style whole: its paragraph and run properties replace the template's."""
    style = _paragraph_style(document, name)
    element = style.element
    ppr = _clear(element, "w:pPr")
    if keep_next:
        _flag(ppr, "w:keepNext")
    _flag(ppr, "w:widowControl", "0")
    if not grid:
        _flag(ppr, "w:snapToGrid", "0")
    _spacing(ppr, line=line)
    set_indent(ppr, layout, first_chars=first_chars)
    _jc(ppr, align)
    if outline is not None:
        _flag(ppr, "w:outlineLvl", str(outline))
    rpr = _clear(element, "w:rPr")
    set_fonts(rpr, face, layout.latin, colour=colour or "000000")
    # ``w:pPr`` and ``w:rPr`` come after name / basedOn / qFormat in a style (schema order).
    element.remove(ppr)
    element.remove(rpr)
    element.append(ppr)
    element.append(rpr)


def _set_styles(document: DocxDocument, layout: Layout) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    body = layout.body
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{layout.latin}" w:hAnsi="{layout.latin}" '
            f'w:eastAsia="{body.font}" w:cs="{layout.latin}"/>'
            f'<w:kern w:val="2"/><w:sz w:val="{body.half_points}"/><w:szCs w:val="{body.half_points}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            f'<w:spacing w:before="0" w:after="0" w:line="{layout.line_pitch}" w:lineRule="exact"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    pitch = layout.line_pitch
    indent = layout.indent_chars
    _define(document, STYLE_BODY, layout, body, first_chars=indent, line=pitch)
    _define(document, STYLE_TITLE, layout, layout.title, align="center", line=pitch, keep_next=True)
    for level, name in STYLE_HEADINGS.items():
        face = layout.heading(level)
        _define(
            document, name, layout, face, first_chars=indent, line=pitch, outline=level - 1, keep_next=True
        )
    _define(document, STYLE_ADDRESSEE, layout, body, line=pitch)
    _define(document, STYLE_SIGNATURE, layout, body, align="right", line=pitch, keep_next=True)
    _define(document, STYLE_DATE, layout, body, align="right", line=pitch)
    _define(document, STYLE_MASTHEAD, layout, layout.masthead, align="center", grid=False, colour=layout.red)
    _define(document, STYLE_NUMBER, layout, body, align="center", line=pitch)
    _define(document, STYLE_TABLE_HEAD, layout, layout.table_head, align="center", grid=False)
    _define(document, STYLE_TABLE_BODY, layout, layout.table_body, align="left", grid=False)
    _define(
        document,
        STYLE_PAGE_NUMBER,
        layout,
        layout.page_number,
        align="right",
        line=layout.page_number_line,
        grid=False,
    )
    # The page number's digits are 宋体 too (半角宋体阿拉伯数码), not the Latin font.
    footer_rpr = document.styles[STYLE_PAGE_NUMBER].element.find(qn("w:rPr"))
    fonts = footer_rpr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attr}"), layout.page_number.font)


def faces(layout: Layout) -> list[Face]:
    return [
        layout.title,
        layout.body,
        layout.heading1,
        layout.heading2,
        layout.heading3,
        layout.heading4,
        layout.masthead,
        layout.page_number,
        layout.table_head,
        layout.table_body,
    ]


def _set_font_table(document: DocxDocument, layout: Layout) -> None:
    """The font table names each font used, with its first substitute as ``w:altName``: Word and
    WPS use it where the font (方正小标宋简体, 仿宋_GB2312 …) is not installed."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    seen: dict[str, Face] = {}
    for face in faces(layout):
        seen.setdefault(face.font, face)
    entries = [
        f'<w:font w:name="{name}"><w:altName w:val="{face.fallbacks[0]}"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, face in seen.items()
        if face.fallbacks
    ]
    entries.append(
        f'<w:font w:name="{layout.latin}"><w:charset w:val="00"/><w:family w:val="roman"/>'
        '<w:pitch w:val="variable"/></w:font>'
    )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:fonts {nsdecls('w')}>{''.join(entries)}</w:fonts>"
    )
    part._blob = xml.encode("utf-8")  # a plain part: python-docx keeps its bytes as they are


def _page_number_paragraph(document: DocxDocument, paragraph: Any, layout: Layout, *, odd: bool) -> None:
    """``— PAGE —`` with the PAGE field, one character in from the outer edge."""
    paragraph.style = document.styles[STYLE_PAGE_NUMBER]
    ppr = paragraph._p.get_or_add_pPr()
    inset = layout.page_number_inset_chars * round(layout.page_number.size * 20)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:right" if odd else "w:left"), str(inset))
    ppr.append(ind)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT  # after w:ind
    paragraph.add_run(f"{PAGE_NUMBER_DASH} ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(f" {PAGE_NUMBER_DASH}")


def _set_page_numbers(document: DocxDocument, layout: Layout) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        _page_number_paragraph(document, footer.paragraphs[0], layout, odd=odd)
