"""Reading input into lines: one line of a text file, or one body paragraph of a .docx, per line.

Line i of the result (0-based) is line i+1 of the file as the user sees it: nothing is
renumbered, merged or dropped, and nothing is cleaned (the parser does that).

Every bad input raises `InputError` with a one-line Chinese message, in bounded time and
memory: sizes are checked before anything is read or decompressed, and .docx packages are
vetted (zip bombs, XML entity declarations) before python-docx sees them.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .package import Limits, Wording, vet_package
from .tables import TaskTable

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""Largest .txt/.md file read. A 50 MB compilation must still load."""

MAX_DOCX_BYTES = 100 * 1024 * 1024
"""Largest .docx file read (images make .docx files big; python-docx holds every part in memory)."""

MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
"""Largest total declared uncompressed size of all members of a .docx."""

MAX_DOCX_XML_BYTES = 32 * 1024 * 1024
"""Largest XML part: lxml needs several times its size in memory; 32 MB is ~1000 pages of text."""

MAX_DOCX_RATIO = 100
"""Largest compression ratio of a member over RATIO_MIN_BYTES; real Word XML compresses ~5-20x."""

RATIO_MIN_BYTES = 4 * 1024 * 1024

MAX_DOCX_MEMBERS = 5000
MAX_CENTRAL_DIR_BYTES = 4 * 1024 * 1024
"""Bounds the ZipInfo objects zipfile builds from the central directory (~46+ bytes each)."""

MAX_LINES = 2_000_000
"""A list of lines costs ~60 bytes a line on top of the text; this caps a file of empty lines."""

TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md", ".markdown"})
DOCX_SUFFIXES = frozenset({".docx"})
XLSX_SUFFIXES = frozenset({".xlsx"})

_SAVE_AS_DOCX = "请在 Word 或 WPS 中另存为 .docx"
_SAVE_AS_DOCX_OR_TXT = "请另存为 .docx 或 .txt"
_UNSUPPORTED: dict[str, str] = {
    ".doc": f"不支持旧版 Word 文件（.doc），{_SAVE_AS_DOCX}",
    ".dot": f"不支持 Word 模板文件（.dot），{_SAVE_AS_DOCX}",
    ".dotx": f"不支持 Word 模板文件（.dotx），{_SAVE_AS_DOCX}",
    ".docm": f"不支持启用宏的 Word 文件（.docm），{_SAVE_AS_DOCX}",
    ".wps": f"不支持 WPS 文字格式（.wps），{_SAVE_AS_DOCX}",
    ".wpt": f"不支持 WPS 模板文件（.wpt），{_SAVE_AS_DOCX}",
    ".rtf": f"不支持 RTF 文件，{_SAVE_AS_DOCX}",
    ".odt": f"不支持 ODT 文件，{_SAVE_AS_DOCX}",
    ".pdf": f"不支持 PDF 文件，{_SAVE_AS_DOCX_OR_TXT}",
    ".ofd": f"不支持 OFD 版式文件，{_SAVE_AS_DOCX_OR_TXT}",
    ".html": f"不支持网页文件，{_SAVE_AS_DOCX_OR_TXT}",
    ".htm": f"不支持网页文件，{_SAVE_AS_DOCX_OR_TXT}",
    ".mht": f"不支持网页文件，{_SAVE_AS_DOCX_OR_TXT}",
    **{
        s: f"不支持表格文件（{s}），请把报告正文复制到 .docx 或 .txt 文件中"
        for s in (".xls", ".xlsm", ".et", ".ods", ".csv")
    },
    **{
        s: f"不支持演示文稿（{s}），请把报告正文复制到 .docx 或 .txt 文件中"
        for s in (".ppt", ".pptx", ".dps", ".odp")
    },
    **{
        s: f"不支持压缩包（{s}），请解压后选择其中的 .docx 或 .txt 文件"
        for s in (".zip", ".rar", ".7z", ".gz", ".tar")
    },
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Control bytes that never occur in text. Tab, LF, VT, FF, CR and DOS EOF (0x1A) are allowed.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROL_BYTES.decode("latin-1")) + "]")
_NON_SPACE = re.compile(r"\S")
# Characters that would break a one-line message (or the encoder) when echoing a file name.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1024 * 1024

Kind = Literal["text", "docx", "xlsx"]


@dataclass
class Loaded:
    """What a reader found: the lines, and the task tables among them (PARSE.md §1)."""

    lines: list[str]
    tables: list[TaskTable] = field(default_factory=list)


def _err(message: str) -> InputError:
    return InputError(" ".join(message.splitlines()))


def _show(name: str) -> str:
    return _UNPRINTABLE.sub("?", name)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_lines(path: Path) -> list[str]:
    """The lines of a .txt/.md/.docx/.xlsx file, one per line, body paragraph or row, in order."""
    return load_file(path).lines


def load_file(path: Path) -> Loaded:
    """Like `read_lines`, with the task tables found."""
    path = Path(path)
    shown = _show(str(path))
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise _err(f"文件不存在：{shown}") from None
    except PermissionError:
        raise _err(f"没有权限读取文件：{shown}") from None
    except (OSError, ValueError):  # ENAMETOOLONG, symlink loops, NUL in the name
        raise _err(f"无法读取文件（路径无效）：{shown}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _err(f"这是文件夹，不是文件：{shown}")
    if not stat.S_ISREG(st.st_mode):
        # Pipes and devices could block or never end.
        raise _err(f"不是普通文件，无法读取：{shown}")
    kind = _kind(path.name)
    limit = _size_limit(kind)
    if st.st_size > limit:
        raise _too_big(kind, st.st_size, path.name)
    try:
        with path.open("rb") as f:
            # Sized from stat(): read(limit) would allocate the whole limit up front.
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:  # grew after stat(), or a /proc file of unknown size
                data += f.read(limit + 1 - len(data))  # read_bytes_lines refuses > limit
    except PermissionError:
        raise _err(f"没有权限读取文件：{shown}") from None
    except OSError:
        raise _err(f"读取文件时出错：{shown}") from None
    return load_bytes(data, path.name)


def read_bytes_lines(data: bytes, filename: str) -> list[str]:
    """Like `read_lines` for content held in memory (an upload); `filename` gives the type."""
    return load_bytes(data, filename).lines


def load_bytes(data: bytes, filename: str) -> Loaded:
    """Like `read_bytes_lines`, with the task tables found."""
    name = _show(os.path.basename(filename)) or "上传的文件"
    kind = _kind(filename)
    if not data:
        raise _err(f"文件为空：{name}")
    if len(data) > _size_limit(kind):
        raise _too_big(kind, len(data), name)
    _check_magic(data, kind, name)
    if kind == "docx":
        return Loaded(_docx_lines(data, name))
    if kind == "xlsx":
        return _xlsx(data, name)
    return Loaded(_text_lines(data, name))


def _kind(filename: str) -> Kind:
    suffix = os.path.splitext(os.path.basename(filename))[1].lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    message = _UNSUPPORTED.get(suffix)
    if message is None:
        message = f"不支持的文件类型（{_show(suffix)}），请使用 .txt、.md、.docx 或 .xlsx 文件"
    raise _err(message)


def _size_limit(kind: Kind) -> int:
    return MAX_TEXT_BYTES if kind == "text" else MAX_DOCX_BYTES


def _too_big(kind: Kind, size: int, name: str) -> InputError:
    what = {"docx": ".docx 文件", "xlsx": ".xlsx 文件", "text": "纯文本文件"}[kind]
    limit = _size_limit(kind) // 1024 // 1024
    return _err(f"文件过大（{_mb(size)}），{what}不能超过 {limit} MB：{_show(name)}")


def _check_magic(data: bytes, kind: Kind, name: str) -> None:
    """Recognise formats by content, whatever the extension says, to name the real problem."""
    if b"%PDF-" in data[:1024]:
        raise _err(f"不支持 PDF 文件，{_SAVE_AS_DOCX_OR_TXT}（{name}）")
    if data.startswith(_OLE2_MAGIC):
        if kind == "xlsx":
            raise _err(
                f"该文件实际是旧版 .xls 格式或已加密，请在 Excel 或 WPS 中另存为 .xlsx（不加密）：{name}"
            )
        if kind == "docx":
            # Encrypted .docx files are OLE2 containers too.
            raise _err(f"该文件实际是旧版 .doc/.wps 格式或已加密，{_SAVE_AS_DOCX}（不加密）：{name}")
        raise _err(f"这是 Word/WPS/Excel 等 Office 文件，不是纯文本，{_SAVE_AS_DOCX_OR_TXT}：{name}")
    if kind == "text":
        if data.startswith(_ZIP_MAGICS):
            raise _err(f"这是压缩包或 Word 文件，不是纯文本；如是 Word 文档，请使用 .docx 扩展名：{name}")
        if data[:64].lstrip().startswith(b"{\\rtf"):
            raise _err(f"这是 RTF 格式文件，不是纯文本，{_SAVE_AS_DOCX}：{name}")
    elif kind == "xlsx" and not data.startswith(_ZIP_MAGICS):
        raise _err(f"不是有效的 .xlsx 文件（内容不是 Excel 表格格式，可能只是改了扩展名）：{name}")
    elif not data.startswith(_ZIP_MAGICS):
        raise _err(f"不是有效的 .docx 文件（内容不是 Word 文档格式，可能只是改了扩展名）：{name}")


# --- plain text -------------------------------------------------------------------------


def _text_lines(data: bytes, name: str) -> list[str]:
    text = _decode(data, name)
    if _NON_SPACE.search(text) is None:
        raise _err(f"文件为空（只有空白）：{name}")
    return _split_lines(text, name)


def _decode(data: bytes, name: str) -> str:
    binary = _err(f"文件不是文本文件（含有二进制内容），请另存为 UTF-8 文本或 .docx：{name}")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            # Windows Notepad's "Unicode": NUL bytes are legitimate here, so check decoded text.
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise binary from None
            if _too_many_controls(len(_CONTROL_CHARS.findall(text)), len(text)):
                raise binary
            return text
    # In UTF-8 and GB18030 a byte below 0x80 is always that ASCII character, so counting
    # control bytes before decoding is exact, and cheap (translate runs in C).
    if b"\x00" in data or _too_many_controls(len(data.translate(None, _NOT_CONTROL)), len(data)):
        raise binary
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A GB18030 BOM decodes to U+FEFF; the parser must not see it in the first line.
        return text[1:] if text.startswith("\ufeff") else text
    raise _err(f"无法识别文件编码（支持 UTF-8 和 GB18030/GBK），请另存为 UTF-8 文本：{name}")


def _too_many_controls(count: int, total: int) -> bool:
    # A few stray control characters come from copy and paste; garbage has ~10%.
    return count > max(8, total // 100)


def split_text_lines(text: str) -> list[str]:
    """Lines of text held in memory, numbered as the loader numbers a file's lines."""
    return _split_lines(text.lstrip("\ufeff"), "<text>")


def _split_lines(text: str, name: str) -> list[str]:
    """Split on LF, CRLF and lone CR only: str.splitlines would also split on U+2028, FF, etc.,
    and shift line numbers away from what an editor shows."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") > MAX_LINES:
        raise _err(f"文件行数过多（超过 {MAX_LINES} 行），无法读取：{name}")
    lines = text.split("\n")
    if lines[-1] == "":  # a final newline ends the last line; it does not start a new one
        lines.pop()
    return lines


# --- .docx ------------------------------------------------------------------------------


DOCX_LIMITS = Limits(
    max_members=MAX_DOCX_MEMBERS,
    max_central_dir_bytes=MAX_CENTRAL_DIR_BYTES,
    max_uncompressed=MAX_DOCX_UNCOMPRESSED,
    max_xml_bytes=MAX_DOCX_XML_BYTES,
    max_ratio=MAX_DOCX_RATIO,
    ratio_min_bytes=RATIO_MIN_BYTES,
)
_DOCX = Wording(".docx", "Word 或 WPS")


def _docx_lines(data: bytes, name: str) -> list[str]:
    vet_package(data, name, _DOCX, _err, DOCX_LIMITS)
    corrupt = _err(f".docx 文件不完整或已损坏，请用 Word 或 WPS 打开后重新保存：{name}")
    return _paragraph_lines(_open_document(data, name, corrupt), name)


def _open_document(data: bytes, name: str, corrupt: InputError) -> Any:
    import docx
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except ValueError as err:
        if "not a Word file" in str(err):
            raise _err(f"不是 Word 文档（可能是改了扩展名的其他 Office 文件）：{name}") from None
        raise corrupt from None
    except etree.XMLSyntaxError:
        raise _err(f".docx 文件内容损坏（XML 格式错误），请用 Word 或 WPS 打开后重新保存：{name}") from None
    except Exception:  # python-docx raises KeyError, AttributeError, ... on malformed packages
        raise corrupt from None


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": _W, "mc": _MC}
# Runs whose text the reader sees in the paragraph itself: not text boxes (their own
# paragraphs), not deleted or moved-away revisions, not ruby (pinyin) annotations, and not
# the fallback copy of alternate content.
_RUNS_XPATH = (
    ".//w:r[not(ancestor::w:txbxContent or ancestor::w:del or ancestor::w:moveFrom"
    " or ancestor::w:rt or ancestor::mc:Fallback)]"
)
_BREAK_TYPES_WITHOUT_SPACE = frozenset({"page", "column"})


def _paragraph_lines(document: Any, name: str) -> list[str]:
    from lxml import etree

    runs_of = etree.XPath(_RUNS_XPATH, namespaces=_NS)
    lines = [_paragraph_text(p, runs_of) for p in _body_paragraphs(document.element.body)]
    if not any(_NON_SPACE.search(line) for line in lines):
        raise _err(f"文件为空（文档正文中没有文字；表格和图片中的内容不读取）：{name}")
    return lines


def _body_paragraphs(container: Any) -> Iterable[Any]:
    """Body paragraphs in document order, as document.paragraphs gives them, plus those
    wrapped in block-level content controls (Word cover pages) or custom XML. Tables skipped."""
    for child in container.iterchildren():
        if child.tag == f"{{{_W}}}p":
            yield child
        elif child.tag == f"{{{_W}}}sdt":
            for content in child.iterchildren(f"{{{_W}}}sdtContent"):
                yield from _body_paragraphs(content)
        elif child.tag == f"{{{_W}}}customXml":
            yield from _body_paragraphs(child)


def _paragraph_text(p: Any, runs_of: Any) -> str:
    """A paragraph's visible text. Unlike python-docx's Paragraph.text, this includes runs
    inside tracked insertions, smart tags, fields and inline content controls."""
    parts: list[str] = []
    for run in runs_of(p):
        for el in run.iterchildren():
            tag = el.tag
            if tag == f"{{{_W}}}t":
                parts.append(el.text or "")
            elif tag in (f"{{{_W}}}tab", f"{{{_W}}}ptab"):
                parts.append("\t")
            elif tag == f"{{{_W}}}br":
                # A manual line break stays inside the one line of its paragraph.
                if el.get(f"{{{_W}}}type") not in _BREAK_TYPES_WITHOUT_SPACE:
                    parts.append(" ")
            elif tag == f"{{{_W}}}cr":
                parts.append(" ")
            elif tag == f"{{{_W}}}noBreakHyphen":
                parts.append("-")
    text = "".join(parts)
    if "\n" in text or "\r" in text:  # newlines inside w:t would split the paragraph
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text


# --- .xlsx ------------------------------------------------------------------------------


def _xlsx(data: bytes, name: str) -> Loaded:
    """A workbook: one line per row of each sheet in turn; each sheet's grid read as a task table."""
    from .tables import read_task_table
    from .workbook import read_workbook, sheet_lines

    lines: list[str] = []
    tables: list[TaskTable] = []
    for sheet in read_workbook(data, name, _err):
        lines.extend(sheet_lines(sheet))
        table = read_task_table(sheet.grid)
        if table is not None:
            tables.append(table)
    if not any(_NON_SPACE.search(line) for line in lines):
        raise _err(f"文件为空（工作表中没有文字）：{name}")
    return Loaded(lines, tables)
