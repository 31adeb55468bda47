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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import InputError
from .package import Limits, Wording, vet_package

if TYPE_CHECKING:
    # The .docx reader and the task-table reader are imported when a .docx or .xlsx comes: reading
    # a .txt (and `import taizhang.reports`) does without them.
    from .tables import TaskTable
    from .wordml import Table

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


def _err(message: str) -> InputError:
    return InputError(" ".join(message.splitlines()))


def _show(name: str) -> str:
    return _UNPRINTABLE.sub("?", name)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass
class Loaded:
    """What a reader found: the lines, the task tables among them (PARSE.md §1), and for a .docx
    every table with its grid and the cell boundaries."""

    lines: list[str]
    tables: list[TaskTable] = field(default_factory=list)
    kind: Kind = "text"
    grids: list[Table] = field(default_factory=list)
    hard_breaks: set[int] = field(default_factory=set)  # 1-based lines that never continue the line before
    not_body: set[int] = field(default_factory=set)
    """1-based lines of a .docx task table from its header on: read as tasks, not as body text."""
    page_starts: set[int] = field(default_factory=set)  # 1-based lines that open a new page in Word


def read_lines(path: Path) -> list[str]:
    """The lines of a .txt/.md/.docx/.xlsx file, one per line, body paragraph or row, in order."""
    return load_file(path).lines


def read_bytes_lines(data: bytes, filename: str) -> list[str]:
    """Like `read_lines` for content held in memory (an upload); `filename` names the file."""
    return load_bytes(data, filename).lines


def load_file(path: str | os.PathLike[str]) -> Loaded:
    """Read a .txt/.md/.docx/.xlsx file: its lines and its tables."""
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
    try:
        with path.open("rb") as f:
            # The content decides the format (a .docx named .txt is read as .docx): peek at it
            # to know which size limit applies before reading the rest.
            head = f.read(8)
            kind: Kind = "docx" if head.startswith(_ZIP_MAGICS) else _named_kind(path.name)
            limit = _size_limit(kind)
            if st.st_size > limit:
                raise _too_big(kind, st.st_size, path.name)
            # Sized from stat(): read(limit) would allocate the whole limit up front. Read again
            # from the start rather than appending to the head: one copy of a large file, not two.
            f.seek(0)
            data = f.read(max(st.st_size + 1, len(head)))
            if len(data) > st.st_size:  # grew after stat(), or a /proc file of unknown size
                data += f.read(limit + 1 - len(data))  # load_bytes refuses > limit
    except PermissionError:
        raise _err(f"没有权限读取文件：{shown}") from None
    except OSError:
        raise _err(f"读取文件时出错：{shown}") from None
    return load_bytes(data, path.name)


def load_bytes(data: bytes, filename: str) -> Loaded:
    """Like `load_file` for content held in memory (an upload)."""
    name = _show(os.path.basename(filename)) or "上传的文件"
    if not data:
        raise _err(f"文件为空：{name}")
    sized: Kind = "docx" if data.startswith(_ZIP_MAGICS) else _named_kind(filename)
    if len(data) > _size_limit(sized):
        raise _too_big(sized, len(data), name)
    kind = _content_kind(data, filename, name)
    if kind == "docx":
        return _docx(data, name)
    if kind == "xlsx":
        return _xlsx(data, name)
    return Loaded(_text_lines(data, name))


def _suffix(filename: str) -> str:
    return os.path.splitext(os.path.basename(filename))[1].lower()


_WORD_SUFFIXES = frozenset({".doc", ".dot", ".dotx", ".docm", ".wps", ".wpt"})


def _named_kind(filename: str) -> Kind:
    suffix = _suffix(filename)
    return "text" if suffix in TEXT_SUFFIXES else "xlsx" if suffix in XLSX_SUFFIXES else "docx"


def _content_kind(data: bytes, filename: str, name: str) -> Kind:
    """The format, decided by the content (a .docx named .doc is a .docx); the name only words
    the message for content that is no report at all."""
    suffix = _suffix(filename)
    if b"%PDF-" in data[:1024]:
        raise _err(f"不支持 PDF 文件，{_SAVE_AS_DOCX_OR_TXT}（{name}）")
    if data.startswith(_OLE2_MAGIC):
        raise _err(_ole2_message(data, suffix, name))
    if suffix in XLSX_SUFFIXES:
        if data.startswith(_ZIP_MAGICS):
            return "xlsx"  # the workbook reader vets it with its own limits
        raise _err(f"不是有效的 .xlsx 文件（内容不是 Excel 表格格式，可能只是改了扩展名）：{name}")
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data, suffix, name)
    if data[:64].lstrip().startswith(b"{\\rtf"):
        raise _err(f"这是 RTF 格式文件，不是 Word 文档或纯文本，{_SAVE_AS_DOCX}：{name}")
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in DOCX_SUFFIXES:
        raise _err(f"不是有效的 .docx 文件（内容不是 Word 文档格式，可能只是改了扩展名）：{name}")
    message = _UNSUPPORTED.get(suffix)
    if message is None:
        message = f"不支持的文件类型（{_show(suffix)}），请使用 .txt、.md、.docx 或 .xlsx 文件"
    raise _err(message)


def _ole2_message(data: bytes, suffix: str, name: str) -> str:
    """OLE2 compound files: old Word/WPS/Excel/PowerPoint files, and encrypted Office files of
    any kind (an encrypted .docx is an OLE2 container holding EncryptionInfo)."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        return f"文件设置了打开密码（已加密），无法读取：请在 Word 或 WPS 中取消密码后另存为 .docx：{name}"
    if "WordDocument".encode("utf-16-le") in data:
        return f"这是旧版 Word（.doc）或 WPS 文字（.wps）格式的文件，{_SAVE_AS_DOCX}：{name}"
    if "Workbook".encode("utf-16-le") in data or suffix in (".xls", ".et", ".xlsx"):
        return f"这是旧版 .xls 表格或已加密的文件，请在 Excel 或 WPS 中另存为 .xlsx（不加密）：{name}"
    if "PowerPoint Document".encode("utf-16-le") in data or suffix in (".ppt", ".dps"):
        return _UNSUPPORTED[".ppt"]
    if suffix in _UNSUPPORTED:  # the content does not say more than its name
        return _UNSUPPORTED[suffix]
    return f"这是旧版 Office 文件（如 .doc、.wps）或已加密的文件，{_SAVE_AS_DOCX}（不加密）：{name}"


def _zip_kind(data: bytes, suffix: str, name: str) -> Kind:
    """A zip is read as .docx when it holds a Word document, whatever its name."""
    try:
        members = vet_package(data, name, _DOCX, _err, DOCX_LIMITS)
    except InputError:
        if suffix in _UNSUPPORTED and suffix not in _WORD_SUFFIXES:
            raise _err(_UNSUPPORTED[suffix]) from None  # a broken .xlsx is named for what it is
        raise
    if "word/document.xml" in members:
        return "docx"
    if "xl/workbook.xml" in members:
        return "xlsx"  # a workbook under another name
    if any(m.startswith("ppt/") for m in members):
        return _refuse(_UNSUPPORTED[".pptx"])
    if "OFD.xml" in members:
        return _refuse(_UNSUPPORTED[".ofd"])
    if "[Content_Types].xml" in members and suffix in DOCX_SUFFIXES:
        return "docx"  # an Office package whose main part has another name: python-docx decides
    if suffix in _UNSUPPORTED and suffix not in _WORD_SUFFIXES:
        return _refuse(_UNSUPPORTED[suffix])
    if suffix in DOCX_SUFFIXES or suffix in _WORD_SUFFIXES:
        return _refuse(f"不是 Word 文档（可能是改了扩展名的其他文件）：{name}")
    return _refuse(f"这是压缩包，不是 Word 文档或纯文本，请解压后选择其中的 .docx 或 .txt 文件：{name}")


def _refuse(message: str) -> Kind:
    raise _err(message)


def _size_limit(kind: Kind) -> int:
    return MAX_TEXT_BYTES if kind == "text" else MAX_DOCX_BYTES


def _too_big(kind: Kind, size: int, name: str) -> InputError:
    what = {"docx": ".docx 文件", "xlsx": ".xlsx 文件", "text": "纯文本文件"}[kind]
    limit = _size_limit(kind) // 1024 // 1024
    return _err(f"文件过大（{_mb(size)}），{what}不能超过 {limit} MB：{_show(name)}")


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


def _docx(data: bytes, name: str) -> Loaded:
    # vet_package ran in _zip_kind: nothing reaches python-docx or lxml unvetted.
    from .tables import read_task_table

    corrupt = _err(f".docx 文件不完整或已损坏，请用 Word 或 WPS 打开后重新保存：{name}")
    from .wordml import read_body

    document = _open_document(data, name, corrupt)
    try:
        body = read_body(document)
    except MemoryError:
        raise
    except Exception:  # a package python-docx accepted but whose parts are not what they claim
        raise corrupt from None
    if not any(_NON_SPACE.search(line) for line in body.lines):
        raise _err(f"文件为空（文档正文中没有文字）：{name}")
    if len(body.lines) > MAX_LINES:
        raise _err(f"文件行数过多（超过 {MAX_LINES} 行），无法读取：{name}")
    loaded = Loaded(body.lines, [], "docx", body.tables, body.hard_breaks, page_starts=body.page_starts)
    for table in body.tables:
        task_table = read_task_table(table.grid) if table.first_line else None
        if task_table is None:
            continue
        task_table.end_line = max(task_table.end_line, table.last_line)  # a cell's later paragraphs too
        loaded.tables.append(task_table)
        # In a .docx the table is a block of the body: its header, category and task rows are no
        # headings or paragraphs of the text around it. Title rows above the header stay text.
        header = min(task_table.header_rows, default=0)
        first = next((a for a, _ in table.row_lines[header:] if a), 0)
        if first:
            loaded.not_body.update(range(first, table.last_line + 1))
    return loaded


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
    # A row is never the continuation of the row above.
    return Loaded(lines, tables, "xlsx", hard_breaks=set(range(1, len(lines) + 1)))
