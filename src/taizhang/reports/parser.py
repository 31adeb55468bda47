"""Top-level pipeline: lines -> documents -> heading tree -> tasks, problems, indicators."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from .clean import clean_lines
from .indicators import count_placeholders, find_indicators
from .items import collect
from .model import Document, Item, Paragraph, ParseResult, Role
from .rejoin import Joined, rejoin
from .structure import DocSpan, Node, assign_roles, build_tree, find_documents
from .titles import analyse_title, unit_from_body

if TYPE_CHECKING:  # task tables come from a .docx or .xlsx, whose reader imports them
    from .tables import TaskTable


def parse_lines(
    lines: list[str],
    source: str = "<text>",
    tables: Sequence[TaskTable] = (),
    hard_breaks: Iterable[int] = (),
    not_body: Iterable[int] = (),
    page_starts: Iterable[int] = (),
) -> ParseResult:
    """Documents of the input lines. `tables` are the task tables the reader found among them
    (`tables.read_task_table`): their rows are the tasks of the lines they cover. `hard_breaks`
    are lines that never continue the line before (a .docx table cell's first line); `not_body` are
    lines read as a table's tasks only (a .docx task table's rows); `page_starts` open a new page
    (a title there needs no blank line above it)."""
    # A parse allocates many small objects and frees few: the cyclic collector would rescan them
    # again and again (a tenth of the time on a large compilation). Collection resumes after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(lines, source, tables, hard_breaks, not_body, page_starts)
    finally:
        if collecting:
            gc.enable()


def _parse(
    lines: list[str],
    source: str,
    tables: Sequence[TaskTable],
    hard_breaks: Iterable[int],
    not_body: Iterable[int],
    page_starts: Iterable[int],
) -> ParseResult:
    cleaned = clean_lines(lines)
    pages = set(page_starts)
    joined = rejoin(cleaned, set(hard_breaks) | pages)
    text, moved = joined.lines, joined.moved
    for n in not_body:
        if 0 < n <= len(text) and text[n - 1]:
            text[n - 1] = ""
            moved.add(n)  # gone from the text, but no blank line either
    spans, header_year = find_documents(text, moved, pages)
    spans = _spans_for_tables(spans, tables, len(cleaned))
    result = ParseResult(source=source, lines=cleaned, raw_lines=list(lines))
    for span in spans:
        inside = [t for t in tables if _owner(spans, t.start_line) is span]
        result.documents.append(_document(text, span, header_year, inside))
    if joined.pieces:
        _indicators_where_written(result.documents, joined)
    return result


def _indicators_where_written(documents: list[Document], joined: Joined) -> None:
    """An indicator in a joined line keeps the line its value is written on (a task or problem
    takes the first line's number, PARSE.md §1; a figure is found where it stands)."""
    for doc in documents:
        for ind in doc.indicators:
            if ind.line not in joined.pieces:
                continue
            line_text = joined.lines[ind.line - 1]
            at = line_text.find(ind.name) if ind.name else -1
            at = line_text.find(ind.value, max(at, 0))
            if at >= 0:
                ind.line = joined.origin(ind.line, at)


def _spans_for_tables(spans: list[DocSpan], tables: Sequence[TaskTable], count: int) -> list[DocSpan]:
    """A task table belongs to the document before it, which reaches to the table's end (a span
    ends at its last text line, and a .docx task table's rows are no text lines). A table before
    every document (a workbook whose title row names no period, a table without a title) is a
    plan-only document of its own, titled by its title row."""
    out = list(spans)
    for table in tables:
        if not table.rows:
            continue
        owner = _owner(out, table.start_line)
        if owner is not None:
            later = [s.line for s in out if s.line > owner.line]
            owner.end = max(owner.end, min(table.end_line, min(later) - 1 if later else count))
            continue
        line = table.title_line or table.start_line
        later = [s.line for s in out if s.line > line]
        end = min(later) - 1 if later else count
        out.append(DocSpan(table.title, line, max(end, table.end_line)))
        out.sort(key=lambda s: s.line)
    return out


def _owner(spans: Sequence[DocSpan], line: int) -> DocSpan | None:
    """The document a line belongs to: the last one starting at or before it."""
    return max((s for s in spans if s.line <= line), key=lambda s: s.line, default=None)


def _year_in(text: str) -> str | None:
    m = re.search(r"(\d{4})\s*年", text)
    return m.group(1) if m else None


def _document(
    cleaned: list[str],
    span: DocSpan,
    header_year: str | None,
    tables: Sequence[TaskTable] = (),
) -> Document:
    title, line, end = span.title, span.line, span.end
    info = analyse_title(title, header_year)
    root = build_tree(cleaned, span)
    plan_only = not info.has_summary and (info.has_plan or bool(tables))
    default: Role = "plan" if plan_only else "summary"
    assign_roles(root, default)

    doc = Document(title=title, line=line, end_line=end, unit=info.unit)
    doc.summary_period, doc.plan_period = info.summary_period, info.plan_period
    nodes = root.walk()  # in document order, read by each pass below
    _complete_periods(doc, nodes, info.year)
    _body_plans_next_year(doc, root)
    if not doc.unit:
        body = list(islice((p.text for node in nodes for p in node.paras), 3))
        doc.unit = span.letterhead_unit or unit_from_body(body)
    doc.sections = [c.section for c in root.children if c.section is not None]
    doc.tasks = collect(root, "plan", nodes)
    if tables:
        doc.tasks = _table_tasks(doc.tasks, root, tables, default)
    doc.problems = collect(root, "problem", nodes)
    doc.paragraphs = _paragraphs(cleaned, root, default)
    plan_lines = _lines_with_role(nodes, "plan")
    doc.indicators = find_indicators(cleaned, line + 1, end, plan_lines)
    doc.placeholders = count_placeholders(cleaned[line - 1 : end])
    for node in nodes:
        node.parent = None  # no cycles left: the tree is freed now, the collector being paused
    return doc


def _paragraphs(cleaned: list[str], root: Node, default: Role) -> list[Paragraph]:
    """Every body line of the tree in document order: a heading's line (with its run-in body), then
    the paragraphs under it, then its sub-sections (the order `build_tree` read them in). An
    un-headed problem passage (found by `collect`, run before) is `problem` wherever it stands."""

    def paras(node: Node, own: Role, at: int) -> list[Paragraph]:
        # A node's paragraphs take its role, but those of a problem passage (looked up only in a
        # node that has one: the common case is one list with no call per paragraph).
        passage = node.passage_lines
        if not passage:
            return [Paragraph(p.line, p.text, own, False, at) for p in node.paras]
        return [
            Paragraph(p.line, p.text, "problem" if p.line in passage else own, False, at) for p in node.paras
        ]

    out = paras(root, default, 0)
    stack = list(reversed(root.children))
    while stack:
        node = stack.pop()
        section = node.section
        assert section is not None
        line = section.line
        out.append(Paragraph(line, cleaned[line - 1], section.role, not node.body, line))
        out.extend(paras(node, section.role, line))
        stack.extend(reversed(node.children))
    return out


def _table_tasks(tasks: list[Item], root: Node, tables: Sequence[TaskTable], default: Role) -> list[Item]:
    """A task table's rows replace what its cells read as paragraphs; a table under a heading takes
    the heading's path. A table in a summary part lists done work, not tasks: only its cell
    paragraphs are dropped."""
    out = [t for t in tasks if not any(table.covers(t.line) for table in tables)]
    for table in tables:
        node = _node_at(root, table.start_line)
        if node is not None and node.section is not None and not node.body and not node.children:
            # A heading whose content is the table (`二、重点任务` over it) is no task of its own.
            heading = node.section.line
            out = [t for t in out if not (t.line == heading and not node.paras)]
        if (node.role if node is not None else default) == "plan":
            out.extend(table.items(node.path() if node is not None else []))
    out.sort(key=lambda t: t.line)
    return out


def _node_at(root: Node, line: int) -> Node | None:
    """The deepest section whose heading comes before `line` (the section `line` belongs to)."""
    found: Node | None = None
    for node in root.walk():
        if node.section is not None and node.section.line <= line:
            found = node
    return found


def _lines_with_role(nodes: list[Node], role: Role) -> set[int]:
    out: set[int] = set()
    for node in nodes:
        section = node.section
        if section is not None and section.role == role:
            out.add(section.line)
            out.update([p.line for p in node.paras])
    return out


def _complete_periods(doc: Document, nodes: list[Node], title_year: str | None) -> None:
    """A period the title leaves open is taken from the part's own heading, or from its neighbour."""
    tops = [c for c in nodes if c.section is not None]
    if doc.plan_period is None:
        plan = next((n for n in tops if n.role == "plan"), None)
        if plan is not None and plan.section is not None:
            heading = plan.section.heading
            year = _year_in(heading)
            if "下半年" in heading:
                base = year or (doc.summary_period or title_year or "")[:4]
                doc.plan_period = base + "H2" if base else None
            elif year:
                doc.plan_period = year
            elif doc.summary_period:
                s = doc.summary_period
                doc.plan_period = s[:4] + "H2" if s.endswith("H1") else str(int(s[:4]) + 1)
    if doc.summary_period is None:
        summary = next((n for n in tops if n.role in ("summary", "highlight")), None)
        if summary is not None and summary.section is not None:
            year = _year_in(summary.section.heading)
            if year:
                doc.summary_period = year


_NEXT_YEAR = re.compile(r"下一年|明年|来年")
_NEXT_YEAR_OPENING = re.compile(r"^(?:下一年|明年|来年)")


def _body_plans_next_year(doc: Document, root: Node) -> None:
    """A title whose plan year contradicts a body that plans for 明年 / 下一年: the body wins (§3)."""
    summary = doc.summary_period
    if not summary or not summary.isdigit() or not doc.plan_period:
        return
    next_year = str(int(summary) + 1)
    if doc.plan_period == next_year:
        return
    for node in root.children:
        if node.section is None or node.role != "plan":
            continue
        heading = node.title_text
        opening = node.body or (node.paras[0].text if node.paras else "")
        said = (_NEXT_YEAR.search(heading) if not _year_in(heading) else None) or _NEXT_YEAR_OPENING.match(
            opening
        )
        if said:
            doc.title_plan_period, doc.plan_period = doc.plan_period, next_year
            doc.plan_period_word = said.group()
            return
