"""Plain dataclasses for the engine's result; `to_dict` gives the JSON of PARSE.md §8."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["summary", "highlight", "problem", "plan", "other"]
SCHEMA_ID = "taizhang.parse/1"


@dataclass
class Section:
    heading: str
    level: int
    line: int
    role: Role = "other"
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "level": self.level,
            "line": self.line,
            "role": self.role,
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self) -> list[Section]:
        """This section and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Milestone:
    """A node of a task read from a task table: its date as written (`6月底前`, `3月底`; "" when the
    cell names none) and what is due then."""

    date: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "text": self.text}


@dataclass
class Item:
    """A task (plan part) or a problem (problem part). Tasks read from a task table also carry its
    columns as written (`lead_unit` is None for every other task)."""

    line: int
    text: str
    path: list[str] = field(default_factory=list)
    lead_unit: str | None = None
    co_units: list[str] = field(default_factory=list)
    leader: str = ""
    deadline: str = ""
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def from_table(self) -> bool:
        return self.lead_unit is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "text": self.text, "path": list(self.path)}
        if self.lead_unit is not None:
            out["lead_unit"] = self.lead_unit
            out["co_units"] = list(self.co_units)
            out["leader"] = self.leader
            out["deadline"] = self.deadline
            out["milestones"] = [m.to_dict() for m in self.milestones]
        return out


@dataclass
class Indicator:
    line: int
    name: str
    value: str
    unit: str
    change: str | None = None
    rank: str | None = None
    kind: Literal["actual", "target"] = "actual"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "name": self.name, "value": self.value, "unit": self.unit}
        if self.change:
            out["change"] = self.change
        if self.rank:
            out["rank"] = self.rank
        out["kind"] = self.kind
        return out


@dataclass(slots=True)
class Paragraph:
    """A body line of a document as the engine read it (not in the JSON): `text` is the whole line,
    enumerator included, with lines broken mid-sentence joined onto it; `role` is its section's
    (the document's default part, `summary` or `plan`, above the first heading); `heading` is true
    for a heading standing alone on its line, false for a run-in heading with its body."""

    line: int
    text: str
    role: Role
    heading: bool = False
    section_line: int = 0  # the line of the heading it stands under (0: above every heading)


@dataclass
class Document:
    title: str
    line: int
    unit: str = ""
    summary_period: str | None = None
    plan_period: str | None = None
    sections: list[Section] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    problems: list[Item] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    placeholders: int = 0
    end_line: int = 0  # last line that belongs to the document (not in the JSON)
    # The plan period the title names when the body plans for another (`…2022年工作计划` over
    # `明年，我们将…`): plan_period follows the body, lint reports the title. Not in the JSON.
    title_plan_period: str | None = None
    plan_period_word: str | None = None  # the body's word for it (`下一年`), for lint's message
    # Every body line in order, with its section's role: what search indexes and 对账 reads.
    paragraphs: list[Paragraph] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "line": self.line,
            "unit": self.unit,
            "summary_period": self.summary_period,
            "plan_period": self.plan_period,
            "sections": [s.to_dict() for s in self.sections],
            "tasks": [t.to_dict() for t in self.tasks],
            "problems": [p.to_dict() for p in self.problems],
            "indicators": [i.to_dict() for i in self.indicators],
            "placeholders": self.placeholders,
        }


@dataclass
class ParseResult:
    source: str
    documents: list[Document] = field(default_factory=list)
    lines: list[str] = field(default_factory=list, repr=False)  # the cleaned input lines, 0-based
    raw_lines: list[str] = field(default_factory=list, repr=False)  # the lines as given (lint reads these)

    def to_dict(self) -> dict[str, Any]:
        return {**self._head(), "documents": [d.to_dict() for d in self.documents]}

    def _head(self) -> dict[str, Any]:
        return {"schema": SCHEMA_ID, "source": self.source}

    def json_chunks(self) -> Iterator[str]:
        """`json.dumps(self.to_dict(), ensure_ascii=False)` in pieces, one document at a time: the
        JSON of a large compilation is never one string (nor its dicts all built at once), which
        spares the memory and the page faults of both (a seventh of the output's cost on 30 MB)."""
        head = json.dumps({**self._head(), "documents": []}, ensure_ascii=False)
        yield head[: -len("]}")]  # the list's brackets as json writes them, its items in between
        for i, doc in enumerate(self.documents):
            # A document is a tree of fresh dicts and lists: no check for cycles.
            yield (", " if i else "") + json.dumps(doc.to_dict(), ensure_ascii=False, check_circular=False)
        yield "]}"
