"""Top-level pipeline: lines -> documents -> heading tree -> tasks, problems, indicators."""

from __future__ import annotations

import re

from .clean import clean_line
from .indicators import count_placeholders, find_indicators
from .items import collect
from .model import Document, ParseResult, Role
from .structure import DocSpan, Node, assign_roles, build_tree, find_documents
from .titles import analyse_title, unit_from_body


def parse_lines(lines: list[str], source: str = "<text>") -> ParseResult:
    cleaned = [clean_line(line) for line in lines]
    spans, header_year = find_documents(cleaned)
    result = ParseResult(source=source, lines=cleaned, raw_lines=list(lines))
    for span in spans:
        result.documents.append(_document(cleaned, span.title, span.line, span.end, header_year))
    return result


def _year_in(text: str) -> str | None:
    m = re.search(r"(\d{4})\s*年", text)
    return m.group(1) if m else None


def _document(cleaned: list[str], title: str, line: int, end: int, header_year: str | None) -> Document:
    info = analyse_title(title, header_year)
    root = build_tree(cleaned, DocSpan(title, line, end))
    default: Role = "summary" if info.has_summary or not info.has_plan else "plan"
    assign_roles(root, default)

    doc = Document(title=title, line=line, end_line=end, unit=info.unit)
    doc.summary_period, doc.plan_period = info.summary_period, info.plan_period
    _complete_periods(doc, root, info.year)
    if not doc.unit:
        body = [p.text for node in root.walk() for p in node.paras][:3]
        doc.unit = unit_from_body(body)
    doc.sections = [c.section for c in root.children if c.section is not None]
    doc.tasks = collect(root, "plan")
    doc.problems = collect(root, "problem")
    plan_lines = _lines_with_role(root, "plan")
    doc.indicators = find_indicators(cleaned, line + 1, end, plan_lines)
    doc.placeholders = count_placeholders(cleaned[line - 1 : end])
    return doc


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
