"""批示件: who makes one, who answers, the states, bad input in Chinese."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Comment
from taizhang.supervision import instructions
from taizhang.supervision.models import Instruction, InstructionState
from tests.conftest import at

pytestmark = pytest.mark.django_db
NOW = at("2026-04-02")
DAY = dt.date(2026, 4, 2)


def make(
    people: SimpleNamespace, task: Any, who: str = "leader", due: Any = DAY + dt.timedelta(days=10)
) -> Instruction:
    return instructions.issue_instruction(
        task, getattr(people, who), text="请加快征迁进度", due_on=due, now=NOW
    )


def test_a_leaders_instruction_waits_for_the_lead_unit(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    item = make(people, ledger.transport)
    assert item.comment.text == "请加快征迁进度" and item.comment.author == people.leader
    assert item.state == InstructionState.WAITING and item.is_waiting
    assert not item.is_overdue(dt.date(2026, 4, 12)) and item.is_overdue(dt.date(2026, 4, 13))
    assert list(instructions.instructions_to_answer(people.reporter)) == [item]
    assert list(instructions.instructions_to_answer(people.housing_reporter)) == []  # a co-unit
    assert list(instructions.waiting(people.leader)) == [item]
    done = instructions.answer_instruction(
        item, people.reporter, text="已召开专题会，征迁完成80%", expected_version=item.version, now=NOW
    )
    assert done.state == InstructionState.DONE and done.answered_by == people.reporter
    assert not done.is_overdue(dt.date(2027, 1, 1))
    assert list(instructions.waiting(people.leader)) == []
    with pytest.raises(DomainError, match="已报告落实情况，不能重复报告"):
        instructions.answer_instruction(done, people.reporter, text="再报", expected_version=done.version)


@pytest.mark.parametrize(
    ("due", "message"),
    [
        (dt.date(2026, 4, 1), "落实时限不能早于今天"),
        (dt.date(2028, 1, 1), "落实时限不能晚于2027年12月31日"),
        (None, "请填写落实时限"),
    ],
)
def test_bad_due_dates_save_nothing(
    people: SimpleNamespace, ledger: SimpleNamespace, due: Any, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        make(people, ledger.transport, due=due)
    assert not Comment.objects.exists() and not Instruction.objects.exists()


@pytest.mark.parametrize("who", ["reporter", "housing_reporter", "bureau_supervisor"])
def test_who_may_not_make_one(people: SimpleNamespace, ledger: SimpleNamespace, who: str) -> None:
    """Reporters never; a bureau's supervisor only on tasks its bureau owns or leads (not 住建局's)."""
    with pytest.raises(PermissionDenied):
        make(people, ledger.housing, who=who)


def test_an_existing_comment_becomes_one_once(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    comment = services.add_comment(ledger.transport, people.leader, "请按期完成")
    item = instructions.require_follow_up(comment, people.supervisor, due_on=DAY, now=NOW)
    assert item.task == ledger.transport and item.created_by == people.supervisor
    with pytest.raises(DomainError, match="该批示已列为批示件"):
        instructions.require_follow_up(comment, people.leader, due_on=DAY, now=NOW)


@pytest.mark.parametrize("who", ["housing_reporter", "section_reporter", "supervisor", "leader"])
def test_only_the_lead_units_reporter_answers(
    people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    item = make(people, ledger.transport)
    with pytest.raises(PermissionDenied):
        instructions.answer_instruction(item, getattr(people, who), text="x", expected_version=item.version)


def test_answer_checks_text_and_version(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    item = make(people, ledger.transport)
    for empty in ("", " "):
        with pytest.raises(DomainError, match="请填写落实情况"):
            instructions.answer_instruction(item, people.reporter, text=empty, expected_version=item.version)
    with pytest.raises(DomainError, match="落实情况不能超过 5000 字"):
        instructions.answer_instruction(
            item, people.reporter, text="落" * 5001, expected_version=item.version
        )
    with pytest.raises(StaleVersion):
        instructions.answer_instruction(item, people.reporter, text="x", expected_version=item.version + 1)
    item.refresh_from_db()
    assert item.is_waiting


def test_an_answer_of_5000_characters_is_kept_with_the_moment_given(
    people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: at("2026-09-15"))  # the clock is elsewhere
    item = make(people, ledger.transport)
    instructions.answer_instruction(
        item, people.reporter, text="落" * 5000, expected_version=item.version, now=at("2026-04-05", 16)
    )
    fresh = Instruction.objects.get(pk=item.pk)
    assert (fresh.answer, fresh.answered_at) == ("落" * 5000, at("2026-04-05", 16))


def test_an_answer_whose_audit_record_fails_leaves_the_instruction_waiting(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from unittest import mock

    from auditlog.models import LogEntry

    item = make(people, ledger.transport)
    with (
        mock.patch.object(LogEntry.objects, "log_create", side_effect=RuntimeError("audit table locked")),
        pytest.raises(RuntimeError),
    ):
        instructions.answer_instruction(item, people.reporter, text="已落实", expected_version=item.version)
    fresh = Instruction.objects.get(pk=item.pk)
    assert fresh.is_waiting and fresh.answer == "" and fresh.version == item.version
    instructions.answer_instruction(item, people.reporter, text="已落实", expected_version=item.version)


def test_an_instruction_that_fails_to_be_made_leaves_no_comment(
    people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 批示 and its 批示件 together, or neither: a 批示 left alone would never be followed up."""

    def fail(*args: Any, **kwargs: Any) -> Instruction:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Instruction.objects, "create", fail)
    with pytest.raises(RuntimeError):
        make(people, ledger.transport)
    assert Comment.objects.count() == 0 and Instruction.objects.count() == 0


def test_each_sees_the_instructions_on_the_tasks_they_see(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    on_transport = make(people, ledger.transport)
    on_town = make(people, ledger.town)
    assert set(instructions.instructions_in_scope(people.leader)) == {on_transport, on_town}
    assert set(instructions.instructions_in_scope(people.housing_reporter)) == {on_transport}  # a co-unit
    assert set(instructions.instructions_in_scope(people.town_reporter)) == {on_town}
    assert set(instructions.instructions_in_scope(people.section_reporter)) == set()
    assert list(instructions.waiting(people.town_reporter)) == [on_town]


def test_the_task_page_reads_every_instruction_with_its_comment(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = login(people.leader)
    url = reverse("ledger:task_detail", args=[ledger.transport.pk])
    make(people, ledger.transport)
    client.get(url)  # warm: session, caches
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert "请加快征迁进度" in page
    for n in range(3):  # distinct texts: the same text twice is a double click, refused
        instructions.issue_instruction(
            ledger.transport,
            people.leader,
            text=f"请加快第{n}段征迁",
            due_on=DAY + dt.timedelta(days=10),
            now=NOW,
        )
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)
