"""Scores and league tables (晾晒), as pure functions of per-unit facts — no database.

A unit's score is the scheme's base plus, for each rule, (count × weight); its breakdown lists the
base and every rule's points, and the score is *defined* as the sum of those lines, so the two
always agree (each line is rounded to 0.01 before summing). Ranks follow scores, highest first;
equal scores share a rank and the next rank skips (1, 2, 2, 4). The change is the previous
period's rank minus this one (positive = moved up), ``None`` when the unit was not ranked before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
BASE_LABEL = "基础分"


@dataclass(frozen=True)
class Rule:
    key: str  # the ``UnitFacts`` count and the ``ScoringScheme`` weight field of the same name
    label: str
    help: str


# In the order tables show them.
RULES: tuple[Rule, ...] = (
    Rule("done_on_time", "按期完成任务", "每项在完成时限前（含当天）完成销号的任务"),
    Rule("on_time_reports", "按时报送", "每份在报送期限内首次报送的进展"),
    Rule("late_reports", "逾期报送", "每份在报送期限后才首次报送的进展"),
    Rule("missing_reports", "未报送", "每份报送期限已过仍未报送的进展"),
    Rule("red_tasks", "红色任务", "每项期末为红色的任务"),
    Rule("overdue_notices", "督办通知逾期未回复", "每份在回复时限前未回复的督办通知"),
    Rule("indicators_behind", "指标落后序时进度", "每个期末落后于序时进度的指标"),
)


@dataclass(frozen=True)
class Weights:
    """Points per counted item (negative = deducted) and the base every unit starts from."""

    base: Decimal = Decimal(100)
    done_on_time: Decimal = Decimal(2)
    on_time_reports: Decimal = Decimal(1)
    late_reports: Decimal = Decimal(-1)
    missing_reports: Decimal = Decimal(-3)
    red_tasks: Decimal = Decimal(-5)
    overdue_notices: Decimal = Decimal(-3)
    indicators_behind: Decimal = Decimal(-2)

    def of(self, key: str) -> Decimal:
        value: Decimal = getattr(self, key)
        return value


@dataclass(frozen=True)
class UnitFacts:
    """What one unit did in one period (counts per rule)."""

    unit_id: int
    unit: str
    done_on_time: int = 0
    on_time_reports: int = 0
    late_reports: int = 0
    missing_reports: int = 0
    red_tasks: int = 0
    overdue_notices: int = 0
    indicators_behind: int = 0

    def count(self, key: str) -> int:
        value: int = getattr(self, key)
        return value


@dataclass(frozen=True)
class Line:
    rule: str
    points: Decimal
    count: int | None = None  # None for the base


@dataclass(frozen=True)
class Row:
    unit_id: int
    unit: str
    score: Decimal
    rank: int
    change: int | None
    breakdown: tuple[Line, ...] = field(default_factory=tuple)


def _cents(value: Decimal) -> Decimal:
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0.00" (0 × a negative weight)


def breakdown(facts: UnitFacts, weights: Weights) -> tuple[Line, ...]:
    lines = [Line(BASE_LABEL, _cents(weights.base))]
    for rule in RULES:
        n = facts.count(rule.key)
        lines.append(Line(rule.label, _cents(n * weights.of(rule.key)), n))
    return tuple(lines)


def total(lines: Iterable[Line]) -> Decimal:
    return sum((line.points for line in lines), Decimal(0))


def ranks(scores: Mapping[int, Decimal]) -> dict[int, int]:
    """{key: rank}: highest score first, ties share a rank and the next one skips (1, 2, 2, 4)."""
    ordered = sorted(scores.values(), reverse=True)
    first_place: dict[Decimal, int] = {}
    for place, score in enumerate(ordered, start=1):
        first_place.setdefault(score, place)
    return {key: first_place[score] for key, score in scores.items()}


def change(previous: int | None, current: int) -> int | None:
    """Places moved up since the previous period (negative = down), ``None`` without a previous."""
    return None if previous is None else previous - current


def rank_rows(
    scored: Sequence[tuple[int, str, tuple[Line, ...]]], previous: Mapping[int, int] | None = None
) -> list[Row]:
    """Rows from (unit id, unit name, breakdown), ranked; sorted by rank then unit name."""
    previous = previous or {}
    scores = {unit_id: total(lines) for unit_id, _, lines in scored}
    placed = ranks(scores)
    rows = [
        Row(
            unit_id,
            name,
            scores[unit_id],
            placed[unit_id],
            change(previous.get(unit_id), placed[unit_id]),
            lines,
        )
        for unit_id, name, lines in scored
    ]
    return sorted(rows, key=lambda r: (r.rank, r.unit, r.unit_id))


def league(
    facts: Iterable[UnitFacts], weights: Weights, previous: Mapping[int, int] | None = None
) -> list[Row]:
    """The period's league table: each unit's breakdown, score, rank and change."""
    return rank_rows([(f.unit_id, f.unit, breakdown(f, weights)) for f in facts], previous)


def average(tables: Sequence[Sequence[Row]], previous: Mapping[int, int] | None = None) -> list[Row]:
    """The year-to-date table: per unit, the average of its lines over the periods it was ranked
    in (each line averaged and rounded, so the breakdown still adds up to the score)."""
    sums: dict[int, dict[str, Decimal]] = {}
    counts: dict[int, dict[str, int]] = {}
    seen: dict[int, int] = {}
    names: dict[int, str] = {}
    order: dict[int, list[str]] = {}
    for table in tables:
        for row in table:
            names[row.unit_id] = row.unit
            seen[row.unit_id] = seen.get(row.unit_id, 0) + 1
            per = sums.setdefault(row.unit_id, {})
            n = counts.setdefault(row.unit_id, {})
            labels = order.setdefault(row.unit_id, [])
            for line in row.breakdown:
                if line.rule not in per:
                    labels.append(line.rule)
                per[line.rule] = per.get(line.rule, Decimal(0)) + line.points
                n[line.rule] = n.get(line.rule, 0) + (line.count or 0)
    scored = []
    for unit_id, per in sums.items():
        periods = Decimal(seen[unit_id])
        lines = tuple(
            Line(
                label,
                _cents(per[label] / periods),
                None if label == BASE_LABEL else counts[unit_id][label],
            )
            for label in order[unit_id]
        )
        scored.append((unit_id, names[unit_id], lines))
    return rank_rows(scored, previous)
