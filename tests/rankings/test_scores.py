"""The pure scoring rules, against hand-computed tables."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from taizhang.rankings.scores import BASE_LABEL, RULES, Line, Row, UnitFacts, Weights, average, league, ranks

W = Weights(
    base=D(100),
    done_on_time=D(2),
    on_time_reports=D("0.5"),
    late_reports=D(-1),
    missing_reports=D(-3),
    red_tasks=D(-5),
    overdue_notices=D("-2.5"),
)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, D(100)),
        ({"done_on_time": 3}, D(106)),
        ({"on_time_reports": 3}, D("101.5")),
        ({"late_reports": 2}, D(98)),
        ({"missing_reports": 1}, D(97)),
        ({"red_tasks": 2}, D(90)),
        ({"overdue_notices": 1}, D("97.5")),
        # 100 + 2 + 2.0 - 1 - 6 - 5 - 2.5
        (
            {
                "done_on_time": 1,
                "on_time_reports": 4,
                "late_reports": 1,
                "missing_reports": 2,
                "red_tasks": 1,
                "overdue_notices": 1,
            },
            D("89.5"),
        ),
    ],
)
def test_score_and_breakdown(counts: dict[str, int], expected: D) -> None:
    [row] = league([UnitFacts(1, "甲", **counts)], W)
    assert row.score == expected
    assert sum(li.points for li in row.breakdown) == row.score
    assert [li.rule for li in row.breakdown] == [BASE_LABEL, *(r.label for r in RULES)]
    for rule, line in zip(RULES, row.breakdown[1:], strict=True):
        assert line.count == counts.get(rule.key, 0)
        assert line.points == counts.get(rule.key, 0) * W.of(rule.key)
        assert not str(line.points).startswith("-0")  # no negative zero in tables or JSON


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({1: D(90), 2: D(80), 3: D(70)}, {1: 1, 2: 2, 3: 3}),
        ({1: D(90), 2: D(95), 3: D(95), 4: D(60)}, {2: 1, 3: 1, 1: 3, 4: 4}),
        ({1: D(90), 2: D(85), 3: D(85), 4: D(80)}, {1: 1, 2: 2, 3: 2, 4: 4}),
        ({1: D(50), 2: D(50), 3: D(50)}, {1: 1, 2: 1, 3: 1}),
        ({}, {}),
    ],
)
def test_ranks_follow_scores_and_ties_share(scores: dict[int, D], expected: dict[int, int]) -> None:
    assert ranks(scores) == expected


def test_change_since_previous_period() -> None:
    facts = [
        UnitFacts(1, "甲", red_tasks=1),  # 95 → 3rd
        UnitFacts(2, "乙", done_on_time=1),  # 102 → 1st
        UnitFacts(3, "丙"),  # 100 → 2nd
        UnitFacts(4, "丁", missing_reports=2),  # 94 → 4th, new this period
    ]
    rows = league(facts, W, previous={1: 1, 2: 3, 3: 2})
    by_unit = {r.unit: r for r in rows}
    assert [r.unit for r in rows] == ["乙", "丙", "甲", "丁"]
    assert by_unit["乙"].change == 2  # 3rd → 1st: moved up two
    assert by_unit["甲"].change == -2  # 1st → 3rd
    assert by_unit["丙"].change == 0
    assert by_unit["丁"].change is None


def test_tied_units_are_listed_by_name() -> None:
    rows = league([UnitFacts(2, "乙"), UnitFacts(1, "甲"), UnitFacts(3, "丙", red_tasks=1)], W)
    assert [r.rank for r in rows] == [1, 1, 3]
    assert [r.unit for r in rows[:2]] == sorted(["甲", "乙"])


def _row(unit_id: int, lines: list[tuple[str, str, int | None]]) -> Row:
    breakdown = tuple(Line(rule, D(p), n) for rule, p, n in lines)
    return Row(unit_id, f"单位{unit_id}", sum((li.points for li in breakdown), D(0)), 0, None, breakdown)


def test_year_to_date_is_the_average_and_still_adds_up() -> None:
    jan = [
        _row(1, [(BASE_LABEL, "100", None), ("红色任务", "-5", 1)]),
        _row(2, [(BASE_LABEL, "100", None), ("红色任务", "0", 0)]),
    ]
    feb = [
        _row(1, [(BASE_LABEL, "100", None), ("红色任务", "0", 0)]),
        _row(2, [(BASE_LABEL, "100", None), ("红色任务", "-10", 2)]),
    ]
    mar = [_row(1, [(BASE_LABEL, "100", None), ("红色任务", "-10", 2)])]  # unit 2 not ranked in March
    rows = {r.unit_id: r for r in average([jan, feb, mar])}
    # unit 1: (95 + 100 + 90) / 3 = 95; unit 2: (100 + 90) / 2 = 95 → a shared first place
    assert rows[1].score == D(95) and rows[2].score == D(95)
    assert rows[1].rank == rows[2].rank == 1
    assert rows[1].breakdown == (Line(BASE_LABEL, D(100), None), Line("红色任务", D(-5), 3))
    for row in rows.values():
        assert sum(li.points for li in row.breakdown) == row.score


def test_year_to_date_rounds_each_line_so_the_sum_holds() -> None:
    tables = [[_row(1, [(BASE_LABEL, "100", None), ("逾期报送", "-1", 1)])] for _ in range(2)]
    tables.append([_row(1, [(BASE_LABEL, "100", None), ("逾期报送", "0", 0)])])
    [row] = average(tables)
    assert row.breakdown[1].points == D("-0.67")  # -2 / 3, to the cent
    assert row.score == D("99.33") == sum(li.points for li in row.breakdown)
