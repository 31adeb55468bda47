"""From the document engine's result to task drafts: titles, codes, suggested units, leaders, deadlines.

The import screens show these drafts for the supervisor to correct before
``services.create_plan_with_tasks`` saves them. Everything here is a suggestion read from the task's
own text, and every rule is a plain function with its own test:

- **units** (``suggest_units``): exact names, short names and aliases of the units the user may assign,
  longest first ("县交通运输局" is never also read as "交通局"). The lead unit comes from, in order:
  a label ("牵头单位：…", "责任单位：…"), "由…牵头/负责", "…牵头", and else the first unit the text
  names. Co-operating units come from "配合单位：…", "…配合/协助/参与", "会同…"; "各镇" / "各乡镇" /
  "各街道" stand for every such unit. When several units lead ("由青石镇、柳塘镇分别牵头"), the first
  leads and the others co-operate.
- **leader** (``guess_leader``): "责任领导：…" (and 牵头领导 / 分管领导 / 包抓领导), "分管副县长" (with a
  name if one follows), "副县长王明牵头".
- **deadline** (``guess_deadline``): the latest date the text sets ("6月底前", "2027年3月15日前", "上半年",
  "三季度末", "10月中旬"); "年底前" / "年内" / "全年" only when no date is named; dates before the plan
  year are ignored. The import falls back to 31 December of the plan year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taizhang.accounts.models import Unit
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


# --- units --------------------------------------------------------------------------------------


def names_of(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """Every name a unit goes by → the units going by it: name, short name, aliases, and the name
    under its parent ("县交通运输局办公室") for telling apart units of the same name."""
    units = list(units)
    parent_names = {u.pk: u.name for u in units}
    found: dict[str, list[Unit]] = {}
    for unit in units:
        names = set(unit.all_names())
        if unit.parent_id in parent_names:
            names.add(parent_names[unit.parent_id] + unit.name)
        for name in names:
            found.setdefault(name, []).append(unit)
    return found


def unit_labels(units: Iterable[Unit]) -> dict[int, str]:
    """How to show each unit so that no two look alike: its name, or "上级名称+名称" when several
    units share the name (two bureaus' 办公室)."""
    units = list(units)
    names = names_of(units)
    parent_names = {u.pk: u.name for u in units}
    labels: dict[int, str] = {}
    for unit in units:
        if len(names.get(unit.name, [])) > 1 and unit.parent_id in parent_names:
            labels[unit.pk] = parent_names[unit.parent_id] + unit.name
        else:
            labels[unit.pk] = unit.name
    return labels


def match_units(text: str, units: Iterable[Unit]) -> list[Unit]:
    """Units named in ``text`` (by name, short name or alias), in order of first mention, longest
    names first so that "县交通运输局" is not also read as "交通局". A name shared by several units
    ("办公室") names none of them."""
    candidates = sorted(
        ((name, owners[0]) for name, owners in names_of(units).items() if len(owners) == 1),
        key=lambda c: -len(c[0]),
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


# "各镇配合": every unit whose name ends with one of these.
_GROUP = re.compile(r"各(乡镇|镇街|镇|乡|街道)")
_GROUP_SUFFIXES: dict[str, tuple[str, ...]] = {
    "乡镇": ("乡", "镇"),
    "镇街": ("镇", "街道"),
    "镇": ("镇",),
    "乡": ("乡",),
    "街道": ("街道",),
}


def group_units(text: str, units: Iterable[Unit]) -> list[Unit]:
    """The units that "各镇" / "各乡镇" / "各街道" in ``text`` stand for (in the units' order)."""
    suffixes: set[str] = set()
    for m in _GROUP.finditer(text):
        suffixes.update(_GROUP_SUFFIXES[m.group(1)])
    if not suffixes:
        return []
    return [u for u in units if u.name.endswith(tuple(suffixes))]


def _named(text: str, units: Sequence[Unit]) -> list[Unit]:
    found = match_units(text, units)
    found.extend(u for u in group_units(text, units) if u not in found)
    return found


_CLAUSE = r"[^，,。；;：:（）()\n]"
_LEAD_LABEL = re.compile(
    r"(?:牵头单位|牵头部门|责任单位|责任部门|主责单位)[:：]\s*([^；;。（）()\n]{2,200}?)"
    r"(?=[；;。（）()\n]|配合单位|协办单位|配合部门|责任领导|完成时限|$)"
)
_LEAD_BY = re.compile(rf"由({_CLAUSE}{{2,100}}?)(?:分别|共同|联合|具体)?(?:牵头|负责|主抓|主责)")
_LEAD_PLAIN = re.compile(rf"({_CLAUSE}{{2,100}}?)(?:分别|共同|联合)?牵头")
_CO_LABEL = re.compile(
    r"(?:配合单位|协办单位|配合部门|参与单位)[:：]\s*([^；;。（）()\n]{2,300}?)"
    r"(?=[；;。（）()\n]|牵头单位|责任单位|责任领导|完成时限|$)"
)
_CO_PLAIN = re.compile(rf"({_CLAUSE}{{2,300}}?)(?:等(?:单位|部门))?(?:密切)?(?:配合|协助|参与|协同)")
_CO_WITH = re.compile(rf"会同({_CLAUSE}{{2,200}}?)(?:等(?:单位|部门))?(?=共同|[，,。；;：:（）()\n]|$)")


def suggest_units(text: str, units: Sequence[Unit]) -> tuple[Unit | None, list[Unit]]:
    """(lead unit, co-operating units) suggested from the text (rules in the module doc)."""
    leads: list[Unit] = []
    for pattern in (_LEAD_LABEL, _LEAD_BY, _LEAD_PLAIN):
        for m in pattern.finditer(text):
            leads = match_units(m.group(1), units)  # "各镇牵头" names no single lead
            if leads:
                break
        if leads:
            break
    lead = leads[0] if leads else None
    co: list[Unit] = list(leads[1:])
    for pattern in (_CO_LABEL, _CO_PLAIN, _CO_WITH):
        for m in pattern.finditer(text):
            for unit in _named(m.group(1), units):
                if unit != lead and unit not in co:
                    co.append(unit)
    if lead is None:
        lead = next((u for u in match_units(text, units) if u not in co), None)
    return lead, co


_NAME_SPLIT = re.compile(r"[、，,；;\s/]+")


def split_unit_names(text: str) -> list[str]:
    """Names in a list: "县住建局、县财政局；青石镇" → three names (also split on commas, spaces, slashes)."""
    return [part for part in (p.strip() for p in _NAME_SPLIT.split(text or "")) if part]


def resolve_unit_name(
    name: str, units: Sequence[Unit], names: dict[str, list[Unit]] | None = None
) -> tuple[Unit | None, str]:
    """The unit a cell or field names: exact name, short name, alias or "上级名称+名称"; else the one
    unit whose name contains it or is contained in it. Returns (unit, "") or (None, a Chinese reason).
    ``names`` is ``names_of(units)``, passed in when resolving many names."""
    name = name.strip()
    names = names if names is not None else names_of(units)
    exact = names.get(name, [])
    if len(exact) == 1:
        return exact[0], ""
    near = exact or [u for u in units if any(name in n or (len(n) >= 3 and n in name) for n in u.all_names())]
    if len(name) >= 3 and len(near) == 1:
        return near[0], ""
    if len(near) > 1:
        labels = unit_labels(units)
        listed = "、".join(labels[u.pk] for u in near[:5])
        return None, f"“{name}”可能指多个单位（{listed}），请写全称"
    return None, f"单位“{name}”不在单位库中，或不在您的管辖范围内"


def resolve_unit_names(
    text: str, units: Sequence[Unit], names: dict[str, list[Unit]] | None = None
) -> tuple[list[Unit], list[str]]:
    """All units a list of names stands for ("各镇" → every town): (units, Chinese problems)."""
    found: list[Unit] = []
    problems: list[str] = []
    if names is None:
        names = names_of(units) if text.strip() else {}
    for name in split_unit_names(text):
        if _GROUP.fullmatch(name):
            group = group_units(name, units)
            if not group:
                problems.append(f"“{name}”没有对应的单位")
            found.extend(u for u in group if u not in found)
            continue
        unit, problem = resolve_unit_name(name, units, names)
        if unit is None:
            problems.append(problem)
        elif unit not in found:
            found.append(unit)
    return found, problems


# --- leaders ------------------------------------------------------------------------------------

_LEADER_LABEL = re.compile(
    r"(?:责任领导|牵头领导|分管领导|包抓领导|包联领导|责任县领导)[:：为]\s*([^，,。；;）)\n]{2,30})"
)
_TITLE = r"(?:常务)?副?(?:县|区|市|镇|乡)长"
_PERSON_AFTER = r"(?=牵头|负责|挂帅|统筹|督办|任组长|同志|[）)])"
_LEADER_IN_CHARGE = re.compile(
    rf"(分管(?:副?(?:县|区|市|镇|乡)长|(?:县|区|市)领导|副局长|副主任|领导))([\u4e00-\u9fff]{{2,3}}{_PERSON_AFTER})?"
)
_LEADER_NAMED = re.compile(rf"({_TITLE})([\u4e00-\u9fff]{{2,3}}?){_PERSON_AFTER}")
_LEADER_BY_TITLE = re.compile(rf"由({_TITLE})(?:牵头|负责|挂帅|统筹)")
_NOT_A_NAME = ("牵头", "负责", "统筹", "督办", "挂帅", "同志", "领导", "任组", "亲自", "分管", "具体")


def guess_leader(text: str) -> str:
    """The responsible leader the text names ("责任领导：赵国庆", "分管副县长", "副县长王明牵头"), or ""."""
    m = _LEADER_LABEL.search(text)
    if m:
        return m.group(1).strip()
    m = _LEADER_IN_CHARGE.search(text)
    if m:
        name = m.group(2) or ""
        return m.group(1) + ("" if name.startswith(_NOT_A_NAME) else name)
    for m in _LEADER_NAMED.finditer(text):
        if not m.group(2).startswith(_NOT_A_NAME):
            return m.group(1) + m.group(2)
    m = _LEADER_BY_TITLE.search(text)
    return m.group(1) if m else ""


# --- deadlines ----------------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(\d{4})年)?"
_MONTH_END = re.compile(rf"{_YEAR}{_MONTH}月份?(?:底|末)")
_MONTH_PART = re.compile(rf"{_YEAR}{_MONTH}月(上旬|中旬|下旬)")
_MONTH_PLAIN = re.compile(rf"{_YEAR}{_MONTH}月份?(?=完成|内|$)")
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_HALF = re.compile(rf"{_YEAR}(上|下)半年")
_QUARTER = re.compile(rf"{_YEAR}第?([一二三四1-4])季度")
_YEAR_END = re.compile(r"年底|年内|年末|全年")


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _dates_in(text: str, year: int) -> list[dt.date]:
    found: list[dt.date | None] = []
    for m in _MONTH_END.finditer(text):
        found.append(_month_end(int(m[1] or year), _month_number(m[2])))
    for m in _MONTH_PLAIN.finditer(text):
        found.append(_month_end(int(m[1] or year), _month_number(m[2])))
    for m in _MONTH_PART.finditer(text):
        y, month = int(m[1] or year), _month_number(m[2])
        end = _month_end(y, month)
        if end is not None:
            found.append(end if m[3] == "下旬" else end.replace(day=10 if m[3] == "上旬" else 20))
    for m in _HALF.finditer(text):
        y = int(m[1] or year)
        found.append(dt.date(y, 6, 30) if m[2] == "上" else dt.date(y, 12, 31))
    for m in _QUARTER.finditer(text):
        y, q = int(m[1] or year), _month_number(m[2])
        found.append(_month_end(y, q * 3))
    for y_text, m_text, d_text in [*_DAY.findall(text), *_ISO_DAY.findall(text)]:
        try:
            found.append(dt.date(int(y_text or year), int(m_text), int(d_text)))
        except ValueError:
            continue
    return [d for d in found if d is not None]


def guess_deadline(text: str, year: int) -> dt.date | None:
    """The last date the text sets ("6月底前" → 30 June of ``year``); ``None`` when it names none.

    Dates before the plan year (a baseline such as "较2025年6月底") are not deadlines."""
    dates = [d for d in _dates_in(text, year) if year <= d.year <= year + 5]
    if not dates and _YEAR_END.search(text):
        dates.append(dt.date(year, 12, 31))
    return max(dates) if dates else None


_DATE_WORDS = re.compile(r"^(?:于|在)?(.*?)(?:前|以前|之前)?(?:完成|办结)?$")


def parse_date_text(text: str, year: int) -> dt.date | None:
    """A date written in a cell: "2026年6月30日", "2026-06-30", "2026/6/30", "6月底", "6月30日前",
    "2026年6月", "上半年", "三季度", "年底", "长期", "持续推进" (→ 31 December of ``year``).

    Returns ``None`` when the text is not one date."""
    raw = re.sub(r"\s+", "", text or "")
    if not raw:
        return None
    core = _DATE_WORDS.match(raw)
    body = core.group(1) if core else raw
    for pattern in (_DAY, _ISO_DAY, _MONTH_END, _MONTH_PART, _HALF, _QUARTER):
        m = pattern.fullmatch(body)
        if m:
            dates = _dates_in(body, year)
            return dates[0] if dates else None
    m = re.fullmatch(rf"{_YEAR}{_MONTH}月份?", body)
    if m:
        return _month_end(int(m[1] or year), _month_number(m[2]))
    m = re.fullmatch(r"(\d{4})年(?:底|末)?", body)
    if m:
        return dt.date(int(m[1]), 12, 31)
    if re.fullmatch(r"(?:年底|年内|年末|全年|长期(?:坚持)?|持续(?:推进)?|常态化(?:推进)?)", body):
        return dt.date(year, 12, 31)
    return None


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
