"""The colour rule, one table row per condition: each row changes one fact and names the colour
and the reason it must give (so changing any condition of the rule fails a row)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from taizhang.core.colours import Colour
from taizhang.ledger.models import Plan, TaskStatus

# Called through the module, so that tools/mutate.py's mutants (loaded into it) are what runs.
from taizhang.supervision import colours
from taizhang.supervision.colours import Thresholds
from taizhang.supervision.models import ColourRules
from tests.conftest import at

pytestmark = pytest.mark.nodb

PLAN = Plan(year=2026, cadence="monthly", report_window_days=5)
D = dt.date


def task(**kw: Any) -> SimpleNamespace:
    facts = {"status": TaskStatus.IN_PROGRESS, "deadline": D(2026, 12, 31), "progress": 0}
    facts.update(kw)
    return SimpleNamespace(**facts)


def ms(due: dt.date, done: bool = False, text: str = "完成方案编制") -> SimpleNamespace:
    return SimpleNamespace(due_on=due, done=done, description=text)


def reported(*months: int) -> dict[str, dt.datetime]:
    """On-time first submissions for the given months of 2026."""
    return {f"2026-{m:02d}": at(D(2026, m, 28)) for m in months}


ALL_UP_TO_OCT = reported(*range(1, 11))


def colour(
    t: SimpleNamespace, as_of: dt.date, milestones: tuple = (), firsts: dict | None = None, rules=None
):
    return colours.task_colour(
        t, PLAN, milestones, ALL_UP_TO_OCT if firsts is None else firsts, as_of, rules or Thresholds()
    )


# 2026-11-03: October's window is open (closes 5 Nov), September's closed, so 序时进度 is reckoned
# to 30 September: of a task running to 31 Dec, 272 of 364 days = 74 %.
NOV3 = D(2026, 11, 3)


@pytest.mark.parametrize(
    ("facts", "milestones", "firsts", "expected", "reason"),
    [
        (task(status=TaskStatus.DONE, progress=100), (), None, Colour.WHITE, "已完成销号"),
        (task(status=TaskStatus.PAUSED, progress=30), (), None, Colour.WHITE, "已暂停"),
        # done wins over anything else (an overdue milestone of a done task)
        (task(status=TaskStatus.DONE, progress=100), (ms(D(2026, 6, 1)),), {}, Colour.WHITE, "已完成销号"),
        (task(progress=74), (), None, Colour.GREEN, "按计划推进（进度74%，序时进度74%）"),
        # behind by exactly 10 points: still green; by 11: yellow; by 25: yellow; by 26: red
        (task(progress=64), (), None, Colour.GREEN, "按计划推进"),
        (task(progress=63), (), None, Colour.YELLOW, "进度63%，落后序时进度11个百分点"),
        (task(progress=49), (), None, Colour.YELLOW, "进度49%，落后序时进度25个百分点"),
        (task(progress=48), (), None, Colour.RED, "进度48%，落后序时进度26个百分点"),
        # not against 3 November's share of the year (84 %): September's figure is the one owed
        (
            task(progress=75, deadline=D(2026, 12, 31)),
            (),
            None,
            Colour.GREEN,
            "按计划推进（进度75%，序时进度74%）",
        ),
        # milestones: overdue → red; due within 7 days → yellow; due in 8 days → nothing; done → nothing
        (task(progress=84), (ms(D(2026, 10, 22)),), None, Colour.RED, "节点“完成方案编制”已逾期12天"),
        (
            task(progress=84),
            (ms(D(2026, 11, 10)),),
            None,
            Colour.YELLOW,
            "节点“完成方案编制”7天后到期，尚未完成",
        ),
        (task(progress=84), (ms(NOV3),), None, Colour.YELLOW, "节点“完成方案编制”今天到期，尚未完成"),
        (task(progress=84), (ms(D(2026, 11, 11)),), None, Colour.GREEN, "按计划推进"),
        (task(progress=84), (ms(D(2026, 10, 22), done=True),), None, Colour.GREEN, "按计划推进"),
        # the deadline passed unfinished → red, with the days; the deadline's own milestone not repeated
        (
            task(progress=90, deadline=D(2026, 10, 31)),
            (ms(D(2026, 10, 31), text="全面完成"),),
            None,
            Colour.RED,
            "已超过完成时限3天，尚未完成",
        ),
        # a milestone on the deadline of a task not yet overdue still warns
        (
            task(progress=84, deadline=D(2026, 11, 8)),
            (ms(D(2026, 11, 8)),),
            None,
            Colour.YELLOW,
            "节点“完成方案编制”5天后到期，尚未完成",
        ),
        # missing reports: the last closed period (September) missing → yellow; two in a row → red
        (task(progress=84), (), reported(*range(1, 9)), Colour.YELLOW, "2026年9月进展未报"),
        (task(progress=84), (), reported(*range(1, 8)), Colour.RED, "2026年8月、9月进展未报"),
        # an old gap that reports resumed after is history, not a colour
        (task(progress=84), (), reported(1, 2, 4, 5, 6, 7, 8, 9), Colour.GREEN, "按计划推进"),
        # marked 滞后 by the supervisor → at least yellow
        (task(progress=84, status=TaskStatus.DELAYED), (), None, Colour.YELLOW, "督查室标记为滞后"),
    ],
)
def test_rule_table(facts, milestones, firsts, expected, reason) -> None:
    verdict = colour(facts, NOV3, milestones, firsts)
    assert verdict.colour == expected, verdict.reasons
    assert any(r.startswith(reason) for r in verdict.reasons), verdict.reasons


def test_overdue_milestone_and_deadline_give_both_reasons_worst_first() -> None:
    verdict = colour(
        task(progress=50, deadline=D(2026, 10, 31)),
        NOV3,
        (ms(D(2026, 11, 8), text="验收"), ms(D(2026, 9, 30), text="招标")),
        reported(*range(1, 9)),
    )
    assert verdict.colour == Colour.RED
    assert verdict.reasons == (
        "节点“招标”已逾期34天",
        "已超过完成时限3天，尚未完成",
        "节点“验收”5天后到期，尚未完成",
        "2026年9月进展未报",
    )


def test_an_overdue_tasks_deadline_milestone_is_not_listed_twice() -> None:
    verdict = colour(
        task(progress=90, deadline=D(2026, 10, 31)), NOV3, (ms(D(2026, 10, 31), text="全面完成"),)
    )
    assert verdict.reasons == ("已超过完成时限3天，尚未完成",)


def test_thresholds_of_a_plan_without_its_own_are_the_defaults() -> None:
    assert colours.Thresholds.of(None) == colours.Thresholds(7, 10, 25, 2)
    own = ColourRules(warn_days=3, yellow_behind=5, red_behind=9, red_missing=1)
    assert colours.Thresholds.of(own) == colours.Thresholds(3, 5, 9, 1)


def test_thresholds_are_the_plans() -> None:
    strict = Thresholds(warn_days=14, yellow_behind=5, red_behind=8, red_missing=1)
    assert colour(task(progress=69), NOV3, rules=strict).colour == Colour.GREEN  # 5 behind
    assert colour(task(progress=68), NOV3, rules=strict).colour == Colour.YELLOW  # 6 behind
    assert colour(task(progress=65), NOV3, rules=strict).colour == Colour.RED  # 9 behind
    assert colour(task(progress=84), NOV3, (ms(D(2026, 11, 17)),), rules=strict).colour == Colour.YELLOW
    assert colour(task(progress=84), NOV3, firsts=reported(*range(1, 9)), rules=strict).colour == Colour.RED


def test_open_window_is_not_missing_yet() -> None:
    # on 5 Nov October's window is still open: only September counts
    assert colours.missing_run(task(), PLAN, reported(*range(1, 10)), D(2026, 11, 5)) == []
    assert colours.missing_run(task(), PLAN, reported(*range(1, 10)), D(2026, 11, 6)) == ["2026-10"]


def test_a_late_report_is_not_missing() -> None:
    firsts = {**reported(*range(1, 9)), "2026-09": at(D(2026, 10, 20))}
    assert colour(task(progress=84), NOV3, firsts=firsts).colour == Colour.GREEN


def test_periods_text() -> None:
    assert colours.periods_text(["2026-10", "2026-11"]) == "2026年10月、11月"
    assert colours.periods_text(["2026-12", "2027-01", "2027-02"]) == "2026年12月、2027年1月、2月"
    assert colours.periods_text(["2026-Q3"]) == "2026年第三季度"
