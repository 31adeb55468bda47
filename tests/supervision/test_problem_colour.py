"""problem_colour: one row per rule and reason, at the edges of each threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

# Called through the module, so that tools/mutate.py's mutants (loaded into it) are what runs.
from taizhang.supervision import colours
from taizhang.supervision.colours import Thresholds
from taizhang.supervision.models import Colour
from taizhang.supervision.problem_models import ProblemState

pytestmark = pytest.mark.nodb

AS_OF = dt.date(2026, 6, 10)


@dataclass
class P:
    state: str = ProblemState.OPEN
    deadline: dt.date = dt.date(2026, 9, 30)
    returned: bool = False
    return_comment: str = ""
    reopen_count: int = 0
    reopen_reason: str = ""


def days(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("problem", "colour", "reasons"),
    [
        # white: signed off, whatever its dates say
        (P(state=ProblemState.CLOSED, deadline=days(-30)), Colour.WHITE, ["已整改销号"]),
        (P(state=ProblemState.CLOSED, reopen_count=2), Colour.WHITE, ["已整改销号"]),
        # green: open or submitted, deadline beyond warn_days
        (P(deadline=days(8)), Colour.GREEN, ["整改中，距整改时限还有8天"]),
        (P(state=ProblemState.SUBMITTED, deadline=days(8)), Colour.GREEN, ["已提交整改，等待验收"]),
        # yellow: deadline within warn_days (7 by default), today included
        (P(deadline=days(7)), Colour.YELLOW, ["整改时限还有7天"]),
        (P(deadline=days(1)), Colour.YELLOW, ["整改时限还有1天"]),
        (P(deadline=days(0)), Colour.YELLOW, ["整改时限今天到期"]),
        (P(state=ProblemState.SUBMITTED, deadline=days(3)), Colour.YELLOW, ["整改时限还有3天"]),
        # yellow: returned by the verification
        (
            P(returned=True, return_comment="佐证材料不全"),
            Colour.YELLOW,
            ["整改验收未通过，已退回：佐证材料不全"],
        ),
        (P(returned=True), Colour.YELLOW, ["整改验收未通过，已退回"]),
        (
            P(deadline=days(2), returned=True, return_comment="再核实"),
            Colour.YELLOW,
            ["整改时限还有2天", "整改验收未通过，已退回：再核实"],
        ),
        # red: deadline passed, not signed off (also when waiting for verification)
        (P(deadline=days(-1)), Colour.RED, ["整改时限已过1天"]),
        (P(deadline=days(-45)), Colour.RED, ["整改时限已过45天"]),
        (P(state=ProblemState.SUBMITTED, deadline=days(-3)), Colour.RED, ["整改时限已过3天"]),
        # red: re-opened by 回头看 (until signed off again)
        (
            P(reopen_count=1, reopen_reason="问题反弹"),
            Colour.RED,
            ["回头看发现问题反弹，已重新挂账（第1次）：问题反弹"],
        ),
        (
            P(state=ProblemState.SUBMITTED, reopen_count=2),
            Colour.RED,
            ["回头看发现问题反弹，已重新挂账（第2次）"],
        ),
        # red reasons first, the yellow ones after them
        (
            P(deadline=days(-2), reopen_count=1, returned=True, return_comment="不到位"),
            Colour.RED,
            ["整改时限已过2天", "回头看发现问题反弹，已重新挂账（第1次）", "整改验收未通过，已退回：不到位"],
        ),
        (
            P(deadline=days(5), reopen_count=1),
            Colour.RED,
            ["回头看发现问题反弹，已重新挂账（第1次）", "整改时限还有5天"],
        ),
    ],
)
def test_rules_and_reasons(problem: P, colour: Colour, reasons: list[str]) -> None:
    verdict = colours.problem_colour(problem, AS_OF)
    assert verdict.colour == colour
    assert list(verdict.reasons) == reasons


def test_warn_days_is_the_plans_threshold() -> None:
    ten_days = P(deadline=days(10))
    assert colours.problem_colour(ten_days, AS_OF).colour == Colour.GREEN
    assert colours.problem_colour(ten_days, AS_OF, Thresholds(warn_days=10)).colour == Colour.YELLOW
    assert colours.problem_colour(P(deadline=days(1)), AS_OF, Thresholds(warn_days=0)).colour == Colour.GREEN


def test_a_pure_function_of_the_date() -> None:
    problem = P(deadline=dt.date(2026, 6, 30))
    walk = [colours.problem_colour(problem, dt.date(2026, 6, d)).colour for d in (22, 23, 30)]
    walk.append(colours.problem_colour(problem, dt.date(2026, 7, 1)).colour)
    assert walk == [Colour.GREEN, Colour.YELLOW, Colour.YELLOW, Colour.RED]
