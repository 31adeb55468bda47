"""Lines broken mid-sentence, joined again (PARSE.md §1).

Text pasted from a PDF or a narrow column, and WPS paragraphs broken with 手动换行, end lines
where no sentence ends: `全年实现旅游收入x.x亿` / `元，同比增长x%。`. A line that does not end a
sentence (`。；：！？`, a closing bracket) and is followed, with no blank line between, by a
line that starts no heading, enumerator, title or label is joined with it. The joined text
takes the first line's number; the lines moved up are left empty and reported, so that
nothing is renumbered and the document finder does not mistake them for blank lines.

Titles, headings on a line of their own (`（一）加强队伍建设`, also with a comma inside) and short
label lines are never glued: only a line that reads as running text (it ends in a comma, or a
sentence already ended inside it, or it is as long as a printed line) or that stops inside a
value continues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .clean import is_advert, is_compilation_header, strip_pian_prefix
from .enumerators import find_runins, match_enumerator, runin_at_start
from .structure import _standalone_heading
from .titles import is_letterhead, looks_like_title

# A sentence, clause list or bracket closes here: the line is complete.
_ENDS_LINE = "。；;：:！!？?…）)」』”’】〕》]}"
# A line ending in one of these stops mid-clause.
_MID_CLAUSE = "，,、（(“‘《【〔—-"
_SENTENCE_INSIDE = re.compile(r"[。；;：:！!？?]")
_PUNCT = re.compile(r"[，,。；;：:、！!？?]")
PRINTED_LINE = 25
"""A line this long without a final stop reads as running text (GB/T 9704 sets 28 characters a line)."""
SHORT_LABEL = 15
"""A following line this short without punctuation is a label (`总体思路`, a date, a signature)."""
_VALUE_TAIL = re.compile(r"[0-9０-９xX.．]$|[0-9０-９xX][亿万千百]$")
_VALUE_HEAD = re.compile(r"^(?:[0-9０-９xX.．%％‰]|[亿万千百]?元|个百分点|万|亿)")
# A line that opens with an amount (`6.5%，高于…`, `xx人，惠及…`) continues a clause: paragraphs
# open with a year (`2023年，…`) or an enumerator (`1.`), never with a bare quantity.
_QUANTITY_HEAD = re.compile(
    r"^(?:[0-9０-９]+|[xX]+)(?:[.．][0-9０-９xX]+)?"
    r"(?:%|％|‰|个百分点|[亿万千百]|元|人|个|家|项|次|场|户|名|所|条|公里|千米|米|亩|吨|台|辆|件|篇|批|处|座|套|间|余|多)"
)
_CIRCLED = re.compile(r"^[①-⑳]")
# How paragraphs of the genre open (`2024年，我局将…`, `同时，…`): a line opening so follows a
# paragraph whose final stop was left out, it does not continue a sentence.
_PARAGRAPH_OPENER = re.compile(
    r"^(?:(?:\d{4}|[xX]{4})年(?:以来|来|上半年|下半年|度)?|今年以来|一年来|近年来|"
    r"第[一二三四五六七八九十]+|首先|其次|再次|最后|此外|同时|另外|总之)[，,]"
)


def _mid_value(a: str, b: str) -> bool:
    """`…x.x亿` + `元…`, `…增长` + `6.5%…`: a number or an amount cut off its clause."""
    # `_VALUE_TAIL` ends at the line's end (or before a final line end) and is two characters at most:
    # searched from there, not from the line's start.
    tail = _VALUE_TAIL.search(a, max(len(a) - 3, 0))
    return bool(tail and _VALUE_HEAD.match(b)) or bool(_QUANTITY_HEAD.match(b))


def _heading_line(text: str) -> bool:
    """A heading that stands on its line: enumerated with no body after it, or a part label."""
    enum = match_enumerator(text)
    if enum is not None:
        return not _SENTENCE_INSIDE.search(text, enum.end)
    return _standalone_heading(text)


def _closed(text: str) -> bool:
    """The line can end here: a title, a heading, an advert, a letterhead line."""
    candidate = strip_pian_prefix(text)
    return (
        looks_like_title(candidate)
        or is_compilation_header(text)
        or is_advert(text)
        or is_letterhead(text)
        or _heading_line(text)
    )


def _opens(text: str) -> bool:
    """The line starts something of its own: a heading, an enumerated item, a title, a label."""
    if match_enumerator(text) is not None or _CIRCLED.match(text) or _PARAGRAPH_OPENER.match(text):
        return True
    if runin_at_start(text):
        runins = find_runins(text, allow_continue=True)
        if runins and runins[0].start == 0:
            return True
    return _closed(text)


def continues(a: str, b: str) -> bool:
    """Whether line `b` (cleaned, non-empty) continues line `a` (cleaned, non-empty)."""
    if a[-1] in _ENDS_LINE:
        return False
    value = _mid_value(a, b)
    if not value:
        if a[-1] not in _MID_CLAUSE and not _SENTENCE_INSIDE.search(a) and len(a) < PRINTED_LINE:
            return False  # a short line that ends nowhere in particular: a heading or a label
        if len(b) <= SHORT_LABEL and not _PUNCT.search(b):
            return False
    if a[-1] not in "，,、" and _closed(a):
        return False
    return not _opens(b)


@dataclass
class Joined:
    lines: list[str]  # the lines, broken ones joined onto the first (1-based numbering kept)
    moved: set[int] = field(default_factory=set)  # 1-based lines moved up (now empty, no blank line)
    pieces: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """For each joined line (1-based): (offset in its text, 1-based line it came from) per piece."""

    def origin(self, line: int, offset: int) -> int:
        """The input line that holds character `offset` of joined line `line`."""
        found = line
        for start, source in self.pieces.get(line, ()):
            if start > offset:
                break
            found = source
        return found


def rejoin(cleaned: list[str], hard_breaks: Iterable[int] = ()) -> Joined:
    """Broken lines joined onto the line they continue. `hard_breaks` are 1-based lines that
    never continue the line before (the first line of a table cell)."""
    hard = set(hard_breaks)
    out = Joined(list(cleaned))
    lines = out.lines
    head = -1  # index of the line being extended
    for i, text in enumerate(cleaned):
        if not text:
            head = -1
            continue
        if head >= 0 and (i + 1) not in hard and continues(lines[head], text):
            out.pieces.setdefault(head + 1, [(0, head + 1)]).append((len(lines[head]), i + 1))
            lines[head] += text
            lines[i] = ""
            out.moved.add(i + 1)
            continue
        head = i
    return out
