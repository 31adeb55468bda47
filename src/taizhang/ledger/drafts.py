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
from taizhang.ledger.suggest.units import suggest_units
from taizhang.reports import ParseResult

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
    """One draft per task of every document in ``result``; default deadline: end of ``year``."""
    drafts: list[TaskDraft] = []
    for document in result.documents:
        for item in document.tasks:
            lead, co = suggest_units(item.text, units)
            drafts.append(
                TaskDraft(
                    seq=len(drafts) + 1,
                    code="",
                    category_path=list(item.path),
                    title=task_title(item.text),
                    content=item.text,
                    lead_unit=lead,
                    co_units=co,
                    leader_name=guess_leader(item.text)[:100],
                    deadline=guess_deadline(item.text, year) or dt.date(year, 12, 31),
                    source_line=item.line,
                )
            )
    number_drafts(drafts)
    return drafts


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
    )
