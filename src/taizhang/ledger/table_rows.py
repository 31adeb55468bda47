"""A row of a task table, as the engine read it (`taizhang.reports.tables`: fields as written), in the
ledger's terms: units matched by name, the leader kept, the deadline and the node dates parsed.

One reading serves the plan import (a task table in a .docx or an .xlsx: the table's columns outrank
suggestions from the task's text) and the Excel 台账 import (which reports every problem per row and
saves nothing until all rows are clean).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from taizhang.accounts.models import Unit
from taizhang.ledger.suggest.dates import guess_deadline, parse_date_text
from taizhang.ledger.suggest.units import names_of, resolve_unit_names
from taizhang.reports import Milestone

MAX_LEADER = 100
MAX_MILESTONE_TEXT = 300  # Milestone.description
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass
class MilestoneDraft:
    due_on: dt.date
    description: str
    written: str = ""  # the date as the table writes it ("6月底前"), read again if the plan year changes


@dataclass
class RowFields:
    lead: Unit | None = None
    co: list[Unit] = field(default_factory=list)
    leader: str = ""
    deadline: dt.date | None = None  # None when the row names none (the caller picks a default)
    milestones: list[MilestoneDraft] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(
        default_factory=list
    )  # (lead | co | leader | deadline | node, 中文)


def _excel_day(value: float) -> dt.date | None:
    """An Excel serial day number (46203 → 2026-06-30) within 2000–2100: a date cell formatted as a number."""
    if not 36526 <= value <= 73051:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))


def parse_deadline(text: str, year: int) -> tuple[dt.date | None, str]:
    """(date, "") or (None, a Chinese reason) for a date as written in a cell: "6月底前",
    "2026年6月30日", "2026-06-30", "二季度", "年底前", "3月底前完成招标；8月底前完工" (the last date),
    46203 (an Excel day number). "" → (None, "")."""
    text = (text or "").strip()
    if not text:
        return None, ""
    if _NUMBER.match(text):
        day = _excel_day(float(text)) if "." not in text else None
        return (day, "") if day else (None, f"“{text}”不是日期")
    day = parse_date_text(text, year) or guess_deadline(text, year)
    if day is None:
        return None, f"无法识别“{text}”（可写 {year}年6月30日、{year}-06-30 或 6月底）"
    if day < dt.date(year, 1, 1):
        return None, f"{day:%Y年%m月%d日}早于计划年度（{year}年）"
    return day, ""


class TableFields(Protocol):
    """A task table's row as the engine gives it: `reports.TaskRow`, or a task `reports.Item` read
    from a table."""

    @property
    def lead_unit(self) -> str | None: ...
    @property
    def co_units(self) -> list[str]: ...
    @property
    def leader(self) -> str: ...
    @property
    def deadline(self) -> str: ...
    @property
    def milestones(self) -> list[Milestone]: ...


def read_row(
    row: TableFields, units: Sequence[Unit], year: int, names: dict[str, list[Unit]] | None = None
) -> RowFields:
    """The row's fields matched and parsed; what cannot be is listed in ``problems`` and left empty.
    Several lead units: the first leads, the others co-operate. No deadline: the last node's date."""
    names = names if names is not None else names_of(units)
    lead, co, deadline = row.lead_unit or "", "、".join(row.co_units), row.deadline
    out = RowFields(leader=row.leader.strip())
    if len(out.leader) > MAX_LEADER:
        out.problems.append(("leader", f"责任领导不能超过 {MAX_LEADER} 字"))
        out.leader = out.leader[:MAX_LEADER]
    leads: list[Unit] = []
    if lead.strip():
        leads, problems = resolve_unit_names(lead, units, names)
        out.problems.extend(("lead", p) for p in problems)
    co_units, problems = resolve_unit_names(co, units, names)
    out.problems.extend(("co", p) for p in problems)
    out.lead = leads[0] if leads else None
    for unit in [*leads[1:], *co_units]:
        if unit != out.lead and unit not in out.co:
            out.co.append(unit)
    out.deadline, problem = parse_deadline(deadline, year)
    if problem:
        out.problems.append(("deadline", problem))
    for node in row.milestones:
        due, problem = parse_deadline(node.date, year)
        if problem:
            out.problems.append(("node", f"节点{problem}"))
            continue
        description = (node.text or node.date).strip()[:MAX_MILESTONE_TEXT]
        if description:
            due = due or out.deadline or dt.date(year, 12, 31)
            out.milestones.append(MilestoneDraft(due, description, node.date.strip()))
    if out.deadline is None and not deadline.strip():
        out.deadline = max((m.due_on for m in out.milestones), default=None)
    return out
