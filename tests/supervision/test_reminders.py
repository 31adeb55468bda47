"""Automatic reminders: before a window closes, after it closed without a report, on a turn to
yellow or red — each once per (kind, task, period) or colour change, even from two processes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.ledger import services
from taizhang.notify.models import Kind, Message, Once
from taizhang.supervision import reminders
from taizhang.supervision.models import ColourChange
from tests.conftest import at
from tests.notify.conftest import together

pytestmark = pytest.mark.django_db


def _kinds(user: object) -> list[str]:
    return list(Message.objects.filter(recipient=user).values_list("kind", flat=True))


def test_before_the_window_closes(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    day = dt.date(2026, 4, 3)  # March's window closes on 5 April: two days left
    services.submit_report(
        ledger.housing, people.housing_reporter, period="2026-03", text="进展", percent=10, now=at(day)
    )
    sent = reminders.remind_due_soon(day, at(day))
    assert sent.tasks == 2  # 1.1 and 1.3; 1.2 has reported
    assert _kinds(people.reporter) == [Kind.REMINDER]
    assert _kinds(people.town_reporter) == [Kind.REMINDER]
    assert _kinds(people.housing_reporter) == []
    assert _kinds(people.section_reporter) == []  # a sub-unit's reporter is not the lead unit's
    message = Message.objects.get(recipient=people.reporter)
    assert "2026年3月" in message.title and "4月5日" in message.title
    assert "1.1 推进县道改造" in message.body and "还剩2天" in message.body
    assert message.link == f"/tasks/{ledger.transport.pk}/"
    # once only, however often the job runs
    assert reminders.remind_due_soon(day, at(day, 15)).tasks == 0
    assert reminders.remind_due_soon(day + dt.timedelta(days=1), at(day, 15)).tasks == 0
    assert Message.objects.count() == 2


@pytest.mark.parametrize(("day", "expected"), [("2026-04-02", 0), ("2026-04-05", 3), ("2026-04-06", 0)])
def test_only_within_the_lead_days(
    ledger: SimpleNamespace, people: SimpleNamespace, day: str, expected: int
) -> None:
    when = dt.date.fromisoformat(day)
    assert reminders.remind_due_soon(when, at(when)).tasks == expected


def test_after_the_window_closed(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    day = dt.date(2026, 4, 6)
    services.submit_report(
        ledger.town, people.town_reporter, period="2026-03", text="进展", percent=10, now=at("2026-04-01")
    )
    assert reminders.remind_missing(day, at(day)).tasks == 2
    assert _kinds(people.reporter) == [Kind.MISSING]
    assert _kinds(people.housing_reporter) == [Kind.MISSING]
    assert _kinds(people.town_reporter) == []
    assert "未报" in Message.objects.get(recipient=people.reporter).body
    assert reminders.remind_missing(day + dt.timedelta(days=2), at(day)).tasks == 0
    # long after the window closed, nothing more (a new installation does not chase old periods)
    Once.objects.all().delete()
    late = dt.date(2026, 4, 5) + dt.timedelta(days=reminders.MISSING_DAYS + 1)
    assert reminders.remind_missing(late, at(late)).tasks == 0


def _change(task: object, before: str, after: str, when: dt.datetime) -> ColourChange:
    return ColourChange.objects.create(
        task=task, at=when, as_of=when.date(), before=before, after=after, reasons=["节点'开工'已逾期3天"]
    )


def test_turning_yellow_or_red(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    now = at("2026-05-10")
    _change(ledger.transport, "green", "red", now)
    _change(ledger.housing, "green", "yellow", now)
    _change(ledger.town, "", "red", now)  # the first colour is not a change
    _change(ledger.town, "red", "yellow", now)  # better is not a warning
    old = _change(ledger.town, "green", "red", now - reminders.COLOUR_LOOKBACK - dt.timedelta(hours=1))
    sent = reminders.remind_colours(now.date(), now)
    assert sent.tasks == 2
    red = Message.objects.get(recipient=people.reporter)
    assert red.kind == Kind.WARNING and "红色" in red.title and "已逾期3天" in red.body
    assert "黄色" in Message.objects.get(recipient=people.housing_reporter).title
    assert _kinds(people.town_reporter) == []
    assert reminders.remind_colours(now.date(), now).tasks == 0
    assert not Once.objects.filter(key=f"colour:{old.pk}").exists()
    # a new turn of the same task is a new warning
    _change(ledger.transport, "yellow", "red", now + dt.timedelta(days=1))
    assert reminders.remind_colours(now.date(), now + dt.timedelta(days=1)).tasks == 1


def test_no_reporter_no_message(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    people.town_reporter.is_active = False
    people.town_reporter.save()
    day = dt.date(2026, 4, 3)
    assert reminders.remind_due_soon(day, at(day)).people == 2
    assert not Message.objects.filter(recipient=people.town_reporter).exists()


@pytest.mark.django_db(transaction=True)
def test_two_processes_create_each_reminder_once(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    day = dt.date(2026, 4, 3)
    now = at(day)
    _change(ledger.housing, "green", "red", now)
    together(lambda: reminders.reminders_step(day, now))
    # 3 due-soon reminders (one per lead unit) + 1 red warning, each once
    assert Message.objects.filter(kind=Kind.REMINDER).count() == 3
    assert Message.objects.filter(kind=Kind.WARNING).count() == 1
    assert Once.objects.count() == 4


def test_problems_in_rectification_near_or_past_their_deadline(
    people: SimpleNamespace, problem: object
) -> None:
    """The county's problem (住建局, due 30 September, 整改中): nothing while green, a reminder when
    the problem rule turns it yellow, a warning when red — each once; the responsible unit only."""
    from taizhang.supervision.problem_models import Problem

    assert isinstance(problem, Problem)

    def run(day: dt.date) -> int:
        return reminders.remind_problems(day, at(day)).tasks

    assert run(dt.date(2026, 9, 20)) == 0  # ten days left: green
    assert run(dt.date(2026, 9, 25)) == 1  # five days left: yellow
    assert run(dt.date(2026, 9, 26)) == 0  # once
    message = Message.objects.get(recipient=people.housing_reporter)
    assert message.kind == Kind.REMINDER
    assert message.title.startswith("整改提醒")
    assert "老旧小区改造资金缺口较大" in message.body and "整改时限还有5天" in message.body
    assert message.link == f"/problems/{problem.pk}/"
    assert run(dt.date(2026, 10, 2)) == 1  # past its deadline: red, warned again
    assert run(dt.date(2026, 10, 3)) == 0
    warning = Message.objects.filter(recipient=people.housing_reporter).latest("id")
    assert warning.kind == Kind.WARNING and warning.title.startswith("整改督办")
    assert "整改时限已过2天" in warning.body
    assert _kinds(people.reporter) == []  # 交通局 is not responsible
    assert _kinds(people.supervisor) == []


def test_a_moved_deadline_reminds_again_and_a_submitted_problem_not(
    people: SimpleNamespace, problem: object
) -> None:
    from taizhang.supervision import problems
    from taizhang.supervision.problem_models import Problem

    assert isinstance(problem, Problem)
    day = dt.date(2026, 9, 25)
    assert reminders.remind_problems(day, at(day)).tasks == 1
    Problem.objects.filter(pk=problem.pk).update(deadline=dt.date(2026, 9, 28))
    assert reminders.remind_problems(day, at(day)).tasks == 1  # a new deadline is a new reminder
    fresh = Problem.objects.select_related("plan", "unit").get(pk=problem.pk)
    problems.submit_rectification(
        fresh, people.housing_reporter, text="已争取省级资金", expected_version=fresh.version
    )
    late = dt.date(2026, 10, 5)
    assert reminders.remind_problems(late, at(late)).tasks == 0  # 待验收: the supervisor's turn


@pytest.mark.django_db(transaction=True)
def test_two_processes_remind_a_problem_once(people: SimpleNamespace, problem: object) -> None:
    day = dt.date(2026, 10, 2)
    results = together(lambda: reminders.remind_problems(day, at(day)).tasks)
    assert sorted(results) == [0, 1]
    assert Message.objects.filter(recipient=people.housing_reporter).count() == 1


def test_old_claims_are_pruned(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    now = at("2026-06-01")
    old = Once.objects.create(key="missing:1:2026-01")
    recent = Once.objects.create(key="missing:1:2026-04")
    Once.objects.filter(pk=old.pk).update(created_at=now - reminders.KEEP_CLAIMS - dt.timedelta(seconds=1))
    Once.objects.filter(pk=recent.pk).update(created_at=now - reminders.KEEP_CLAIMS + dt.timedelta(hours=1))
    reminders.reminders_step(now.date(), now)
    keys = set(Once.objects.values_list("key", flat=True))
    assert "missing:1:2026-01" not in keys
    assert "missing:1:2026-04" in keys
