"""Reading input files into lines (one paragraph a line). Minimal version; hardened in its own change."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError


def read_lines(path: Path) -> list[str]:
    if not path.exists():
        raise InputError(f"文件不存在：{path}")
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc).splitlines()
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别文件编码：{path}")
