"""Vetting Office Open XML packages (.docx, .xlsx) before anything is decompressed or parsed.

Zip bombs are refused from the declared sizes, oversized central directories before zipfile
builds them, and DOCTYPE/ENTITY declarations (entity bombs, external entities) by streaming
each XML part in chunks. One module serves the document engine's .docx reader and the
ledger's Excel import, each with its own wording and limits.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # zipfile is imported when a package comes: reading a .txt never needs it
    import zipfile

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_members: int = 5000
    max_central_dir_bytes: int = 4 * 1024 * 1024
    """Bounds the ZipInfo objects zipfile builds from the central directory (~46+ bytes each)."""
    max_uncompressed: int = 200 * 1024 * 1024
    max_xml_bytes: int = 32 * 1024 * 1024
    """lxml needs several times an XML part's size in memory."""
    max_ratio: int = 100
    """Largest compression ratio of a member over ratio_min_bytes; real Office XML compresses ~5-20x."""
    ratio_min_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Wording:
    """How messages name the file kind and the program that repairs it."""

    label: str  # ".docx"
    app: str  # "Word 或 WPS"


def _show(name: str) -> str:
    return _UNPRINTABLE.sub("?", name)


def vet_package(
    data: bytes,
    name: str,
    wording: Wording,
    error: Callable[[str], Exception],
    limits: Limits = Limits(),
) -> set[str]:
    """Raise `error(message)` for an unsafe or broken package; return its member names."""
    import zipfile
    import zlib

    label, app = wording.label, wording.app
    corrupt = error(f"{label} 文件不完整或已损坏，请用 {app} 打开后重新保存：{name}")
    _check_central_directory(data, name, label, error, corrupt, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_members(infos, name, label, error, limits)
            for info in _xml_members(zf, infos, name, label, error, limits):
                _check_xml_member(zf, info, name, label, error, limits)
            return {info.filename for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise corrupt from None
    except (NotImplementedError, RuntimeError):  # unsupported compression method, encryption
        raise error(f"{label} 文件使用了不支持的压缩或加密方式，请用 {app} 重新保存：{name}") from None


def _check_central_directory(
    data: bytes,
    name: str,
    label: str,
    error: Callable[[str], Exception],
    corrupt: Exception,
    limits: Limits,
) -> None:
    """Bound the central directory before zipfile turns every entry of it into a ZipInfo."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if eocd < 0 or eocd + 22 > len(data):
        raise corrupt  # a truncated file loses its end-of-central-directory record first
    entries, cd_size = struct.unpack_from("<xxxxxxxxxxHI", data, eocd)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        # ZIP64: the 56-byte record sits just before the 20-byte locator (as zipfile reads it).
        rec = eocd - 20 - 56
        if rec < 0 or data[rec : rec + 4] != b"PK\x06\x06":
            raise corrupt
        entries, cd_size = struct.unpack_from("<QQ", data, rec + 32)
    if entries > limits.max_members or cd_size > limits.max_central_dir_bytes:
        raise error(f"{label} 文件结构异常（部件过多），已拒绝读取：{name}")


def _check_members(
    infos: list[zipfile.ZipInfo], name: str, label: str, error: Callable[[str], Exception], limits: Limits
) -> None:
    """Refuse zip bombs from the declared sizes, before any member is decompressed."""
    bomb = error(f"{label} 文件解压后体积异常（疑似压缩炸弹），已拒绝读取：{name}")
    if len(infos) > limits.max_members:
        raise bomb
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise error(f"{label} 文件已加密，请取消密码后另存为 {label}：{name}")
        total += info.file_size
        if total > limits.max_uncompressed:
            raise bomb
        if info.file_size > limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(
            1, info.compress_size
        ):
            raise bomb


def _xml_members(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    name: str,
    label: str,
    error: Callable[[str], Exception],
    limits: Limits,
) -> list[zipfile.ZipInfo]:
    """The members a reader may parse as XML: .xml/.rels/.vml by name, and any part whose
    content type is XML (a part's name need not end in .xml). SVG images are not parsed."""
    by_name = {info.filename: info for info in infos}
    chosen = {n for n in by_name if n.lower().endswith((".xml", ".rels", ".vml"))}
    types = by_name.get("[Content_Types].xml")
    if types is not None:
        _check_xml_member(zf, types, name, label, error, limits)  # vetted before lxml reads it here
        defaults, overrides = _content_types(zf.read(types))
        chosen.discard(types.filename)  # already checked
        for n in by_name:
            ext = n.rsplit(".", 1)[-1].lower() if "." in n else ""
            ctype = overrides.get("/" + n.lower(), defaults.get(ext, ""))
            if ctype.endswith("xml") and not ctype.startswith("image/") and n != types.filename:
                chosen.add(n)
    return [by_name[n] for n in sorted(chosen)]


def _content_types(xml: bytes) -> tuple[dict[str, str], dict[str, str]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return {}, {}
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        ctype = str(el.get("ContentType", "")).lower()
        if tag == "Default":
            defaults[str(el.get("Extension", "")).lower()] = ctype
        elif tag == "Override":
            overrides[str(el.get("PartName", "")).lower()] = ctype  # OPC part names ignore case
    return defaults, overrides


def _check_xml_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    label: str,
    error: Callable[[str], Exception],
    limits: Limits,
) -> None:
    """Refuse DOCTYPE/ENTITY declarations in an XML part.

    Streams the member in chunks; NUL bytes are dropped first so that a UTF-16 or UTF-32
    part cannot hide `<!DOCTYPE` from a byte search. The declared size is not trusted.
    """
    size = f"{info.file_size / 1024 / 1024:.1f} MB"
    too_big = error(f"{label} 文件中的 {_show(info.filename)} 过大（{size}），无法读取：{name}")
    if info.file_size > limits.max_xml_bytes:
        raise too_big
    tail = b""
    read = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            read += len(chunk)
            if read > limits.max_xml_bytes:
                raise too_big
            window = tail + chunk.replace(b"\x00", b"")
            if _DECLARATION.search(window):
                raise error(f"{label} 文件含有不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝读取：{name}")
            tail = window[-16:]
