"""The document engine: reads Chinese government work reports (PARSE.md). Pure Python, no Django.

>>> from taizhang.reports import parse
>>> result = parse("plan.docx")
>>> result.documents[0].tasks[0].text
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .loader import Loaded, load_bytes, load_file, read_bytes_lines, read_lines, split_text_lines
    from .model import Document, Indicator, Item, Milestone, ParseResult, Section
    from .parser import parse_lines
    from .tables import Grid, TaskRow, TaskTable, read_task_table

# The engine's modules load on first use (PEP 562), so `import taizhang.reports` stays cheap for a
# caller that needs one name; the first parse pays for the rest.
_LAZY = {
    **dict.fromkeys(
        ("Loaded", "load_bytes", "load_file", "read_bytes_lines", "read_lines", "split_text_lines"), "loader"
    ),
    **dict.fromkeys(("Document", "Indicator", "Item", "Milestone", "ParseResult", "Section"), "model"),
    "parse_lines": "parser",
    **dict.fromkeys(("Grid", "TaskRow", "TaskTable", "read_task_table"), "tables"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Document",
    "Grid",
    "Indicator",
    "InputError",
    "Item",
    "Loaded",
    "Milestone",
    "ParseResult",
    "Section",
    "TaskRow",
    "TaskTable",
    "load_bytes",
    "load_file",
    "parse",
    "parse_bytes",
    "parse_file",
    "parse_lines",
    "parse_loaded",
    "parse_text",
    "read_bytes_lines",
    "read_lines",
    "read_task_table",
    "split_text_lines",
]


def parse_file(path: str | os.PathLike[str]) -> ParseResult:
    """Parse a .txt/.md/.docx/.xlsx file. Raises InputError with a Chinese message on bad input."""
    from pathlib import Path

    from .loader import load_file

    p = Path(path)
    return parse_loaded(load_file(p), source=p.name)


def parse_text(text: str, source: str = "<text>") -> ParseResult:
    """Parse report text held in memory (one paragraph a line)."""
    from .loader import split_text_lines
    from .parser import parse_lines

    return parse_lines(split_text_lines(text), source=source)


def parse_bytes(data: bytes, filename: str) -> ParseResult:
    """Parse an upload held in memory, with the same checks as a file (size, zip bombs, entities)."""
    from .loader import load_bytes

    return parse_loaded(load_bytes(data, filename), source=filename)


def parse_loaded(loaded: Loaded, source: str) -> ParseResult:
    """Parse what the loader read, with its task tables and a .docx's cell boundaries."""
    from .parser import parse_lines

    return parse_lines(
        loaded.lines, source, loaded.tables, loaded.hard_breaks, loaded.not_body, loaded.page_starts
    )


def parse(src: str | os.PathLike[str]) -> ParseResult:
    """Parse a path (a PathLike, or a one-line str naming an existing file) or else report text."""
    if isinstance(src, os.PathLike):
        return parse_file(src)
    if "\n" not in src and len(src) < 4096 and os.path.isfile(src):
        return parse_file(src)
    return parse_text(src)
