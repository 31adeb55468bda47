"""Top-level pipeline: lines -> documents -> sections -> tasks, problems, indicators."""

from __future__ import annotations

from .model import ParseResult


def parse_lines(lines: list[str], source: str = "<text>") -> ParseResult:
    return ParseResult(source=source, documents=[], lines=list(lines))
