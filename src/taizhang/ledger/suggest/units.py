"""Which units a task's text names, and which of them leads.

**units** (``suggest_units``): exact names, short names and aliases of the units the user may assign,
longest first ("县交通运输局" is never also read as "交通局"). The lead unit comes from, in order:
a label ("牵头单位：…", "责任单位：…"), "由…牵头/负责", "…牵头", and else the first unit the text
names. Co-operating units come from "配合单位：…", "…配合/协助/参与", "会同…"; "各镇" / "各乡镇" /
"各街道" stand for every such unit. When several units lead ("由青石镇、柳塘镇分别牵头"), the first
leads and the others co-operate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from taizhang.accounts.models import Unit, unit_label
from taizhang.accounts.units import unit_labels


def names_of(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """Every name a unit goes by → the units going by it: name, short name, aliases, its label
    ("交通局·办公室", as shown and exported) and the name under its parent ("县交通运输局办公室"), for
    telling apart units of the same name."""
    units = list(units)
    parent_names = {u.pk: u.name for u in units}
    by_pk = {u.pk: u for u in units}  # no query: names_of runs once per task text
    found: dict[str, list[Unit]] = {}
    for unit in units:
        names = {*unit.all_names(), unit_label(unit, by_pk.get(unit.parent_id or 0))}
        if unit.parent_id in parent_names:
            names.add(parent_names[unit.parent_id] + unit.name)
        for name in names:
            found.setdefault(name, []).append(unit)
    return found


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
