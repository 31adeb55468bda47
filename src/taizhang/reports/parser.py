"""Top-level pipeline: lines -> documents -> heading tree -> tasks, problems, indicators."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .clean import clean_line
from .indicators import count_placeholders, find_indicators
from .items import collect
from .model import Document, Item, ParseResult, Role
from .structure import DocSpan, Node, assign_roles, build_tree, find_documents
from .tables import TaskTable
from .titles import analyse_title, unit_from_body


def parse_lines(lines: list[str], source: str = "<text>", tables: Sequence[TaskTable] = ()) -> ParseResult:
    """Documents of the input lines. `tables` are the task tables the reader found among them
    (`tables.read_task_table`): their rows are the tasks of the lines they cover."""
    cleaned = [clean_line(line) for line in lines]
    spans, header_year = find_documents(cleaned)
    spans = _spans_for_tables(spans, tables, len(cleaned))
    result = ParseResult(source=source, lines=cleaned, raw_lines=list(lines))
    for span in spans:
        inside = [t for t in tables if span.line <= t.start_line <= span.end]
        result.documents.append(_document(cleaned, span.title, span.line, span.end, header_year, inside))
    return result


def _spans_for_tables(spans: list[DocSpan], tables: Sequence[TaskTable], count: int) -> list[DocSpan]:
    """A task table outside every document (a workbook whose title row names no period, a table
    without a title) is a plan-only document of its own, titled by its title row."""
    out = list(spans)
    for table in tables:
        if not table.rows or any(s.line <= table.start_line <= s.end for s in out):
            continue
        line = table.title_line or table.start_line
        later = [s.line for s in out if s.line > line]
        end = min(later) - 1 if later else count
        out.append(DocSpan(table.title, line, max(end, table.end_line)))
        out.sort(key=lambda s: s.line)
    return out


def _year_in(text: str) -> str | None:
    m = re.search(r"(\d{4})\s*年", text)
    return m.group(1) if m else None


def _document(
    cleaned: list[str],
    title: str,
    line: int,
    end: int,
    header_year: str | None,
    tables: Sequence[TaskTable] = (),
) -> Document:
    info = analyse_title(title, header_year)
    root = build_tree(cleaned, DocSpan(title, line, end))
    plan_only = not info.has_summary and (info.has_plan or bool(tables))
    default: Role = "plan" if plan_only else "summary"
    assign_roles(root, default)

    doc = Document(title=title, line=line, end_line=end, unit=info.unit)
    doc.summary_period, doc.plan_period = info.summary_period, info.plan_period
    _complete_periods(doc, root, info.year)
    if not doc.unit:
        body = [p.text for node in root.walk() for p in node.paras][:3]
        doc.unit = unit_from_body(body)
    doc.sections = [c.section for c in root.children if c.section is not None]
    doc.tasks = collect(root, "plan")
    if tables:
        doc.tasks = _table_tasks(doc.tasks, root, tables, default)
    doc.problems = collect(root, "problem")
    plan_lines = _lines_with_role(root, "plan")
    doc.indicators = find_indicators(cleaned, line + 1, end, plan_lines)
    doc.placeholders = count_placeholders(cleaned[line - 1 : end])
    return doc


def _table_tasks(tasks: list[Item], root: Node, tables: Sequence[TaskTable], default: Role) -> list[Item]:
    """A task table's rows replace what its cells read as paragraphs; a table under a heading takes
    the heading's path. A table in a summary part lists done work, not tasks: only its cell
    paragraphs are dropped."""
    out = [t for t in tasks if not any(table.covers(t.line) for table in tables)]
    for table in tables:
        node = _node_at(root, table.start_line)
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


def _lines_with_role(root: Node, role: Role) -> set[int]:
    out: set[int] = set()
    for node in root.walk():
        if node.section is not None and node.role == role:
            out.add(node.section.line)
            out.update(p.line for p in node.paras)
    return out


def _complete_periods(doc: Document, root: Node, title_year: str | None) -> None:
    """A period the title leaves open is taken from the part's own heading, or from its neighbour."""
    tops = [c for c in root.walk() if c.section is not None]
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
