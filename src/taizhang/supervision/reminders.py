"""Reminders that reach people: automatic (a window about to close, a window closed without a
report, a task turning yellow or red) and by hand (催报 for one task, one unit, or everyone).

What a task owes and whether it is missing is ``ledger.obligations`` (``period_state_expr``), the
calendar is ``ledger.periods``: nothing here re-derives them. Recipients are the reporters of the
task's lead unit; ``notify.send`` puts the message in their message centre and queues e-mails and
robot posts. One message per unit lists its tasks, so a unit's group is not flooded.

Problems in rectification are reminded too, by the problem rule's colour (``remind_problems``).

An automatic reminder happens at most once per (kind, task, period) — or per colour change — even
with two supervise processes: its key is inserted in ``notify.Once`` (unique) in the transaction
that creates the messages, and the process that loses the insert sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from taizhang.accounts.models import Role, User
from taizhang.core.colours import ORDER, Colour
from taizhang.ledger.models import Plan, Task
from taizhang.ledger.obligations import PeriodState, period_state_expr, period_states
from taizhang.ledger.periods import last_closed_period, open_periods, period_label, plan_window
from taizhang.notify.models import Kind, Message, Once
from taizhang.notify.services import send
from taizhang.supervision import problems
from taizhang.supervision.colours import Verdict
from taizhang.supervision.models import ColourChange
from taizhang.supervision.problem_models import Problem, ProblemState

# Remind this many days before a window closes (and on the day it closes).
LEAD_DAYS = 2
# A closed window's missing reports are reminded for this many days after it closed (a job that
# was off for a while still catches up; a new installation does not chase last year).
MISSING_DAYS = 15
# Colour changes read per run: those of the last week (each claimed once).
COLOUR_LOOKBACK = dt.timedelta(days=7)
KEY_CHUNK = 500
# Claims older than this are deleted: every reminder's own window is far shorter (2 days before a
# close, 15 after, colour changes of a week), so an old key can never be claimed again — except a
# problem still yellow or red after four months, which is then reminded once more, as it should be.
KEEP_CLAIMS = dt.timedelta(days=120)


@dataclass(frozen=True)
class Owed:
    """A report a task owes: ``state`` OPEN (window still open) or MISSING (closed without one)."""

    task: Task
    period: str
    state: str
    closes: dt.date

    def line(self, as_of: dt.date) -> str:
        head = f"{self.task.code} {self.task.title}".strip()
        when = f"{self.closes.month}月{self.closes.day}日截止"
        if self.state == PeriodState.MISSING:
            return f"· {head}：{period_label(self.period)}进展未报（{when}）"
        left = (self.closes - as_of).days
        soon = "今天截止" if left == 0 else f"还剩{left}天"
        return f"· {head}：{period_label(self.period)}进展待报（{when}，{soon}）"


def reporters(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active reporters of each unit (who receive a unit's reminders)."""
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(unit_id__in=set(unit_ids), role=Role.REPORTER, is_active=True):
        assert user.unit_id is not None
        found[user.unit_id].append(user)
    return found


def _in_state(tasks: QuerySet[Task], plan: Plan, period: str, state: str, as_of: dt.date) -> list[Owed]:
    closes = plan_window(plan, period).closes
    rows = (
        tasks.filter(plan=plan)
        .annotate(period_state=period_state_expr(period, as_of))
        .filter(period_state=state)
        .select_related("lead_unit")
        .order_by("seq", "id")
    )
    return [Owed(task, period, state, closes) for task in rows]


def due_now(plan: Plan, as_of: dt.date) -> tuple[str | None, str | None]:
    """The plan's period being reported now (the open window closing first) and its last closed
    period — what a 催报 is about."""
    opened = open_periods(plan, as_of)
    return (opened[0] if opened else None), last_closed_period(plan, as_of)


def owed_in_plan(tasks: QuerySet[Task], plan: Plan, as_of: dt.date) -> list[Owed]:
    """Of ``tasks`` in ``plan``: the last closed period's missing reports and the current period's
    reports not yet in."""
    current, last = due_now(plan, as_of)
    owed: list[Owed] = []
    if last is not None:
        owed += _in_state(tasks, plan, last, PeriodState.MISSING, as_of)
    if current is not None:
        owed += _in_state(tasks, plan, current, PeriodState.OPEN, as_of)
    return owed


def owed_by_task(task: Task, as_of: dt.date) -> list[Owed]:
    """Every missing period of one task, and the current period if it is not yet reported."""
    current, _ = due_now(task.plan, as_of)
    return [
        Owed(task, s.period, s.state, s.window.closes)
        for s in period_states(task, as_of)
        if s.state == PeriodState.MISSING or (s.state == PeriodState.OPEN and s.period == current)
    ]


def _link(tasks: Sequence[Task]) -> str:
    if len({t.pk for t in tasks}) == 1:
        return reverse("ledger:task_detail", args=[tasks[0].pk])
    return reverse("front:home")


@dataclass
class Sent:
    units: int = 0
    people: int = 0
    tasks: int = 0


def _send_by_unit(
    items: Sequence[tuple[Task, str]],
    title: str,
    kind: str,
    *,
    sender: User | None,
    now: dt.datetime,
    keys: dict[int, list[str]] | None = None,
) -> Sent:
    """One message per lead unit listing its lines (``items``: task and line). With ``keys`` (per
    item index), each item is first claimed in ``Once``; items another process claimed are left out."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    for index, (task, _) in enumerate(items):
        if task.lead_unit_id is not None:
            by_unit[task.lead_unit_id].append(index)
    people = reporters(by_unit)
    result = Sent()
    for unit_id, indexes in by_unit.items():
        with transaction.atomic():
            if keys is not None:
                indexes = [i for i in indexes if _claim_all(keys[i])]
            if not indexes or not people.get(unit_id):
                continue
            tasks = [items[i][0] for i in indexes]
            body = "\n".join(dict.fromkeys(items[i][1] for i in indexes))
            messages = send(people[unit_id], title, body, _link(tasks), kind, sender=sender, now=now)
        result.units += 1
        result.people += len(messages)
        result.tasks += len({t.pk for t in tasks})
    return result


def _claim_all(keys: list[str]) -> bool:
    """Insert the keys (all or none); false when another process holds one already."""
    try:
        with transaction.atomic():
            for key in keys:
                Once.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def _unclaimed(keys: list[str]) -> set[str]:
    """The keys not yet used (a cheap filter before claiming; the claim itself decides)."""
    used: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        used.update(
            Once.objects.filter(key__in=keys[start : start + KEY_CHUNK]).values_list("key", flat=True)
        )
    return set(keys) - used


def _remind(owed: list[Owed], kind: str, title: str, key_kind: str, as_of: dt.date, now: dt.datetime) -> Sent:
    keyed = [(o, f"{key_kind}:{o.task.pk}:{o.period}") for o in owed]
    fresh = _unclaimed([k for _, k in keyed])
    keyed = [(o, k) for o, k in keyed if k in fresh]
    items = [(o.task, o.line(as_of)) for o, _ in keyed]
    return _send_by_unit(
        items, title, kind, sender=None, now=now, keys={i: [k] for i, (_, k) in enumerate(keyed)}
    )


def _active_plans(as_of: dt.date) -> QuerySet[Plan]:
    return Plan.objects.filter(year__gte=as_of.year - 1, year__lte=as_of.year)


def remind_due_soon(as_of: dt.date, now: dt.datetime) -> Sent:
    """Tasks owing the current period, not yet reported, its window closing within ``LEAD_DAYS``."""
    total = Sent()
    for plan in _active_plans(as_of):
        current, _ = due_now(plan, as_of)
        if current is None:
            continue
        closes = plan_window(plan, current).closes
        if not 0 <= (closes - as_of).days <= LEAD_DAYS:
            continue
        owed = _in_state(Task.objects.all(), plan, current, PeriodState.OPEN, as_of)
        title = f"报送提醒：{period_label(current)}进展请于{closes.month}月{closes.day}日前报送"
        _add(total, _remind(owed, Kind.REMINDER, title, "due_soon", as_of, now))
    return total


def remind_missing(as_of: dt.date, now: dt.datetime) -> Sent:
    """Tasks whose last closed period's window closed (within ``MISSING_DAYS``) without a report."""
    total = Sent()
    for plan in _active_plans(as_of):
        _, last = due_now(plan, as_of)
        if last is None or (as_of - plan_window(plan, last).closes).days > MISSING_DAYS:
            continue
        owed = _in_state(Task.objects.all(), plan, last, PeriodState.MISSING, as_of)
        title = f"未报提醒：{period_label(last)}进展逾期未报，请尽快补报"
        _add(total, _remind(owed, Kind.MISSING, title, "missing", as_of, now))
    return total


def remind_colours(as_of: dt.date, now: dt.datetime) -> Sent:
    """Tasks that turned yellow or red (worse than before) in the last ``COLOUR_LOOKBACK``. A
    task's first colour is not a change (a new installation does not warn about everything)."""
    changes = [
        c
        for c in ColourChange.objects.filter(
            at__gte=now - COLOUR_LOOKBACK, after__in=[Colour.YELLOW, Colour.RED]
        )
        .exclude(before="")
        .select_related("task")
        .order_by("at", "id")
        if _worse(c.after, c.before)
    ]
    fresh = _unclaimed([f"colour:{c.pk}" for c in changes])
    changes = [c for c in changes if f"colour:{c.pk}" in fresh]
    total = Sent()
    for colour in (Colour.RED, Colour.YELLOW):
        picked = [c for c in changes if c.after == colour]
        items = [(c.task, _colour_line(c)) for c in picked]
        keys = {i: [f"colour:{c.pk}"] for i, c in enumerate(picked)}
        title = f"{'红色督办' if colour == Colour.RED else '黄色预警'}：任务转为{colour.label}"
        _add(total, _send_by_unit(items, title, Kind.WARNING, sender=None, now=now, keys=keys))
    return total


def _worse(after: str, before: str) -> bool:
    """``after`` is a more severe colour than ``before`` (``ORDER`` is worst first)."""
    return ORDER.index(Colour(after)) < ORDER.index(Colour(before))


def _colour_line(change: ColourChange) -> str:
    task = change.task
    why = "；".join(str(r) for r in change.reasons) or "—"
    return f"· {task.code} {task.title}".rstrip() + f"：{Colour(change.after).label}（{why}）"


def remind_problems(as_of: dt.date, now: dt.datetime) -> Sent:
    """Problems in rectification (整改中) that the problem rule (``problem_colour``, under the plan's
    thresholds) colours yellow or red — the deadline near or past, returned, re-opened — reminded
    to the responsible unit's reporters, once per (problem, colour, deadline): a problem that turns
    red after its yellow warning is reminded again, and so is one whose deadline was moved."""
    rows = (
        Problem.objects.filter(state=ProblemState.OPEN, plan__in=_active_plans(as_of))
        .select_related("plan")
        .order_by("deadline", "id")
    )
    due = [
        (problem, verdict, f"problem:{problem.pk}:{verdict.colour}:{problem.deadline.isoformat()}")
        for problem, verdict in problems.coloured(rows, as_of)
        if verdict.colour in (Colour.YELLOW, Colour.RED)
    ]
    fresh = _unclaimed([key for _, _, key in due])
    by_unit: dict[int, list[tuple[Problem, Verdict, str]]] = defaultdict(list)
    for row in due:
        if row[2] in fresh:
            by_unit[row[0].unit_id].append(row)
    people = reporters(by_unit)
    result = Sent()
    for unit_id, picked in by_unit.items():
        with transaction.atomic():
            picked = [row for row in picked if _claim_all([row[2]])]
            if not picked or not people.get(unit_id):
                continue
            red = any(verdict.colour == Colour.RED for _, verdict, _ in picked)
            title = "整改督办：问题整改已逾期或反弹" if red else "整改提醒：问题整改时限将到"
            body = "\n".join(f"· {p.title}：{'；'.join(v.reasons)}" for p, v, _ in picked)
            link = (
                reverse("problems:detail", args=[picked[0][0].pk])
                if len(picked) == 1
                else reverse("problems:list")
            )
            kind = Kind.WARNING if red else Kind.REMINDER
            messages = send(people[unit_id], title, body, link, kind, sender=None, now=now)
        result.units += 1
        result.people += len(messages)
        result.tasks += len(picked)
    return result


def _add(total: Sent, more: Sent) -> None:
    total.units += more.units
    total.people += more.people
    total.tasks += more.tasks


def reminders_step(as_of: dt.date, now: dt.datetime) -> str:
    """The supervise step: every automatic reminder that is due, each once."""
    soon, missing, colours, problem = (
        remind_due_soon(as_of, now),
        remind_missing(as_of, now),
        remind_colours(as_of, now),
        remind_problems(as_of, now),
    )
    people = soon.people + missing.people + colours.people + problem.people
    Once.objects.filter(created_at__lt=now - KEEP_CLAIMS).delete()
    return (
        f"自动提醒：报送提醒 {soon.tasks} 项、未报提醒 {missing.tasks} 项、"
        f"变色预警 {colours.tasks} 项、整改提醒 {problem.tasks} 个问题，共通知 {people} 人次"
    )


# --- by hand: 催报 ----------------------------------------------------------------------------------

CHASE_TITLE = "催报：请尽快报送工作进展"


def chase(owed: Sequence[Owed], sender: User, as_of: dt.date, now: dt.datetime | None = None) -> Sent:
    """Send a 催报 to the lead units of the owed reports (one message per unit, audited as
    ``sender``'s messages)."""
    items = [(o.task, o.line(as_of)) for o in owed]
    return _send_by_unit(items, CHASE_TITLE, Kind.CHASE, sender=sender, now=now or timezone.now())


def chase_summary(sent: Sent, owed: Sequence[Owed]) -> tuple[bool, str]:
    """The flash message after a 催报: (anything sent, words)."""
    if not owed:
        return False, "没有需要催报的任务：应报的进展均已报送。"
    if not sent.people:
        return False, "牵头单位暂无填报员账号，未能发送催报。"
    skipped = len({o.task.pk for o in owed}) - sent.tasks
    text = f"已向 {sent.units} 个单位的 {sent.people} 人发送催报（{sent.tasks} 项任务）。"
    if skipped:
        text += f"另有 {skipped} 项任务的牵头单位暂无填报员账号，未能发送。"
    return True, text


def demo(as_of: dt.date) -> str:
    """The demo's messages: a 催报 from the county's supervisor to the units owing reports, and the
    automatic reminders due on ``as_of``."""
    supervisor = User.objects.filter(role=Role.SUPERVISOR, unit__parent__isnull=True, is_active=True).first()
    now = timezone.now()
    if supervisor is not None:
        for plan in Plan.objects.filter(year=as_of.year):
            owed = owed_in_plan(Task.objects.all(), plan, as_of)
            units = list(dict.fromkeys(o.task.lead_unit_id for o in owed))[:3]
            chase([o for o in owed if o.task.lead_unit_id in units], supervisor, as_of, now)
    reminders_step(as_of, now)
    unread = Message.objects.filter(read_at__isnull=True).count()
    return f"站内消息：{unread} 条未读提醒"
