"""Every fact of GB/T 9704 (../shared/spec/GBT9704.md), read back from a generated .docx's XML.

The expected numbers are worked out by hand from the standard's millimetres and 号 sizes (1 mm =
1440 / 25.4 twips; sizes in half-points), not read from the layout module.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from taizhang.core.dates import chinese_date
from taizhang.writing import layout as gb
from taizhang.writing.document import (
    Addressee,
    Document,
    Heading,
    Masthead,
    Outline,
    Paragraph,
    Signoff,
    Table,
    Title,
)
from taizhang.writing.render import to_docx

pytestmark = pytest.mark.nodb

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
STATIC = Path(gb.__file__).parent / "static" / "writing" / "gbt9704.css"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


SAMPLE = Document(
    title="样稿",
    blocks=(
        Masthead("测试县人民政府督查室", "督查通报〔2026〕11号"),
        Title("关于测试县2026年重点工作计划11月份推进情况的通报"),
        Addressee("各责任单位："),
        Heading(1, "一、总体情况"),
        Paragraph("截至2026年11月30日，全县48项重点任务中已完成12项。"),
        Heading(2, "（一）交通建设"),
        Heading(3, "1.县道改造"),
        Heading(4, "（1）路基工程"),
        Table(("单位", "任务数"), (("县交通运输局", "3"),), widths=(3, 1), centred=(1,)),
        Signoff("测试县人民政府督查室", dt.date(2026, 12, 5)),
    ),
)


@pytest.fixture(scope="module")
def parts() -> dict[str, etree._Element]:
    data = to_docx(SAMPLE)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist() if name.endswith(".xml")}


@pytest.fixture(scope="module")
def document() -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(SAMPLE)))


def style(parts: dict[str, etree._Element], name: str) -> etree._Element:
    found = parts["word/styles.xml"].xpath("//w:style[w:name/@w:val=$n]", namespaces=NS, n=name)
    assert found, name
    return found[0]


def attr(element: etree._Element, path: str, name: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(w(name))


# --- page -----------------------------------------------------------------------------------------


def test_a4_paper(parts: dict[str, etree._Element]) -> None:
    size = parts["word/document.xml"].find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # 210 × 297 mm


def test_margins_37_35_28_26_mm(parts: dict[str, etree._Element]) -> None:
    margins = parts["word/document.xml"].find(".//w:sectPr/w:pgMar", NS)
    got = {side: int(margins.get(w(side))) for side in ("top", "bottom", "left", "right")}
    # 37 mm = 2097.6, 35 mm = 1984.3, 28 mm = 1587.4, 26 mm = 1474.0 twips
    assert got == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
    # so the text block is 156 × 225 mm
    assert abs((11906 - got["left"] - got["right"]) - 156 * 1440 / 25.4) <= 1
    assert abs((16838 - got["top"] - got["bottom"]) - 225 * 1440 / 25.4) <= 1


def test_grid_22_lines_of_28_characters(parts: dict[str, etree._Element]) -> None:
    grid = parts["word/document.xml"].find(".//w:sectPr/w:docGrid", NS)
    assert grid.get(w("type")) == "linesAndChars"
    pitch = int(grid.get(w("linePitch")))
    text_height = 16838 - 2098 - 1984
    assert 22 * pitch <= text_height < 23 * pitch
    assert pitch == 579  # ≈ 28.95 pt
    # the character pitch is the body size (3号, 16 pt) plus charSpace / 4096 pt
    char_pt = 16 + int(grid.get(w("charSpace"))) / 4096
    text_width_pt = (11906 - 1587 - 1474) / 20
    assert 28 * char_pt <= text_width_pt < 29 * char_pt


def test_body_lines_are_exactly_the_grid_pitch(parts: dict[str, etree._Element]) -> None:
    normal = style(parts, "Normal")
    assert attr(normal, "w:pPr/w:spacing", "line") == "579"
    assert attr(normal, "w:pPr/w:spacing", "lineRule") == "exact"


# --- fonts per level ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "east_asia", "half_points"),
    [
        ("Normal", "仿宋_GB2312", "32"),  # body: 3号仿宋
        ("公文标题", "方正小标宋简体", "44"),  # title: 2号小标宋
        ("heading 1", "黑体", "32"),  # 一、 3号黑体
        ("heading 2", "楷体_GB2312", "32"),  # （一） 3号楷体
        ("heading 3", "仿宋_GB2312", "32"),  # 1. 3号仿宋
        ("heading 4", "仿宋_GB2312", "32"),  # （1） 3号仿宋
        ("表头", "黑体", "24"),
        ("表格文字", "仿宋_GB2312", "24"),
    ],
)
def test_fonts_and_sizes_per_level(
    parts: dict[str, etree._Element], name: str, east_asia: str, half_points: str
) -> None:
    rpr = style(parts, name).find("w:rPr", NS)
    assert attr(rpr, "w:rFonts", "eastAsia") == east_asia
    # Latin letters and digits in Times New Roman; no theme font overriding either
    assert attr(rpr, "w:rFonts", "ascii") == "Times New Roman"
    assert attr(rpr, "w:rFonts", "hAnsi") == "Times New Roman"
    assert not [k for k in rpr.find("w:rFonts", NS).attrib if "Theme" in k]
    assert attr(rpr, "w:sz", "val") == half_points
    assert attr(rpr, "w:b", "val") == "0"


def test_document_defaults_name_no_theme_font(parts: dict[str, etree._Element]) -> None:
    fonts = parts["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert not [k for k in fonts.attrib if "Theme" in k]


@pytest.mark.parametrize(
    ("font", "substitute"),
    [("方正小标宋简体", "华文中宋"), ("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体")],
)
def test_missing_fonts_have_a_substitute(
    parts: dict[str, etree._Element], font: str, substitute: str
) -> None:
    table = parts["word/fontTable.xml"]
    found = table.xpath("w:font[@w:name=$n]/w:altName/@w:val", namespaces=NS, n=font)
    assert found == [substitute]


@pytest.mark.parametrize("name", ["Normal", "heading 1", "heading 2", "heading 3", "heading 4"])
def test_body_and_headings_indent_the_first_line_two_characters(
    parts: dict[str, etree._Element], name: str
) -> None:
    assert attr(style(parts, name), "w:pPr/w:ind", "firstLineChars") == "200"


def test_title_centred_without_indent(parts: dict[str, etree._Element]) -> None:
    title = style(parts, "公文标题")
    assert attr(title, "w:pPr/w:jc", "val") == "center"
    assert attr(title, "w:pPr/w:ind", "firstLineChars") == "0"


def test_headings_carry_outline_levels(parts: dict[str, etree._Element]) -> None:
    levels = [attr(style(parts, f"heading {n}"), "w:pPr/w:outlineLvl", "val") for n in (1, 2, 3, 4)]
    assert levels == ["0", "1", "2", "3"]


def test_paragraphs_use_the_styles(document: docx.document.Document) -> None:
    used = {p.text: p.style.name for p in document.paragraphs if p.text}
    assert used["一、总体情况"] == "Heading 1"
    assert used["（一）交通建设"] == "Heading 2"
    assert used["1.县道改造"] == "Heading 3"
    assert used["（1）路基工程"] == "Heading 4"
    assert used["截至2026年11月30日，全县48项重点任务中已完成12项。"] == "Normal"
    assert used["各责任单位："] == "主送机关"


# --- page numbers -------------------------------------------------------------------------------


def _footer_by_kind(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        document = etree.fromstring(z.read("word/document.xml"))
        out = {}
        for ref in document.findall(".//w:sectPr/w:footerReference", NS):
            rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            out[ref.get(w("type"))] = etree.fromstring(z.read(f"word/{targets[rid]}"))
        return out


def test_odd_and_even_pages_have_their_own_footers(parts: dict[str, etree._Element]) -> None:
    assert parts["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None
    footers = _footer_by_kind(to_docx(SAMPLE))
    assert set(footers) >= {"default", "even"}


@pytest.mark.parametrize(("kind", "align", "side"), [("default", "right", "right"), ("even", "left", "left")])
def test_page_number_dash_page_dash_outside_aligned(kind: str, align: str, side: str) -> None:
    footer = _footer_by_kind(to_docx(SAMPLE))[kind]
    paragraph = footer.find("w:p", NS)
    assert attr(paragraph, "w:pPr/w:jc", "val") == align  # odd pages right, even pages left
    assert attr(paragraph, "w:pPr/w:ind", side) == "280"  # one 4号 character in
    runs = paragraph.findall("w:r", NS)
    kinds = [
        r.find("w:fldChar", NS).get(w("fldCharType")) for r in runs if r.find("w:fldChar", NS) is not None
    ]
    assert kinds == ["begin", "separate", "end"]
    instr = "".join(t.text for t in paragraph.iter(w("instrText")))
    assert instr.strip() == "PAGE"
    shown = "".join(t.text for t in paragraph.iter(w("t")))
    assert shown == "— 1 —"  # 一字线, the cached number, 一字线


def test_page_number_is_4hao_songti(parts: dict[str, etree._Element]) -> None:
    rpr = style(parts, "footer").find("w:rPr", NS)
    assert attr(rpr, "w:sz", "val") == "28"  # 4号 = 14 pt
    fonts = rpr.find("w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "宋体" and fonts.get(w("ascii")) == "宋体"  # 半角宋体阿拉伯数码


def test_page_number_sits_7_mm_below_the_text_block(parts: dict[str, etree._Element]) -> None:
    margins = parts["word/document.xml"].find(".//w:sectPr/w:pgMar", NS)
    footer = int(margins.get(w("footer")))
    line = style(parts, "footer").find("w:pPr/w:spacing", NS)
    assert line.get(w("lineRule")) == "exact"
    top_of_number = footer + int(line.get(w("line")))  # from the page's lower edge
    assert abs((1984 - top_of_number) - 7 * 1440 / 25.4) <= 1


# --- sign-off, dates, title ----------------------------------------------------------------------


def test_dates_in_arabic_numerals_without_leading_zeros() -> None:
    assert chinese_date(dt.date(2024, 1, 8)) == "2024年1月8日"
    assert chinese_date(dt.date(2026, 12, 25)) == "2026年12月25日"


def _signoff(issuer: str, day: dt.date) -> tuple[float, float, str]:
    doc = docx.Document(io.BytesIO(to_docx(Document("x", (Paragraph("正文。"), Signoff(issuer, day))))))
    paragraphs = doc.paragraphs
    signature, date = paragraphs[-2], paragraphs[-1]
    assert paragraphs[-3].text == ""  # 正文下空一行
    assert signature.text == issuer and signature.style.name == "发文机关署名"
    assert date.style.name == "成文日期"
    for p in (signature, date):
        assert p.style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT

    def right_chars(p: docx.text.paragraph.Paragraph) -> float:
        ind = p._p.pPr.find(w("ind"))
        return int(ind.get(w("rightChars"))) / 100

    return right_chars(signature), right_chars(date), date.text


def test_signature_right_two_characters_and_date_two_characters_right_of_it() -> None:
    signature, date, text = _signoff("测试县人民政府督查室", dt.date(2026, 12, 5))
    assert text == "2026年12月5日"
    assert signature == 2
    # the date's first character is two characters right of the signature's: 10 characters of
    # signature, 6.5 of date (half-width digits count a half)
    assert (signature + 10) - (date + 6.5) == 2


def test_a_date_longer_than_the_signature_is_right_two_and_the_signature_moves_left() -> None:
    signature, date, _ = _signoff("督查室", dt.date(2026, 12, 25))  # 3 characters; date 7
    assert date == 2
    assert (signature + 3) - (date + 7) == 2


def test_a_long_title_breaks_into_a_trapezoid_never_inside_a_number() -> None:
    chars = 20  # 156 mm of 22 pt characters
    lines = gb.title_lines("关于测试县2026年重点工作计划11月份推进情况的通报", chars)
    assert "".join(lines) == "关于测试县2026年重点工作计划11月份推进情况的通报"
    assert len(lines) == 2 and all(gb.width(line) <= chars for line in lines)
    assert gb.width(lines[0]) <= gb.width(lines[1])  # upper line no longer than the lower
    assert not any(re.search(r"\d$", a) and re.match(r"\d", b) for a, b in itertools.pairwise(lines))


def test_a_very_long_title_is_a_diamond() -> None:
    text = "关于印发测试县人民政府2026年度重点工作任务分解方案及责任清单落实情况督查结果的通报"
    lines = gb.title_lines(text, 20)
    assert len(lines) == 3 and "".join(lines) == text
    assert gb.width(lines[1]) > max(gb.width(lines[0]), gb.width(lines[2]))
    assert lines[0].endswith("政府")  # a word's edge, not 人民政|府


def test_the_title_is_one_paragraph_with_line_breaks(document: docx.document.Document) -> None:
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert title.text.replace("\n", "") == "关于测试县2026年重点工作计划11月份推进情况的通报"
    assert len(title._p.findall(f".//{w('br')}")) == 1


def test_short_title_is_one_line() -> None:
    assert gb.title_lines("示范县2026年11月重点工作推进情况通报", 20) == [
        "示范县2026年11月重点工作推进情况通报"
    ]


# --- masthead and tables ------------------------------------------------------------------------


def test_masthead_red_and_document_number_centred_above_a_red_line(document: docx.document.Document) -> None:
    mark, _, number = document.paragraphs[:3]
    assert mark.text == "测试县人民政府督查室"
    assert str(mark.style.font.color.rgb) == "FF0000"
    assert number.text == "督查通报〔2026〕11号" and number.style.name == "发文字号"
    bottom = number._p.pPr.find(f"{w('pBdr')}/{w('bottom')}")
    assert bottom.get(w("color")) == "FF0000" and bottom.get(w("val")) == "single"


def test_tables_heiti_header_repeated_fangsong_cells_as_wide_as_the_text(
    document: docx.document.Document,
) -> None:
    table = document.tables[0]
    head, row = table.rows
    assert [c.paragraphs[0].style.name for c in head.cells] == ["表头", "表头"]
    assert [c.paragraphs[0].style.name for c in row.cells] == ["表格文字", "表格文字"]
    assert head._tr.trPr.find(w("tblHeader")) is not None
    total = int(table._tbl.tblPr.find(w("tblW")).get(w("w")))
    assert abs(total - (11906 - 1587 - 1474)) <= 2
    widths = [int(c.get(w("w"))) for c in table._tbl.tblGrid.findall(w("gridCol"))]
    assert abs(widths[0] - 3 * widths[1]) <= 3


def test_outline_numbers_headings_and_restarts_below_a_new_level_1() -> None:
    outline = Outline()
    texts = [
        outline.heading(1, "总体情况").text,
        outline.heading(2, "甲").text,
        outline.heading(2, "乙").text,
        outline.heading(1, "存在的问题").text,
        outline.heading(2, "丙").text,
        outline.heading(3, "丁").text,
        outline.heading(4, "戊").text,
    ]
    assert texts == ["一、总体情况", "（一）甲", "（二）乙", "二、存在的问题", "（一）丙", "1.丁", "（1）戊"]


def test_print_css_names_the_layouts_fonts() -> None:
    """The printable page (the PDF route: no converter on users' machines) uses the same faces."""
    css = STATIC.read_text(encoding="utf-8")
    layout = gb.GBT9704
    for face in (layout.title, layout.body, layout.heading1, layout.heading2):
        assert face.css in css, face.font
    assert "size: A4" in css
    assert "37mm 26mm 35mm 28mm" in css  # top right bottom left


def test_table_cells_escape_markup_and_drop_control_characters() -> None:
    """Cells hold what users typed (a notice's subject): markup stays text, and a control character
    XML 1.0 cannot carry is dropped rather than breaking the file."""
    table = Table(("事由",), (("A<B & C\x07>D\n第二行",),))
    doc = docx.Document(io.BytesIO(to_docx(Document("x", (table,)))))
    assert doc.tables[0].rows[1].cells[0].text == "A<B & C>D\n第二行"
