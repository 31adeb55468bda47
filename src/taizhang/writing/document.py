"""A generated document as plain blocks, before it is a .docx or Markdown (``render``).

The composers (``bulletin_doc``, ``draft``) say *what* a document holds — a title, headings by
level, paragraphs, tables, the sign-off — and nothing of how it looks: that is the layout's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from taizhang.reports.numbering import chinese_numeral


@dataclass(frozen=True)
class Masthead:
    """版头: 发文机关标志 and, when the document has one, its 发文字号 (督查通报〔2026〕11号)."""

    issuer: str
    number: str = ""


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Addressee:
    """主送机关, followed by a colon (各责任单位：)."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A heading with its enumerator in the text (一、… （一）… 1.… （1）…)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths (equal when empty)
    centred: tuple[int, ...] = ()  # columns whose cells are centred (numbers, dates)


@dataclass(frozen=True)
class Signoff:
    """发文机关署名 and 成文日期."""

    issuer: str
    date: dt.date


Block = Masthead | Title | Addressee | Heading | Paragraph | Table | Signoff


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    author: str = ""


def enumerator(level: int, n: int) -> str:
    """The enumerator of the ``n``-th heading of ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


class Outline:
    """Numbers headings as they are added: ``outline.heading(1, "总体情况")`` → 一、总体情况, and a
    level-1 heading restarts the numbering below it."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]

    def heading(self, level: int, text: str) -> Heading:
        self.counts[level - 1] += 1
        for deeper in range(level, len(self.counts)):
            self.counts[deeper] = 0
        return Heading(level, f"{enumerator(level, self.counts[level - 1])}{text}")
