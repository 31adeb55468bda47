"""Writing a generated document to the file a command names: .docx laid out after GB/T 9704, or
Markdown; a bad name or folder is one Chinese message (the commands turn it into exit code 2)."""

from __future__ import annotations

from pathlib import Path

from taizhang.ledger.errors import DomainError
from taizhang.writing.document import Document
from taizhang.writing.render import to_docx, to_markdown

FORMATS = (".docx", ".md")


def check_output(path: Path) -> Path:
    """Refuse, before any work, a file the command could not write."""
    if path.suffix.lower() not in FORMATS:
        raise DomainError(f"输出文件应以 .docx 或 .md 结尾：{path}", field="output")
    if not path.parent.is_dir():
        raise DomainError(f"输出目录不存在：{path.parent}", field="output")
    return path


def write(document: Document, path: Path) -> None:
    try:
        if path.suffix.lower() == ".docx":
            path.write_bytes(to_docx(document))
        else:
            path.write_text(to_markdown(document), encoding="utf-8")
    except OSError as err:
        raise DomainError(f"无法写入文件 {path}：{err.strerror or err}", field="output") from None
