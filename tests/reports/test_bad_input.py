"""Bad input: every case is refused with one Chinese line, quickly, with no traceback.

Each case runs through `read_lines` and through the CLI (exit code 2, one line on stderr).
Zip bombs are crafted by patching declared sizes in the zip headers, so building them
costs nothing and the loader must refuse them before decompressing anything.
"""

from __future__ import annotations

import io
import os
import random
import re
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from taizhang.cli import main
from taizhang.reports import InputError, loader
from taizhang.reports.loader import read_bytes_lines, read_lines

from .test_docx import REPORT, body_xml, make_docx, make_zip64, rewrite_zip

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def patch_member(data: bytes, name: str, *, file_size: int | None = None, flags: int | None = None) -> bytes:
    """Overwrite a member's declared uncompressed size and/or flag bits in both its local
    header and its central-directory entry."""
    buf = bytearray(data)
    encoded = name.encode()
    # Central directory entry: flags at +8, uncompressed size at +24, name length at +28,
    # local header offset at +42, name at +46.
    pos = buf.find(b"PK\x01\x02")
    while pos >= 0:
        (name_len,) = struct.unpack_from("<H", buf, pos + 28)
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == encoded:
            (local,) = struct.unpack_from("<I", buf, pos + 42)
            if file_size is not None:
                struct.pack_into("<I", buf, pos + 24, file_size)
                struct.pack_into("<I", buf, local + 22, file_size)  # local header: size at +22
            if flags is not None:
                struct.pack_into("<H", buf, pos + 8, flags)
                struct.pack_into("<H", buf, local + 6, flags)  # local header: flags at +6
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{name} not in the zip")


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE lolz [" + "".join(entities) + "]>"
    xml = body_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>").decode()
    head, rest = xml.split("\n", 1)
    return f"{head}\n{doctype}\n{rest}".encode()


def content_types_with(extra: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(make_docx(REPORT))) as zf:
        types = zf.read("[Content_Types].xml").decode()
    return types.replace("</Types>", extra + "</Types>").encode()


# Each builder writes its bad input into tmp_path and returns the path to give the loader.
Builder = Callable[[Path], Path]


def _file(name: str, data: bytes | Callable[[], bytes]) -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return build


def _sparse(name: str, size: Callable[[], int]) -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / name
        with path.open("wb") as f:
            f.truncate(size())  # no disk space used, and the loader must not read it
        return path

    return build


def _directory(tmp: Path) -> Path:
    path = tmp / "folder.txt"
    path.mkdir()
    return path


def _fifo(tmp: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp / "pipe.txt"
    os.mkfifo(path)
    return path


def _truncated_docx() -> bytes:
    data = make_docx(REPORT)
    return data[: len(data) // 2]


def _zip_bomb_total() -> bytes:
    # A 3 GB member declared in a ~600-byte entry: refused on the declared size alone.
    data = make_docx(REPORT)
    return patch_member(data, "word/document.xml", file_size=3 * 1024**3)


def _zip_bomb_ratio() -> bytes:
    # 50 MB declared for ~500 compressed bytes: under the total limit, over the ratio.
    return patch_member(make_docx(REPORT), "word/document.xml", file_size=50 * 1024**2)


def _zip_bomb_lying_header() -> bytes:
    # The opposite lie: a member says 100 bytes but inflates to 20 MB. zipfile stops at
    # the declared size and the CRC check fails; nothing big is ever produced.
    bomb = body_xml("<w:p><w:r><w:t>" + "零" * (20 * 1024**2 // 3) + "</w:t></w:r></w:p>")
    data = rewrite_zip(make_docx(REPORT), {"word/document.xml": bomb})
    return patch_member(data, "word/document.xml", file_size=100)


def _utf16_entity_bomb() -> bytes:
    xml = billion_laughs().decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return rewrite_zip(make_docx(REPORT), {"word/document.xml": xml.encode("utf-16")})


def _entity_in_content_types() -> bytes:
    with zipfile.ZipFile(io.BytesIO(make_docx(REPORT))) as zf:
        types = zf.read("[Content_Types].xml").decode()
    xxe = '<!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    types = types.replace("?>", "?>" + xxe, 1)
    return rewrite_zip(make_docx(REPORT), {"[Content_Types].xml": types.encode()})


def _doctype_in_xml_part_with_odd_name() -> bytes:
    # Content types, not names, make a part XML: a DOCTYPE hides in "data.bin".
    extra = '<Override PartName="/customXml/data.bin" ContentType="application/xml"/>'
    return rewrite_zip(
        make_docx(REPORT),
        {"[Content_Types].xml": content_types_with(extra), "customXml/data.bin": billion_laughs()},
    )


def _zip64_huge_central_directory() -> bytes:
    # The ZIP64 end record claims 2**40 entries in a 1 TB central directory.
    buf = bytearray(make_zip64(make_docx(REPORT)))
    rec = buf.rfind(b"PK\x06\x06")
    struct.pack_into("<QQQ", buf, rec + 24, 2**40, 2**40, 2**40)
    return bytes(buf)


def _encrypted_member() -> bytes:
    return patch_member(make_docx(REPORT), "word/document.xml", flags=0x1)


def _not_word() -> bytes:
    # A spreadsheet's main part under a .docx name.
    data = make_docx(REPORT)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").decode()
    types = types.replace("wordprocessingml.document.main+xml", "spreadsheetml.sheet.main+xml")
    return rewrite_zip(data, {"[Content_Types].xml": types.encode()})


def _broken_xml() -> bytes:
    return rewrite_zip(make_docx(REPORT), {"word/document.xml": b"<w:document><w:body><w:p>"})


def _no_document_part() -> bytes:
    return rewrite_zip(make_docx(REPORT), drop=("word/document.xml",))


def _docx_with_only_an_empty_table() -> bytes:
    xml = body_xml(
        "<w:p/><w:tbl><w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t> </w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    return rewrite_zip(make_docx(REPORT), {"word/document.xml": xml})


def _ole2_with_stream(name: str) -> Callable[[], bytes]:
    # A compound file's directory names its streams in UTF-16; that is all the loader looks at.
    return lambda: OLE2 + name.encode("utf-16-le") + bytes(64)


def _pptx_as_docx() -> bytes:
    data = make_docx(REPORT)
    return rewrite_zip(data, {"ppt/presentation.xml": b"<presentation/>"}, drop=("word/document.xml",))


def _garbage() -> bytes:
    return random.Random(7).randbytes(64 * 1024)


def _control_chars_without_nul() -> bytes:
    rng = random.Random(8)
    return bytes(rng.choice(b"\x01\x02\x03\x05\x1b\x7f") if i % 4 == 0 else 0x41 for i in range(8192))


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

CASES: dict[str, tuple[Builder, str]] = {
    "missing": (lambda tmp: tmp / "没有这个文件.txt", "文件不存在"),
    "missing-newline-in-name": (lambda tmp: tmp / "a\nb.txt", "文件不存在"),
    "directory": (_directory, "文件夹"),
    "fifo": (_fifo, "不是普通文件"),
    "empty-txt": (_file("empty.txt", b""), "文件为空"),
    "empty-docx": (_file("empty.docx", b""), "文件为空"),
    "whitespace-only": (_file("blank.txt", " \n\t\r\n\u3000\u3000\n".encode()), "文件为空"),
    "bom-only": (_file("bom.txt", b"\xef\xbb\xbf"), "文件为空"),
    "docx-only-an-empty-table": (_file("table.docx", _docx_with_only_an_empty_table), "文件为空"),
    "nul-in-text": (_file("nul.txt", "标题\n正文\x00\x00\n".encode()), "二进制"),
    "random-bytes": (_file("garbage.txt", _garbage), "二进制"),
    "control-chars": (_file("ctl.txt", _control_chars_without_nul), "二进制"),
    "png-as-txt": (_file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)), "二进制"),
    "undecodable": (_file("enc.txt", b"title \xff\xfe\xff text\n" * 3), "编码"),
    "text-named-docx": (_file("fake.docx", "这不是 Word 文件\n".encode()), "不是有效的 .docx"),
    "truncated-docx": (_file("half.docx", _truncated_docx), "不完整或已损坏"),
    "zip-bomb-total": (_file("bomb.docx", _zip_bomb_total), "压缩炸弹"),
    "zip-bomb-ratio": (_file("ratio.docx", _zip_bomb_ratio), "压缩炸弹"),
    "zip-lying-header": (_file("lying.docx", _zip_bomb_lying_header), "不完整或已损坏"),
    "entity-bomb": (
        _file("lol.docx", lambda: rewrite_zip(make_docx(REPORT), {"word/document.xml": billion_laughs()})),
        "DOCTYPE",
    ),
    "entity-bomb-utf16": (_file("lol16.docx", _utf16_entity_bomb), "DOCTYPE"),
    "xxe-content-types": (_file("xxe.docx", _entity_in_content_types), "DOCTYPE"),
    "doctype-odd-part-name": (_file("odd.docx", _doctype_in_xml_part_with_odd_name), "DOCTYPE"),
    "zip64-huge-central-directory": (_file("z64.docx", _zip64_huge_central_directory), "结构异常"),
    "encrypted-member": (_file("enc.docx", _encrypted_member), "加密"),
    "ole2-as-docx": (_file("old.docx", OLE2), "旧版"),
    "not-word": (_file("sheet.docx", _not_word), "不是 Word 文档"),
    "broken-xml": (_file("broken.docx", _broken_xml), "损坏"),
    "no-document-part": (_file("nodoc.docx", _no_document_part), "损坏"),
    "pdf": (_file("report.pdf", PDF), "不支持 PDF 文件，请另存为 .docx 或 .txt"),
    "pdf-as-txt": (_file("report.txt", PDF), "不支持 PDF 文件，请另存为 .docx 或 .txt"),
    "pdf-as-docx": (_file("report.docx", PDF), "不支持 PDF 文件，请另存为 .docx 或 .txt"),
    "doc": (_file("old.doc", OLE2), "另存为 .docx"),
    "wps": (_file("old.wps", OLE2), "另存为 .docx"),
    "ole2-as-txt": (_file("old.txt", OLE2), "Office"),
    "xls": (_file("sheet.xls", OLE2), "表格"),
    "xlsx-truncated": (_file("sheet.xlsx", b"PK\x03\x04"), ".xlsx 文件不完整或已损坏"),
    "xlsx-is-word": (_file("report.xlsx", lambda: make_docx(REPORT)), "改了扩展名的 Word 文件"),
    "ole2-as-xlsx": (_file("old.xlsx", OLE2), "旧版 .xls"),
    "ofd": (_file("report.ofd", b"PK\x03\x04"), "OFD"),
    "unknown-suffix": (_file("report.xyz", b"text"), "不支持的文件类型"),
    "zip-as-txt": (
        _file("archive.txt", lambda: rewrite_zip(make_docx(REPORT), drop=("word/document.xml",))),
        "压缩包",
    ),
    "pptx-content-as-docx": (_file("slides.docx", _pptx_as_docx), "演示文稿"),
    "doc-by-content": (_file("report.docx", _ole2_with_stream("WordDocument")), "另存为 .docx"),
    "wps-by-content": (_file("report.doc", _ole2_with_stream("WordDocument")), "WPS"),
    "encrypted-docx": (_file("secret.docx", _ole2_with_stream("EncryptionInfo")), "密码"),
    "encrypted-docx-named-doc": (
        _file("secret.doc", _ole2_with_stream("EncryptionInfo")),
        "取消密码后另存为 .docx",
    ),
    "rtf-as-txt": (_file("r.txt", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}"), "RTF"),
    "text-too-big": (_sparse("huge.txt", lambda: loader.MAX_TEXT_BYTES + 1), "文件过大"),
    "docx-too-big": (_sparse("huge.docx", lambda: loader.MAX_DOCX_BYTES + 1), "文件过大"),
}


def check_message(message: str, expected: str) -> None:
    assert "\n" not in message and "\r" not in message
    assert CHINESE.search(message), message
    assert "Traceback" not in message
    assert expected in message, message


@pytest.mark.parametrize("case", list(CASES))
def test_read_lines_refuses(case: str, tmp_path: Path) -> None:
    build, expected = CASES[case]
    path = build(tmp_path)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as info:
            read_lines(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    check_message(str(info.value), expected)
    # Bounded: nothing here may read a huge file or inflate a bomb.
    assert time.perf_counter() - started < 5
    assert peak < 64 * 1024**2, f"{case}: peak {peak / 1024**2:.1f} MB"


@pytest.mark.parametrize("case", list(CASES))
def test_cli_refuses(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build, expected = CASES[case]
    path = build(tmp_path)
    assert main(["parse", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    check_message(captured.err.rstrip("\n"), expected)


@pytest.mark.parametrize("case", ["missing", "random-bytes", "zip-bomb-total", "entity-bomb", "pdf"])
def test_cli_process_refuses(case: str, tmp_path: Path) -> None:
    """A real process: no traceback anywhere, whatever the interpreter's locale."""
    build, expected = CASES[case]
    path = build(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "taizhang.cli", "parse", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert err.endswith("\n") and err.count("\n") == 1, err
    check_message(err.rstrip("\n"), expected)
    assert proc.stdout == b""


@pytest.mark.parametrize(
    "case", [c for c in CASES if c not in ("missing", "missing-newline-in-name", "directory", "fifo")]
)
def test_read_bytes_lines_refuses_the_same(case: str, tmp_path: Path) -> None:
    """Uploads held in memory get the same checks as files."""
    build, expected = CASES[case]
    path = build(tmp_path)
    size = path.stat().st_size
    # The sparse "too big" files are zeros as read; make them in memory without reading.
    data = bytes(size) if size > 1024**2 else path.read_bytes()
    with pytest.raises(InputError) as info:
        read_bytes_lines(data, path.name)
    check_message(str(info.value), expected)


def test_a_file_without_a_report_is_not_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("买菜\n开会\n", encoding="utf-8")
    assert read_lines(path) == ["买菜", "开会"]  # the parser decides that it holds no report


def test_total_uncompressed_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(make_docx(REPORT))
    monkeypatch.setattr(loader, "DOCX_LIMITS", replace(loader.DOCX_LIMITS, max_uncompressed=100 * 1024))
    with pytest.raises(InputError, match="压缩炸弹"):
        read_lines(path)


def test_member_count_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(make_docx(REPORT))
    monkeypatch.setattr(loader, "DOCX_LIMITS", replace(loader.DOCX_LIMITS, max_members=3))
    with pytest.raises(InputError, match="结构异常"):
        read_lines(path)


def test_line_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.txt"
    path.write_bytes(b"a\n" * 1000)
    monkeypatch.setattr(loader, "MAX_LINES", 999)
    with pytest.raises(InputError, match="行数过多"):
        read_lines(path)


def test_xml_part_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(make_docx(REPORT))
    monkeypatch.setattr(
        loader, "DOCX_LIMITS", replace(loader.DOCX_LIMITS, max_xml_bytes=64 * 1024)
    )  # styles.xml is ~340 KB
    with pytest.raises(InputError, match="过大"):
        read_lines(path)
