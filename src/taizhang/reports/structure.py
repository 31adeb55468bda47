"""Documents and the heading tree (PARSE.md §3, §4).

The tree is built over internal nodes that keep each heading's run-in body and its
paragraphs; tasks, problems and indicators are read from them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import has_pian_prefix, is_advert, is_compilation_header, strip_pian_prefix
from .enumerators import (
    Candidates,
    RunIn,
    best_runins,
    find_runins,
    match_enumerator,
    may_open_runin,
    runin_candidates,
)
from .lazyre import lazy
from .model import Role, Section
from .roles import child_role, heading_role
from .titles import is_joint_mark, is_letterhead, issuer_name, letterhead_unit, looks_like_title


@dataclass
class Para:
    line: int  # 1-based
    text: str
    # What the item readers ask of a paragraph again and again (tasks and problems read the same
    # paragraphs): computed once, on first use.
    _runins: Candidates | None = field(default=None, repr=False, compare=False)

    def runins(self, allow_continue: bool = False) -> list[RunIn]:
        """`find_runins(self.text, allow_continue)`, the paragraph scanned once."""
        if self._runins is None:
            self._runins = runin_candidates(self.text)
        return best_runins(self._runins, allow_continue) if self._runins else []


@dataclass
class Node:
    section: Section | None  # None for the document root
    number: int = 0
    body: str = ""  # run-in body after the heading on the same line
    title_text: str = ""  # heading without its enumerator
    full: str = ""  # the whole line without its enumerator (heading, terminator and body)
    paras: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    # Lines of problem passages among `paras` (`items._problem_passage_spans`), read for tasks and
    # for problems alike: found once.
    passage_lines: set[int] | None = field(default=None, repr=False)

    @property
    def role(self) -> Role:
        return self.section.role if self.section else "other"

    def path(self) -> list[str]:
        out: list[str] = []
        node: Node | None = self
        while node is not None and node.section is not None:
            out.append(node.section.heading)
            node = node.parent
        return out[::-1]

    def walk(self) -> list[Node]:
        """This node and its descendants in document order (a stack, not recursion: it is called
        several times a document)."""
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            if node.children:
                stack.extend(reversed(node.children))
        return out


@dataclass
class DocSpan:
    title: str
    line: int  # 1-based title line
    end: int  # 1-based last line (inclusive)
    letterhead_unit: str = ""  # the unit of a letterhead above the title (`xx局文件`)


_TERMINATOR = lazy(r"[。：:]")
_FINAL_PUNCT = "。；;，,：:！？!?"


def find_documents(
    cleaned: list[str], moved: set[int] | None = None, page_starts: set[int] | None = None
) -> tuple[list[DocSpan], str | None]:
    """Title lines split the file into documents; headers, adverts and letterheads belong to none.

    `moved` are lines joined onto the line before them (empty now, but no blank line);
    `page_starts` open a new page in Word, a boundary like a blank line."""
    spans: list[DocSpan] = []
    header_year: str | None = None
    prev_blank = True
    prev_header = False
    current: DocSpan | None = None
    for i, text in enumerate(cleaned):
        n = i + 1
        if not text:
            if not moved or n not in moved:
                prev_blank = True
            continue
        if page_starts and n in page_starts:
            prev_blank = True
        if is_advert(text):
            if current is not None and current.end >= n:
                current.end = n - 1
                current = None
            prev_blank, prev_header = False, False
            continue
        if is_compilation_header(text):
            m = re.search(r"(\d{4})\s*年", text)
            header_year = header_year or (m.group(1) if m else None)
            if current is not None:
                current.end = n - 1
                current = None
            prev_blank, prev_header = False, True
            continue
        pian = text[0] == "篇" and has_pian_prefix(text)
        candidate = strip_pian_prefix(text) if pian else text
        if (
            (prev_blank or prev_header or pian or not spans)
            and looks_like_title(candidate)
            and match_enumerator(candidate) is None
            and not is_letterhead(candidate)
        ):
            top, unit = _letterhead_above(cleaned, n, spans[-1].line if spans else 0)
            if current is not None:
                current.end = top - 1
            current = DocSpan(candidate, n, len(cleaned), unit)
            spans.append(current)
        # A title may follow its letterhead directly, as it follows a compilation header.
        prev_blank, prev_header = False, is_letterhead(text)
    for span in spans:
        while span.end > span.line and not cleaned[span.end - 1]:
            span.end -= 1
    return spans, header_year


LETTERHEAD_LINES = 8
"""How far above a title a letterhead block may reach (mark, number, rule, blank lines)."""


def _letterhead_above(cleaned: list[str], title: int, floor: int) -> tuple[int, str]:
    """(first line of the letterhead block above the 1-based `title` line, else `title`; its unit)."""
    top, unit = title, ""
    joint = False  # the line below is a joint letterhead's `文件` or one of its issuers
    n = title - 1
    while n > floor and title - n <= LETTERHEAD_LINES:
        text = cleaned[n - 1]
        if not text:
            joint = False  # a joint letterhead's lines stand together
        else:
            if is_letterhead(text):
                issuer = letterhead_unit(text)
                unit, joint = issuer or unit, issuer != ""
            elif is_joint_mark(text):
                # `文件` standing by itself right of the issuers' names (a joint letterhead, often
                # a table in Word): the names are on the lines above.
                joint = True
            elif joint and issuer_name(text):
                # Joint issuers stand one a line, the lead issuer (主办机关) first: it is the unit.
                unit = issuer_name(text)
            else:
                break
            top = n
        n -= 1
    return top, unit


def _split_heading(text: str, start: int) -> tuple[str, str]:
    """(heading, body): the heading ends at the first `。`/`：` or where a run-in list starts."""
    # Positions in `text` (the text after the enumerator is copied only to read a list in it).
    cut = len(text)
    m = _TERMINATOR.search(text, start)
    skip = 0
    if m:
        cut, skip = m.start(), 1
    # Only a list opening inside the heading's clause can end it earlier: the whole line is read
    # for its list only when one may open there.
    if may_open_runin(text, cut, start):
        runins = find_runins(text[start:])
        if runins and runins[0].start < cut - start and runins[0].start > 0:
            cut, skip = start + runins[0].start, 0
    heading = text[:cut].rstrip("，,；; ")
    body = text[cut + skip :].strip()
    return heading, body


def _standalone_heading(text: str) -> bool:
    """An un-numbered heading on a line of its own, such as `主要困难和问题`."""
    if len(text) > 30 or text[-1] in _FINAL_PUNCT or "，" in text or "。" in text:
        return False
    return heading_role(text) is not None


def build_tree(cleaned: list[str], span: DocSpan) -> Node:
    root = Node(section=None)
    stack: list[Node] = [root]
    last_level1 = 0
    for n in range(span.line + 1, span.end + 1):
        text = cleaned[n - 1]
        if not text:
            continue
        enum = match_enumerator(text)
        level = 0
        number = 0
        start = 0
        if enum is not None:
            level, number, start = enum.level, enum.number, enum.end
            # Structure wins over a mistyped form: `五.` is a new part only if it continues 一、…四、.
            if level == 1 and not enum.standard and number != last_level1 + 1:
                level = 0
        elif _standalone_heading(text):
            level = 1
        if not level:
            stack[-1].paras.append(Para(n, text))
            continue
        heading, body = _split_heading(text, start) if start else (text, "")
        while len(stack) > 1 and stack[-1].section is not None and stack[-1].section.level >= level:
            stack.pop()
        parent = stack[-1]
        section = Section(heading=heading, level=level, line=n)
        node = Node(
            section=section,
            number=number,
            body=body,
            title_text=heading[start:].strip(),
            full=text[start:].strip(),
            parent=parent,
        )
        parent.children.append(node)
        if parent.section is not None:
            parent.section.children.append(section)
        stack.append(node)
        if level == 1:
            last_level1 = number or last_level1
    return root


def assign_roles(root: Node, default: Role) -> None:
    """Top-level roles from their headings; thematic headings take the part they stand in."""
    part: Role = default
    for top in root.children:
        assert top.section is not None
        named = heading_role(top.title_text)
        if named is not None:
            top.section.role = named
            if named in ("summary", "plan"):
                part = named
        else:
            top.section.role = part
        _inherit(top)


def _inherit(node: Node) -> None:
    for child in node.children:
        assert child.section is not None and node.section is not None
        child.section.role = child_role(child.title_text, node.section.role)
        _inherit(child)
