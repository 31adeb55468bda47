"""四色管理: the colour of a task on a day, with its reasons — the one place that decides it.

A pure function of the ledger's facts and an "as of" date (no clock, no database): the status
command, the supervise job, every list and the API ask here, and ``refresh`` stores the result.
What a task owes, when a period is missing and what 序时进度 is come from ``ledger.obligations``;
this module only turns those facts into a colour.

The rules (defaults; each plan's ``ColourRules`` may change the numbers):

- **white** (白色清零): the task is done (its completion approved, 销号) or formally paused;
- **red** (红色督办): a milestone or the deadline passed unfinished; progress behind 序时进度 by
  more than 25 points; or the last 2 closed periods both without a report;
- **yellow** (黄色预警): a milestone due within 7 days not done; behind by more than 10 points;
  the last closed period without a report; or marked 滞后 by the supervisor;
- **green** (绿色提示): none of these — on track.

The reasons of every rule that holds are given, worst first.

A **problem** of the problem ledger (``problem_colour``) has its own, simpler rule, with the same
``warn_days``: white = signed off (已销号); red = its deadline passed unsigned ("整改时限已过N天"), or
re-opened by a 回头看 check; yellow = its deadline within ``warn_days``, or its rectification
returned; green otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from taizhang.ledger import obligations
from taizhang.ledger.models import TaskStatus
from taizhang.ledger.obligations import PeriodState, TaskFacts
from taizhang.ledger.periods import period_bounds, period_label
from taizhang.supervision.models import Colour
from taizhang.supervision.problem_models import ProblemState

if TYPE_CHECKING:
    from taizhang.ledger.models import Plan
    from taizhang.supervision.models import ColourRules


@dataclass(frozen=True)
class Thresholds:
    """The numbers of the rules (``ColourRules`` holds a plan's own)."""

    warn_days: int = 7
    yellow_behind: int = 10
    red_behind: int = 25
    red_missing: int = 2

    @classmethod
    def of(cls, rules: ColourRules | None) -> Thresholds:
        if rules is None:
            return cls()
        return cls(rules.warn_days, rules.yellow_behind, rules.red_behind, rules.red_missing)


DEFAULT = Thresholds()


class MilestoneFacts(Protocol):
    @property
    def due_on(self) -> dt.date: ...
    @property
    def done(self) -> bool: ...
    @property
    def description(self) -> str: ...


@dataclass(frozen=True)
class Verdict:
    colour: Colour
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(self.colour.label)


def periods_text(periods: Iterable[str]) -> str:
    """ "2026年10月、11月" — the year once while it does not change."""
    out: list[str] = []
    year = ""  # the "2026年" the labels so far began with
    for period in periods:
        label = period_label(period)  # always begins with its year
        if year and label.startswith(year):
            label = label[len(year) :]
        else:
            year = f"{period_bounds(period)[0].year}年"
        out.append(label)
    return "、".join(out)


def missing_run(task: TaskFacts, plan: Plan, reported: Collection[str], as_of: dt.date) -> list[str]:
    """The periods without a report at the end of the task's closed periods (the latest run),
    oldest first. Walks back from the newest period and stops at the first one reported or not
    owed, so a task that reports costs one or two periods, not its whole year."""
    run: list[str] = []
    for period in reversed(obligations.span_periods(task, plan)):
        if period in reported:  # submitted, on time or late: not missing
            break
        state = obligations.unreported_state(task, plan, period, as_of)
        if state in (PeriodState.UPCOMING, PeriodState.OPEN):
            continue
        if state != PeriodState.MISSING:
            break
        run.append(period)
    return run[::-1]


def task_colour(
    task: TaskFacts,
    plan: Plan,
    milestones: Iterable[MilestoneFacts],
    reported: Collection[str],
    as_of: dt.date,
    rules: Thresholds = DEFAULT,
) -> Verdict:
    """The task's colour on ``as_of``. ``reported`` holds the periods the task has a report for
    (submitted, in any review state)."""
    if task.status == TaskStatus.DONE:
        return Verdict(Colour.WHITE, ("已完成销号",))
    if task.status == TaskStatus.PAUSED:
        return Verdict(Colour.WHITE, ("已暂停",))
    red: list[str] = []
    yellow: list[str] = []
    overdue = obligations.is_overdue(task, as_of)
    for m in sorted(milestones, key=lambda m: m.due_on):
        if m.done or (overdue and m.due_on == task.deadline):  # the deadline's line says it
            continue
        days = (m.due_on - as_of).days
        if days < 0:
            red.append(f"节点“{m.description}”已逾期{-days}天")
        elif days <= rules.warn_days:
            yellow.append(f"节点“{m.description}”{'今天' if days == 0 else f'{days}天后'}到期，尚未完成")
    gap = obligations.time_progress(task, plan, as_of) - task.progress
    if overdue:  # the deadline says it all: no second "behind" line
        assert task.deadline is not None
        red.append(f"已超过完成时限{(as_of - task.deadline).days}天，尚未完成")
    elif gap > rules.red_behind:
        red.append(f"进度{task.progress}%，落后序时进度{gap}个百分点")
    elif gap > rules.yellow_behind:
        yellow.append(f"进度{task.progress}%，落后序时进度{gap}个百分点")
    run = missing_run(task, plan, reported, as_of)
    if run:
        text = f"{periods_text(run)}进展未报"
        (red if len(run) >= rules.red_missing else yellow).append(text)
    if task.status == TaskStatus.DELAYED:
        yellow.append("督查室标记为滞后")
    if red:
        return Verdict(Colour.RED, (*red, *yellow))
    if yellow:
        return Verdict(Colour.YELLOW, tuple(yellow))
    return Verdict(Colour.GREEN, (f"按计划推进（进度{task.progress}%，序时进度{gap + task.progress}%）",))


class ProblemFacts(Protocol):
    """What ``problem_colour`` reads of a problem (``Problem`` has it; tests pass plain objects)."""

    @property
    def state(self) -> str: ...
    @property
    def deadline(self) -> dt.date: ...
    @property
    def returned(self) -> bool: ...
    @property
    def return_comment(self) -> str: ...
    @property
    def reopen_count(self) -> int: ...
    @property
    def reopen_reason(self) -> str: ...


def problem_colour(problem: ProblemFacts, as_of: dt.date, rules: Thresholds = DEFAULT) -> Verdict:
    """The problem's colour on ``as_of`` (the rule in the module doc), reasons worst first."""
    if problem.state == ProblemState.CLOSED:
        return Verdict(Colour.WHITE, ("已整改销号",))
    red: list[str] = []
    yellow: list[str] = []
    days = (problem.deadline - as_of).days
    if days < 0:
        red.append(f"整改时限已过{-days}天")
    if problem.reopen_count:
        reason = f"：{problem.reopen_reason}" if problem.reopen_reason else ""
        red.append(f"回头看发现问题反弹，已重新挂账（第{problem.reopen_count}次）{reason}")
    if 0 <= days <= rules.warn_days:
        yellow.append("整改时限今天到期" if days == 0 else f"整改时限还有{days}天")
    if problem.returned:
        comment = f"：{problem.return_comment}" if problem.return_comment else ""
        yellow.append(f"整改验收未通过，已退回{comment}")
    if red:
        return Verdict(Colour.RED, (*red, *yellow))
    if yellow:
        return Verdict(Colour.YELLOW, tuple(yellow))
    if problem.state == ProblemState.SUBMITTED:
        return Verdict(Colour.GREEN, ("已提交整改，等待验收",))
    return Verdict(Colour.GREEN, (f"整改中，距整改时限还有{days}天",))
