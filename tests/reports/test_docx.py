"""Reading .docx input: one line per body paragraph, numbered as python-docx orders them.

Every .docx here is built in the test from made-up text; nothing comes from the corpus.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from unittest import mock

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from taizhang.cli import main
from taizhang.reports.loader import read_bytes_lines, read_lines

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'

# A made-up report, with the blank lines and odd spacing real files have.
REPORT = [
    "某某县农业农村局2023年工作总结及2024年工作计划",
    "",
    "　　2023年，我局围绕中心工作，扎实推进各项任务。",
    "一、2023年工作总结",
    "（一）稳定粮食生产。全年粮食播种面积xx万亩，同比增长x.x%。",
    "(二)推进乡村建设。一是完善道路设施；二是改善人居环境。",
    "",
    "二、存在的问题",
    "基层力量仍需加强。  ",
    "三、2024年工作计划",
    "1.抓好春耕备耕，确保粮食稳产。",
    "2、强化项目保障，全年争取资金xx亿元。",
]


def make_docx(lines: list[str]) -> bytes:
    """A .docx with one body paragraph per line, as Word would save the text."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def save_docx(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """Copy a zip, replacing, adding or dropping members."""
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            content = replace.pop(info.filename, None)
            dst.writestr(info.filename, src.read(info) if content is None else content)
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


def make_zip64(data: bytes) -> bytes:
    """The same zip with ZIP64 end records, the classic record pointing to them (0xFFFF)."""
    out = io.BytesIO()
    with (
        mock.patch.object(zipfile, "ZIP_FILECOUNT_LIMIT", 0),  # makes zipfile write ZIP64 records
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    buf = bytearray(out.getvalue())
    eocd = buf.rfind(b"PK\x05\x06")
    struct.pack_into("<HHI", buf, eocd + 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF)
    return bytes(buf)


def body_xml(inner: str) -> bytes:
    """A whole word/document.xml whose body holds `inner`."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {W}><w:body>{inner}<w:sectPr/></w:body></w:document>"
    ).encode()


def test_docx_gives_the_same_lines_as_txt(tmp_path: Path) -> None:
    txt = tmp_path / "report.txt"
    txt.write_text("\n".join(REPORT) + "\n", encoding="utf-8")
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx(REPORT))
    assert read_lines(path) == read_lines(txt) == REPORT


def test_leading_and_inner_empty_paragraphs_keep_their_numbers(tmp_path: Path) -> None:
    lines = ["", "", "标题：某单位2023年工作总结", "", "正文。"]
    path = tmp_path / "a.docx"
    path.write_bytes(make_docx(lines))
    got = read_lines(path)
    assert got == lines
    assert got.index("正文。") + 1 == 5  # 1-based paragraph number


def test_read_bytes_lines_matches_read_lines(tmp_path: Path) -> None:
    data = make_docx(REPORT)
    path = tmp_path / "up.docx"
    path.write_bytes(data)
    assert read_bytes_lines(data, "上传.docx") == read_lines(path)


def test_uppercase_suffix(tmp_path: Path) -> None:
    path = tmp_path / "REPORT.DOCX"
    path.write_bytes(make_docx(REPORT))
    assert read_lines(path) == REPORT


def test_tables_are_read_cell_by_cell_between_the_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("表前段落")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "左上"
    table.cell(0, 1).text = "右上"
    table.cell(1, 1).text = "右下"  # the empty cell on its left gives no line
    document.add_paragraph("表后段落")
    path = tmp_path / "t.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == ["表前段落", "左上", "右上", "右下", "表后段落"]


def test_every_break_ends_a_line_tabs_stay(tmp_path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph("一、工作总结")
    p.add_run().add_break()  # manual line break (WPS 手动换行): the line ends here
    p.add_run("今年完成任务。\t附表")
    q = document.add_paragraph("分页前")
    q.add_run().add_break(WD_BREAK.PAGE)
    q.add_run("分页后")
    document.add_paragraph("末段")
    path = tmp_path / "b.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == ["一、工作总结", "今年完成任务。\t附表", "分页前", "分页后", "末段"]


def test_a_title_set_over_lines_is_one_line(tmp_path: Path) -> None:
    # GB/T 9704 shapes a long title as a trapezoid with 手动换行: Word shows one paragraph, one
    # title. A page break is never crossed, and a broken body paragraph stays broken.
    document = docx.Document()
    title = document.add_paragraph("县公共资源交易管理局")
    title.add_run().add_break()
    title.add_run("2026年工作总结及2027年工作计划")
    paged = document.add_paragraph("县商务局")
    paged.add_run().add_break(WD_BREAK.PAGE)
    paged.add_run("2026年工作总结")
    body = document.add_paragraph("2026年，我局完成各项任务")
    body.add_run().add_break()
    body.add_run("，群众满意度持续提升。")
    path = tmp_path / "title.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == [
        "县公共资源交易管理局2026年工作总结及2027年工作计划",
        "县商务局",
        "2026年工作总结",
        "2026年，我局完成各项任务",
        "，群众满意度持续提升。",
    ]


def test_text_in_insertions_hyperlinks_and_fields_is_read_deleted_text_is_not(tmp_path: Path) -> None:
    paragraph = (
        f"<w:p {W}>"
        "<w:r><w:t>推进</w:t></w:r>"
        '<w:ins w:id="1" w:author="a"><w:r><w:t>重点</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r></w:del>'
        '<w:hyperlink r:id="rId99" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<w:r><w:t>项目</w:t></w:r></w:hyperlink>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>建设</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "</w:p>"
    )
    document = docx.Document()
    document.add_paragraph("第一段")
    document.element.body.insert(1, parse_xml(paragraph))
    path = tmp_path / "rev.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == ["第一段", "推进重点项目建设"]


def test_text_boxes_are_not_read_into_the_paragraph(tmp_path: Path) -> None:
    paragraph = (
        f'<w:p {W} xmlns:v="urn:schemas-microsoft-com:vml">'
        "<w:r><w:t>正文</w:t></w:r>"
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        "</w:p>"
    )
    document = docx.Document()
    document.element.body.insert(0, parse_xml(paragraph))
    path = tmp_path / "box.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == ["正文"]


def test_paragraphs_in_block_content_controls_are_read_in_order(tmp_path: Path) -> None:
    # Word puts cover pages in a block-level content control (w:sdt).
    cover = (
        f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>封面标题</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document = docx.Document()
    document.add_paragraph("正文第一段")
    document.element.body.insert(0, parse_xml(cover))
    path = tmp_path / "sdt.docx"
    path.write_bytes(save_docx(document))
    assert read_lines(path) == ["封面标题", "正文第一段"]


def test_an_svg_image_with_a_doctype_is_not_a_bomb(tmp_path: Path) -> None:
    # SVG files often carry a DOCTYPE; python-docx never parses images, so they are allowed.
    data = make_docx(REPORT)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").decode()
    types = types.replace("<Default ", '<Default Extension="svg" ContentType="image/svg+xml"/><Default ', 1)
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    path = tmp_path / "svg.docx"
    path.write_bytes(rewrite_zip(data, {"[Content_Types].xml": types.encode(), "word/media/image9.svg": svg}))
    assert read_lines(path) == REPORT


def test_zip64_docx(tmp_path: Path) -> None:
    path = tmp_path / "z64.docx"
    path.write_bytes(make_zip64(make_docx(REPORT)))
    assert read_lines(path) == REPORT


def test_cli_parses_a_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx(REPORT))
    assert main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"] == "report.docx"
