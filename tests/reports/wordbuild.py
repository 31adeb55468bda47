"""Building .docx files in tests from made-up text, as Word and WPS write them.

python-docx makes the package (content types, relationships, default parts); the parts these
tests are about — the body, numbering.xml, styles.xml, headers, footers, comments — are written
here as raw XML, the way Word saves them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XMLNS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


@dataclass
class Part:
    name: str  # word/header1.xml
    content_type: str
    reltype: str
    xml: str
    rel_id: str


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'{"<w:r>"}{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text: str = "", *, ppr: str = "", runs: str | None = None) -> str:
    """A paragraph of `text` (one run), or of raw `runs`."""
    inner = runs if runs is not None else (run(text) if text else "")
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{props}{inner}</w:p>"


def num_pr(num_id: int, ilvl: int | None = 0) -> str:
    level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    return f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'


def style(style_id: str) -> str:
    return f'<w:pStyle w:val="{style_id}"/>'


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/>{extra}<w:lvlJc w:val="left"/></w:lvl>'
    )


def numbering(abstracts: dict[int, str], nums: dict[int, tuple[int, str]]) -> str:
    """numbering.xml: abstract definitions (id -> levels XML) and nums (id -> (abstract id, overrides))."""
    parts = [
        f'<w:abstractNum w:abstractNumId="{a}">{levels}</w:abstractNum>' for a, levels in abstracts.items()
    ]
    parts += [
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/>{overrides}</w:num>'
        for n, (a, overrides) in nums.items()
    ]
    return f"{HEAD}<w:numbering {XMLNS}>{''.join(parts)}</w:numbering>"


def styles(*defs: str) -> str:
    normal = '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    return f"{HEAD}<w:styles {XMLNS}>{normal}{''.join(defs)}</w:styles>"


def paragraph_style(style_id: str, *, based_on: str = "", ppr: str = "") -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{style_id}"/>{base}{props}</w:style>'


def cell(*paragraphs: str, props: str = "") -> str:
    tc_pr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{tc_pr}{''.join(paragraphs) or '<w:p/>'}</w:tc>"


def table(rows: list[list[str]], columns: int) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    body = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'


def body_part(inner: str, sect: str = "") -> str:
    return f"{HEAD}<w:document {XMLNS}><w:body>{inner}<w:sectPr>{sect}</w:sectPr></w:body></w:document>"


def build(
    inner: str,
    *,
    numbering_xml: str | None = None,
    styles_xml: str | None = None,
    parts: tuple[Part, ...] = (),
    sect: str = "",
) -> bytes:
    """A .docx whose body holds `inner`, with optional numbering, styles and extra parts."""
    base = io.BytesIO()
    docx.Document().save(base)
    replace: dict[str, bytes] = {"word/document.xml": body_part(inner, sect).encode()}
    if numbering_xml is not None:
        replace["word/numbering.xml"] = numbering_xml.encode()
    if styles_xml is not None:
        replace["word/styles.xml"] = styles_xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = replace.get(info.filename, src.read(info))
            if info.filename == "[Content_Types].xml" and parts:
                extra = "".join(
                    f'<Override PartName="/{p.name}" ContentType="{p.content_type}"/>' for p in parts
                )
                data = data.decode().replace("</Types>", extra + "</Types>").encode()
            if info.filename == "word/_rels/document.xml.rels" and parts:
                extra = "".join(
                    f'<Relationship Id="{p.rel_id}" Type="{p.reltype}" Target="{p.name.removeprefix("word/")}"/>'
                    for p in parts
                )
                data = data.decode().replace("</Relationships>", extra + "</Relationships>").encode()
            dst.writestr(info.filename, data)
        for p in parts:
            dst.writestr(p.name, (HEAD + p.xml).encode())
    return out.getvalue()


def header(text: str, rel_id: str = "rIdHeader1") -> Part:
    xml = f"<w:hdr {XMLNS}>{para(text)}</w:hdr>"
    return Part("word/header1.xml", CT + "header+xml", RT + "header", xml, rel_id)


def footer(text: str, rel_id: str = "rIdFooter1") -> Part:
    xml = f"<w:ftr {XMLNS}>{para(text)}</w:ftr>"
    return Part("word/footer1.xml", CT + "footer+xml", RT + "footer", xml, rel_id)


def comments(text: str) -> Part:
    xml = (
        f'<w:comments {XMLNS}><w:comment w:id="0" w:author="审稿人" w:initials="s">'
        f"{para(text)}</w:comment></w:comments>"
    )
    return Part("word/comments.xml", CT + "comments+xml", RT + "comments", xml, "rIdComments")


def footnotes(text: str) -> Part:
    xml = (
        f'<w:footnotes {XMLNS}><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote>'
        f'<w:footnote w:id="1">{para(text)}</w:footnote></w:footnotes>'
    )
    return Part("word/footnotes.xml", CT + "footnotes+xml", RT + "footnotes", xml, "rIdFootnotes")


def plain(lines: list[str]) -> str:
    """The body XML of one paragraph per line, as typed."""
    return "".join(para(line) for line in lines)
