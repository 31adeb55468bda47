"""A theme across units: every unit's plan work on a theme (营商环境, 农村公路) side by side — the
ledger's tasks and the plan parts of archived documents — and how often each unit's documents
speak of it in each kind of section (总结, 问题, 计划 …).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from taizhang.accounts.models import Unit
from taizhang.accounts.units import unit_labels
from taizhang.archive.models import EntryKind, SectionRole
from taizhang.archive.permissions import entries_in_scope
from taizhang.archive.search import Hit, count_by, load_hits, matching_ids
from taizhang.archive.search.words import query_terms

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser

PLAN_ITEMS = 600  # plan tasks and passages read for one theme, best first
PER_UNIT = 6
ROLES = list(SectionRole)
NO_UNIT = "（未归属单位）"


@dataclass
class UnitColumn:
    unit_id: int | None
    label: str
    items: list[Hit] = field(default_factory=list)
    found: int = 0  # plan items in all (only the first PER_UNIT are shown)
    by_role: dict[str, int] = field(default_factory=dict)

    @property
    def role_counts(self) -> list[int]:
        return [self.by_role.get(role.value, 0) for role in ROLES]

    @property
    def more(self) -> int:
        return self.found - len(self.items)


@dataclass
class Theme:
    query: str
    terms: list[str]
    columns: list[UnitColumn]
    capped: bool

    @property
    def roles(self) -> list[SectionRole]:
        return ROLES

    @property
    def role_totals(self) -> list[int]:
        return [sum(c.by_role.get(role.value, 0) for c in self.columns) for role in ROLES]


def theme(query: str, *, user: AnyUser | None, year: int | None = None) -> Theme:
    """Raises QueryError (Chinese) for a query that cannot be searched."""
    terms = query_terms(query)
    entries = entries_in_scope(user)
    if year is not None:
        entries = entries.filter(year=year)
    columns: dict[int | None, UnitColumn] = {}

    def column(unit_id: int | None) -> UnitColumn:
        if unit_id not in columns:
            columns[unit_id] = UnitColumn(unit_id, "")
        return columns[unit_id]

    for unit_id, role, n in count_by(terms, entries.filter(kind=EntryKind.PARAGRAPH), ["unit_id", "role"]):
        column(unit_id).by_role[role] = n
    plan_items = entries.filter(Q(kind=EntryKind.TASK) | Q(kind=EntryKind.PARAGRAPH, role=SectionRole.PLAN))
    ids = matching_ids(terms, plan_items, PLAN_ITEMS)
    shown: dict[int | None, list[Hit]] = defaultdict(list)
    for hit in load_hits(ids, terms):
        col = column(hit.entry.unit_id)
        col.found += 1
        if len(shown[hit.entry.unit_id]) < PER_UNIT:
            shown[hit.entry.unit_id].append(hit)
    labels = unit_labels(Unit.objects.filter(pk__in=[k for k in columns if k is not None]))
    for unit_id, col in columns.items():
        col.items = shown.get(unit_id, [])
        col.label = labels.get(unit_id, NO_UNIT) if unit_id is not None else NO_UNIT
    ordered = sorted(columns.values(), key=lambda c: (-c.found, -sum(c.by_role.values()), c.label))
    return Theme(query.strip(), terms, ordered, capped=len(ids) >= PLAN_ITEMS)
