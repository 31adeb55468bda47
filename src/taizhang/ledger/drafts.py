"""From the document engine's result to task drafts: titles, codes, and the suggested units, leader
and deadline of each task (the rules that read those from the task's text are in
``taizhang.ledger.suggest``).

The import screens show these drafts for the supervisor to correct before
``services.create_plan_with_tasks`` saves them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taizhang.accounts.models import Unit
from taizhang.ledger.suggest.dates import guess_deadline
from taizhang.ledger.suggest.leaders import guess_leader
from taizhang.ledger.suggest.units import names_of, suggest_units
from taizhang.ledger.table_rows import MilestoneDraft, parse_deadline, read_row
from taizhang.reports import Item, ParseResult

# --- drafts -------------------------------------------------------------------------------------


@dataclass
class TaskDraft:
    seq: int
    code: str
    category_path: list[str]
    title: str
    content: str
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)
    leader_name: str = ""
    deadline: dt.date | None = None
    source_line: int | None = None
    milestones: list[MilestoneDraft] = field(default_factory=list)
    deadline_text: str = ""  # the deadline as a task table writes it (read again when the year changes)


_TITLE_END = re.compile(r"[，。；：:;,]")


def task_title(text: str, limit: int = 60) -> str:
    """The task's first clause ("推进重大项目建设，全年…" → "推进重大项目建设"), at most ``limit`` chars."""
    head = _TITLE_END.split(text.strip(), maxsplit=1)[0].strip()
    head = head or text.strip()
    return head if len(head) <= limit else head[: limit - 1] + "…"


# --- from the engine to drafts ------------------------------------------------------------------


def number_drafts(drafts: Sequence[TaskDraft]) -> None:
    """Set each draft's code from its category path ("3.2" = second task under the third heading),
    leaving out heading levels that every task shares (a single "一、重点工作安排" adds nothing)."""
    numbering: list[list[int]] = []
    ordinals: dict[tuple[str, ...], dict[str, int]] = {}
    for draft in drafts:
        path = list(draft.category_path)
        numbers = []
        for depth in range(len(path)):
            siblings = ordinals.setdefault(tuple(path[:depth]), {})
            numbers.append(siblings.setdefault(path[depth], len(siblings) + 1))
        leaf = ordinals.setdefault(tuple(path), {})
        numbers.append(leaf.setdefault(f"\0task{len(leaf)}", len(leaf) + 1))
        numbering.append(numbers)
    shared = 0
    while (
        numbering and all(len(n) > shared + 1 for n in numbering) and len({n[shared] for n in numbering}) == 1
    ):
        shared += 1
    for draft, numbers in zip(drafts, numbering, strict=True):
        draft.code = ".".join(str(n) for n in numbers[shared:])


def drafts_from_parse(result: ParseResult, units: Sequence[Unit], year: int) -> list[TaskDraft]:
    """One draft per task of every document in ``result``; default deadline: end of ``year``.

    A task read from a task table brings its columns: its 牵头单位 / 配合单位 / 责任领导 / 完成时限
    outrank what the text suggests ("由县公管局牵头"), which only fills what the table leaves empty or
    names no known unit by; its node columns become milestones."""
    drafts: list[TaskDraft] = []
    names = names_of(units)
    for document in result.documents:
        for item in document.tasks:
            draft = TaskDraft(
                seq=len(drafts) + 1,
                code="",
                category_path=list(item.path),
                title=task_title(item.text),
                content=item.text,
                source_line=item.line,
            )
            draft.lead_unit, draft.co_units = suggest_units(item.text, units)
            draft.leader_name = guess_leader(item.text)[:100]
            draft.deadline = guess_deadline(item.text, year)
            if item.from_table:
                _take_table_fields(draft, item, units, year, names)
            draft.deadline = draft.deadline or dt.date(year, 12, 31)
            drafts.append(draft)
    number_drafts(drafts)
    return drafts


def _take_table_fields(
    draft: TaskDraft, item: Item, units: Sequence[Unit], year: int, names: dict[str, list[Unit]]
) -> None:
    found = read_row(item, units, year, names)
    if found.lead is not None:
        draft.lead_unit = found.lead
        draft.co_units = [u for u in found.co if u != found.lead]
    elif found.co:
        draft.co_units = [u for u in found.co if u != draft.lead_unit]
    if found.leader:
        draft.leader_name = found.leader
    if found.deadline is not None:
        draft.deadline = found.deadline
    draft.deadline_text = item.deadline
    draft.milestones = found.milestones


_YEAR_IN_TITLE = re.compile(r"(20\d\d)年")


def plan_year(result: ParseResult, fallback: int) -> int:
    """The year a parsed plan is for: the engine's plan period, else a year in the title."""
    for document in result.documents:
        if document.plan_period and document.plan_period[:4].isdigit():
            return int(document.plan_period[:4])
    for document in result.documents:
        m = _YEAR_IN_TITLE.search(document.title or "")
        if m:
            return int(m.group(1))
    return fallback


# --- drafts in a session (JSON) -----------------------------------------------------------------


def draft_to_data(draft: TaskDraft) -> dict[str, Any]:
    """A JSON-safe dict of the draft (units by primary key, the date in ISO form)."""
    return {
        "seq": draft.seq,
        "code": draft.code,
        "path": list(draft.category_path),
        "title": draft.title,
        "content": draft.content,
        "lead": draft.lead_unit.pk if draft.lead_unit else None,
        "co": [u.pk for u in draft.co_units],
        "leader": draft.leader_name,
        "deadline": draft.deadline.isoformat() if draft.deadline else None,
        "line": draft.source_line,
        "deadline_text": draft.deadline_text,
        "milestones": [
            {"due": m.due_on.isoformat(), "text": m.description, "when": m.written} for m in draft.milestones
        ],
    }


def draft_from_data(data: Mapping[str, Any], units_by_pk: Mapping[int, Unit]) -> TaskDraft:
    """The draft back from ``draft_to_data``; units no longer available are dropped."""
    lead = units_by_pk.get(data["lead"]) if data.get("lead") is not None else None
    return TaskDraft(
        seq=int(data["seq"]),
        code=str(data.get("code", "")),
        category_path=[str(p) for p in data.get("path", [])],
        title=str(data.get("title", "")),
        content=str(data.get("content", "")),
        lead_unit=lead,
        co_units=[units_by_pk[pk] for pk in data.get("co", []) if pk in units_by_pk],
        leader_name=str(data.get("leader", "")),
        deadline=dt.date.fromisoformat(data["deadline"]) if data.get("deadline") else None,
        source_line=data.get("line"),
        deadline_text=str(data.get("deadline_text", "")),
        milestones=[
            MilestoneDraft(dt.date.fromisoformat(m["due"]), str(m["text"]), str(m.get("when", "")))
            for m in data.get("milestones", [])
        ],
    )


def dates_in_year(row: dict[str, Any], year: int) -> str:
    """A preview row's suggested dates read again for another plan year: nodes written without a year
    ("6月底前") move with it; returns the deadline (ISO) the row now suggests — a task table's 完成时限
    as written, else the task's text, else 31 December."""
    for node in row.get("milestones", []):
        due, _ = parse_deadline(str(node.get("when", "")), year)
        if due is not None:
            node["due"] = due.isoformat()
    deadline = guess_deadline(row.get("deadline_text") or row["content"], year) or dt.date(year, 12, 31)
    return deadline.isoformat()
