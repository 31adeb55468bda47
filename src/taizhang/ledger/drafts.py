"""From the document engine's result to task drafts: titles, codes, suggested units and deadlines.

The import screen shows these drafts for the supervisor to correct before
``services.create_plan_with_tasks`` saves them. Everything here is a suggestion, read from the
task's own text ("由县公管局牵头", "县财政局配合", "6月底前完成", "责任领导：…").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from taizhang.accounts.models import Unit
from taizhang.reports import ParseResult

_LEAD = re.compile(r"(?:由|牵头单位[:：]\s*)([^，。；;、（）()]{2,30}?)(?:牵头|[；;，。）)]|$)")
_CO = re.compile(r"(?:配合单位[:：]\s*([^；;。）)]{2,120}))|(?:([^，。；;：:（）()]{2,120}?)(?:等单位)?配合)")
_LEADER = re.compile(r"责任领导[:：]\s*([^，。；;）)\s]{2,20})")
_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末)(?:前)?")
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前)?")
_YEAR_END = re.compile(r"年底前|年内|年末前|全年")
_TITLE_END = re.compile(r"[，。；：:;,]")


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


def task_title(text: str, limit: int = 60) -> str:
    """The task's first clause ("推进重大项目建设，全年…" → "推进重大项目建设"), at most ``limit`` chars."""
    head = _TITLE_END.split(text.strip(), maxsplit=1)[0].strip()
    head = head or text.strip()
    return head if len(head) <= limit else head[: limit - 1] + "…"


def match_units(text: str, units: Iterable[Unit]) -> list[Unit]:
    """Units named in ``text`` (by name, short name or alias), in order of first mention, longest
    names first so that "县交通运输局" is not also read as "交通局"."""
    candidates = sorted(
        ((name, unit) for unit in units for name in unit.all_names()), key=lambda c: -len(c[0])
    )
    taken = [False] * len(text)
    found: list[tuple[int, Unit]] = []
    seen: set[int] = set()
    for name, unit in candidates:
        start = text.find(name)
        while start != -1:
            end = start + len(name)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    found.append((start, unit))
            start = text.find(name, end)
    return [unit for _, unit in sorted(found, key=lambda f: f[0])]


def suggest_units(text: str, units: Sequence[Unit]) -> tuple[Unit | None, list[Unit]]:
    """(lead unit, co-operating units) suggested from the text."""
    lead: Unit | None = None
    for m in _LEAD.finditer(text):
        named = match_units(m.group(1), units)
        if named:
            lead = named[0]
            break
    co: list[Unit] = []
    for m in _CO.finditer(text):
        for unit in match_units(m.group(1) or m.group(2) or "", units):
            if unit != lead and unit not in co:
                co.append(unit)
    if lead is None:
        mentioned = match_units(text, units)
        lead = next((u for u in mentioned if u not in co), None)
    return lead, co


def guess_deadline(text: str, year: int) -> dt.date | None:
    """The last date the text sets ("6月底前" → 30 June of ``year``); ``None`` when it names none."""
    dates: list[dt.date] = []
    for m in _MONTH_END.finditer(text):
        y, month = int(m[1] or year), int(m[2])
        if 1 <= month <= 12:
            dates.append(dt.date(y, month, calendar.monthrange(y, month)[1]))
    for m in _DAY.finditer(text):
        y, month, day = int(m[1] or year), int(m[2]), int(m[3])
        try:
            dates.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not dates and _YEAR_END.search(text):
        dates.append(dt.date(year, 12, 31))
    return max(dates) if dates else None


def drafts_from_parse(result: ParseResult, units: Sequence[Unit], year: int) -> list[TaskDraft]:
    """One draft per task of every document in ``result``; default deadline: end of ``year``.

    Codes number the headings and tasks ("3.2" = second task under the third heading), leaving out
    heading levels that every task shares (a single "一、重点工作安排" adds nothing)."""
    drafts: list[TaskDraft] = []
    numbering: list[list[int]] = []
    ordinals: dict[tuple[str, ...], dict[str, int]] = {}
    for document in result.documents:
        for item in document.tasks:
            path = list(item.path)
            numbers = []
            for depth in range(len(path)):
                siblings = ordinals.setdefault(tuple(path[:depth]), {})
                numbers.append(siblings.setdefault(path[depth], len(siblings) + 1))
            leaf = ordinals.setdefault(tuple(path), {})
            numbers.append(leaf.setdefault(f"\0task{len(leaf)}", len(leaf) + 1))
            numbering.append(numbers)
            lead, co = suggest_units(item.text, units)
            leader = _LEADER.search(item.text)
            drafts.append(
                TaskDraft(
                    seq=len(drafts) + 1,
                    code="",
                    category_path=path,
                    title=task_title(item.text),
                    content=item.text,
                    lead_unit=lead,
                    co_units=co,
                    leader_name=leader.group(1) if leader else "",
                    deadline=guess_deadline(item.text, year) or dt.date(year, 12, 31),
                    source_line=item.line,
                )
            )
    shared = 0
    while (
        numbering and all(len(n) > shared + 1 for n in numbering) and len({n[shared] for n in numbering}) == 1
    ):
        shared += 1
    for draft, numbers in zip(drafts, numbering, strict=True):
        draft.code = ".".join(str(n) for n in numbers[shared:])
    return drafts
