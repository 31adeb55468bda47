"""督办通知: numbering, the state machine (every transition allowed and refused), permissions,
bad input in Chinese, escalation once (also from two processes at once)."""

from __future__ import annotations

import datetime as dt
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Task, TaskStatus
from taizhang.supervision import notices
from taizhang.supervision.models import (
    Colour,
    Notice,
    NoticeKind,
    NoticeState,
    ReplyVerdict,
    TaskColour,
)
from tests.conftest import at

NOW = at("2026-04-02")
DAY = dt.date(2026, 4, 2)


def issue(people: SimpleNamespace, tasks: list[Any], kind: str = NoticeKind.ORDER, **kw: Any) -> Notice:
    kw.setdefault("reply_due", DAY + dt.timedelta(days=5))
    kw.setdefault("now", NOW)
    return notices.issue_notice(
        people.supervisor, kind=kind, tasks=tasks, subject="进度滞后，请说明原因", **kw
    )


def reply(notice: Notice, user: Any, **kw: Any) -> Any:
    kw.setdefault("now", NOW)
    return notices.reply_notice(notice, user, text="已倒排工期", expected_version=notice.version, **kw)


def fresh(notice: Notice) -> Notice:
    return Notice.objects.select_related("plan").get(pk=notice.pk)


# --- numbering ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_run_per_year_and_kind(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    first = issue(people, [ledger.transport])
    second = issue(people, [ledger.housing])
    prompt = issue(people, [ledger.town], kind=NoticeKind.PROMPT)
    warning = issue(people, [ledger.town], kind=NoticeKind.WARNING)
    next_year = issue(people, [ledger.town], now=at("2027-01-04"), reply_due=dt.date(2027, 1, 10))
    assert [first.doc_number, second.doc_number] == ["督办〔2026〕1号", "督办〔2026〕2号"]
    assert prompt.doc_number == "提示〔2026〕1号"
    assert warning.doc_number == "警示〔2026〕1号"
    assert next_year.doc_number == "督办〔2027〕1号"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_numbers(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between connections (run by the PostgreSQL pass)")
    barrier = threading.Barrier(4)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            numbers.append(issue(people, [ledger.transport]).number)
        except BaseException as err:
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [1, 2, 3, 4]


# --- issuing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_snapshots_the_colour_reasons(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    TaskColour.objects.update_or_create(
        task=ledger.transport,
        defaults={"colour": Colour.RED, "reasons": ["节点“开工”已逾期12天"], "as_of": DAY, "since": NOW},
    )
    notice = issue(people, [ledger.transport])
    TaskColour.objects.filter(task=ledger.transport).update(reasons=["别的原因"])
    item = notice.items.get()
    assert (item.colour, item.reasons) == (Colour.RED, ["节点“开工”已逾期12天"])
    assert notice.unit == ledger.transport.lead_unit
    assert notice.state == NoticeState.PENDING and notice.issued_by == people.supervisor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "message"),
    [
        (dt.date(2026, 4, 1), "回复时限不能早于今天（2026年4月2日）"),
        (dt.date(2028, 1, 1), "回复时限不能晚于2027年12月31日"),
        (None, "请填写回复时限"),
    ],
)
def test_bad_reply_deadline_is_refused_in_chinese(
    people: SimpleNamespace, ledger: SimpleNamespace, due: Any, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        issue(people, [ledger.transport], reply_due=due)
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_the_last_allowed_deadline_and_today_pass(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert issue(people, [ledger.transport], reply_due=dt.date(2027, 12, 31)).pk
    assert issue(people, [ledger.transport], reply_due=DAY).pk


@pytest.mark.django_db
def test_issue_refusals(
    people: SimpleNamespace, ledger: SimpleNamespace, bureau_plan: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="请至少选择一项任务"):
        issue(people, [])
    with pytest.raises(DomainError, match="只能发给一个牵头单位"):
        issue(people, [ledger.transport, ledger.housing])
    with pytest.raises(DomainError, match="同一工作计划"):
        issue(people, [ledger.transport, bureau_plan.task])
    with pytest.raises(DomainError, match="请选择通知类别"):
        issue(people, [ledger.transport], kind="memo")
    with pytest.raises(DomainError, match="请填写事由"):
        notices.issue_notice(
            people.supervisor,
            kind=NoticeKind.ORDER,
            tasks=[ledger.transport],
            subject=" ",
            reply_due=DAY,
            now=NOW,
        )
    ledger.housing.status = TaskStatus.DONE
    ledger.housing.save()
    with pytest.raises(DomainError, match="已完成或已暂停"):
        issue(people, [ledger.housing])
    assert not Notice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "bureau_supervisor", "reporter", "admin"])
def test_only_the_plans_supervisor_issues(people: SimpleNamespace, ledger: SimpleNamespace, who: str) -> None:
    with pytest.raises(PermissionDenied):
        notices.issue_notice(
            getattr(people, who),
            kind=NoticeKind.ORDER,
            tasks=[ledger.transport],
            subject="x",
            reply_due=DAY,
            now=NOW,
        )


@pytest.mark.django_db
def test_a_bureau_supervisor_issues_on_its_own_plan(
    people: SimpleNamespace, bureau_plan: SimpleNamespace
) -> None:
    notice = notices.issue_notice(
        people.bureau_supervisor,
        kind=NoticeKind.PROMPT,
        tasks=[bureau_plan.task],
        subject="x",
        reply_due=DAY,
        now=NOW,
    )
    assert notice.unit == bureau_plan.task.lead_unit


# --- the state machine --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reply_accept(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    answer = reply(notice, people.reporter, new_date=dt.date(2026, 6, 30))
    notice = fresh(notice)
    assert notice.state == NoticeState.REPLIED
    assert answer.new_date == dt.date(2026, 6, 30) and answer.replied_by == people.reporter
    closed = notices.decide_notice(
        notice, people.supervisor, accept=True, expected_version=notice.version, now=NOW
    )
    assert closed.state == NoticeState.CLOSED and closed.decided_by == people.supervisor
    answer.refresh_from_db()
    assert answer.verdict == ReplyVerdict.ACCEPTED


@pytest.mark.django_db
def test_return_then_reply_again(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    reply(notice, people.reporter)
    notice = fresh(notice)
    with pytest.raises(DomainError, match="退回时请填写退回意见"):
        notices.decide_notice(
            notice, people.supervisor, accept=False, expected_version=notice.version, now=NOW
        )
    returned = notices.decide_notice(
        notice,
        people.supervisor,
        accept=False,
        comment="措施不具体",
        expected_version=notice.version,
        now=NOW,
    )
    assert returned.state == NoticeState.RETURNED and returned.decision_comment == "措施不具体"
    assert returned.replies.get().verdict == ReplyVerdict.RETURNED
    # the unit answers again within a fresh deadline
    assert returned.reply_due >= DAY + dt.timedelta(days=notices.REPLY_DAYS[NoticeKind.ORDER])
    reply(returned, people.reporter)
    assert fresh(notice).state == NoticeState.REPLIED
    assert notice.replies.count() == 2


@pytest.mark.django_db
def test_reply_refused_in_every_state_but_awaiting(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    reply(notice, people.reporter)
    replied = fresh(notice)
    with pytest.raises(DomainError, match="督办〔2026〕1号已回复，如需补充请修改回复"):
        reply(replied, people.reporter)
    closed = notices.decide_notice(
        replied, people.supervisor, accept=True, expected_version=replied.version, now=NOW
    )
    with pytest.raises(DomainError, match="督办〔2026〕1号已办结，不能再回复"):
        reply(closed, people.reporter)
    with pytest.raises(DomainError, match="没有待审核的回复"):
        notices.decide_notice(
            closed, people.supervisor, accept=True, expected_version=closed.version, now=NOW
        )


@pytest.mark.django_db
def test_a_reply_is_corrected_while_it_waits_for_review(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from auditlog.models import LogEntry

    notice = issue(people, [ledger.transport])
    first = reply(notice, people.reporter, new_date=dt.date(2026, 6, 30))
    replied = fresh(notice)
    later = NOW + dt.timedelta(hours=2)
    fixed = notices.amend_reply(
        replied,
        people.reporter,
        text="已倒排工期，6月底前完成路基",
        new_date=dt.date(2026, 7, 15),
        files=[SimpleUploadedFile("计划.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        expected_version=replied.version,
        now=later,
    )
    assert fixed.pk == first.pk and replied.replies.count() == 1  # corrected, not answered twice
    assert (fixed.text, fixed.new_date, fixed.edited_at) == (
        "已倒排工期，6月底前完成路基",
        dt.date(2026, 7, 15),
        later,
    )
    assert fixed.attachments.count() == 1
    after = fresh(notice)
    assert after.state == NoticeState.REPLIED and after.version == replied.version + 1
    change = LogEntry.objects.get_for_object(fixed).latest("timestamp")
    assert change.actor == people.reporter and "text" in change.changes_dict
    # a supervisor deciding on the reply as it was is told it changed
    with pytest.raises(StaleVersion):
        notices.decide_notice(
            replied, people.supervisor, accept=True, expected_version=replied.version, now=later
        )
    notices.decide_notice(after, people.supervisor, accept=True, expected_version=after.version, now=later)
    closed = fresh(notice)
    with pytest.raises(DomainError, match="已办结，不能再回复"):
        notices.amend_reply(
            closed, people.reporter, text="再补充", expected_version=closed.version, now=later
        )


@pytest.mark.django_db
def test_only_a_waiting_reply_is_corrected_and_only_by_the_recipient(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    with pytest.raises(DomainError, match="尚未回复，请直接回复"):
        notices.amend_reply(notice, people.reporter, text="x", expected_version=notice.version, now=NOW)
    reply(notice, people.reporter)
    replied = fresh(notice)
    for who in (people.housing_reporter, people.supervisor):
        with pytest.raises(PermissionDenied):
            notices.amend_reply(replied, who, text="x", expected_version=replied.version, now=NOW)
    with pytest.raises(DomainError, match="请填写回复内容"):
        notices.amend_reply(replied, people.reporter, text="  ", expected_version=replied.version, now=NOW)
    assert fresh(notice).replies.get().text == "已倒排工期"


@pytest.mark.django_db
def test_decide_refused_before_a_reply(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    with pytest.raises(DomainError, match="当前为“待回复”，没有待审核的回复"):
        notices.decide_notice(
            notice, people.supervisor, accept=True, expected_version=notice.version, now=NOW
        )
    assert fresh(notice).state == NoticeState.PENDING


@pytest.mark.django_db
def test_stale_version_is_refused(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    with pytest.raises(StaleVersion):
        notices.reply_notice(notice, people.reporter, text="x", expected_version=notice.version + 1, now=NOW)
    reply(notice, people.reporter)
    with pytest.raises(StaleVersion):
        notices.decide_notice(
            notice, people.supervisor, accept=True, expected_version=notice.version, now=NOW
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    ["housing_reporter", "section_reporter", "bureau_supervisor", "supervisor", "leader", "town_reporter"],
)
def test_only_the_recipients_reporter_replies(
    people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    """The co-unit (住建局 co-operates on the transport task), a sub-unit's reporter, and the owner
    side may not answer for 交通运输局."""
    notice = issue(people, [ledger.transport])
    with pytest.raises(PermissionDenied):
        reply(notice, getattr(people, who))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bureau_supervisor", "leader", "reporter", "colleague"])
def test_only_the_plans_supervisors_decide(
    people: SimpleNamespace, ledger: SimpleNamespace, colleague: Any, who: str
) -> None:
    notice = issue(people, [ledger.transport])
    reply(notice, people.reporter)
    notice = fresh(notice)
    user = colleague if who == "colleague" else getattr(people, who)
    if who == "colleague":  # a second supervisor of the owner unit may decide
        assert notices.decide_notice(notice, user, accept=True, expected_version=notice.version, now=NOW).pk
        return
    with pytest.raises(PermissionDenied):
        notices.decide_notice(notice, user, accept=True, expected_version=notice.version, now=NOW)


@pytest.mark.django_db
def test_reply_checks_attachments_and_dates(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    fake = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match=r"内容与扩展名 \.pdf 不符"):
        reply(notice, people.reporter, files=[fake])
    with pytest.raises(DomainError, match="承诺完成时间不能早于今天"):
        reply(notice, people.reporter, new_date=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="请填写回复内容"):
        notices.reply_notice(notice, people.reporter, text="  ", expected_version=notice.version, now=NOW)
    assert fresh(notice).state == NoticeState.PENDING
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    answer = reply(notice, people.reporter, files=[pdf])
    assert [a.original_name for a in answer.attachments.all()] == ["说明.pdf"]


# --- visibility ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_who_sees_a_notice(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    seeing = {
        name
        for name in vars(people)
        if notices.notice_capabilities(getattr(people, name), fresh(notice)).can_view
    }
    assert seeing == {"admin", "supervisor", "leader", "reporter", "bureau_supervisor", "bureau_leader"}
    for name in vars(people):
        listed = notices.notices_in_scope(getattr(people, name)).filter(pk=notice.pk).exists()
        assert listed == (name in seeing), name


# --- escalation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_escalation_walks_prompt_warning_order_once(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    prompt = issue(people, [ledger.transport], kind=NoticeKind.PROMPT, reply_due=dt.date(2026, 4, 5))
    assert notices.escalate_overdue(dt.date(2026, 4, 5), at("2026-04-05")) == []  # due today: not late
    [warning] = notices.escalate_overdue(dt.date(2026, 4, 6), at("2026-04-06"))
    assert notices.escalate_overdue(dt.date(2026, 4, 6), at("2026-04-06")) == []  # run twice: once
    assert fresh(prompt).state == NoticeState.ESCALATED
    assert (warning.kind, warning.previous_id, warning.state) == (
        NoticeKind.WARNING,
        prompt.pk,
        NoticeState.PENDING,
    )
    assert warning.doc_number == "警示〔2026〕1号"
    assert warning.reply_due == dt.date(2026, 4, 11)
    assert "提示〔2026〕1号逾期未回复" in warning.subject
    assert [i.task_id for i in warning.items.all()] == [ledger.transport.pk]
    with pytest.raises(DomainError, match="已逾期升级为警示〔2026〕1号，请回复新的通知"):
        reply(fresh(prompt), people.reporter)
    [order] = notices.escalate_overdue(dt.date(2026, 4, 12), at("2026-04-12"))
    assert order.kind == NoticeKind.ORDER and order.previous_id == warning.pk
    # a 督办单 is the last step: it stays overdue, never escalates further
    assert notices.escalate_overdue(dt.date(2026, 5, 1), at("2026-05-01")) == []
    assert notices.overdue_notices(people.leader, dt.date(2026, 5, 1)).get() == order


@pytest.mark.django_db
def test_a_notice_whose_tasks_all_closed_is_not_escalated(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    extra = Task.objects.create(plan=ledger.plan, seq=9, title="另一项", lead_unit=ledger.transport.lead_unit)
    due = dt.date(2026, 4, 5)
    both = issue(people, [ledger.transport, extra], kind=NoticeKind.PROMPT, reply_due=due)
    one = issue(people, [ledger.housing], kind=NoticeKind.PROMPT, reply_due=dt.date(2026, 4, 5))
    ledger.transport.status = TaskStatus.DONE
    ledger.transport.save()
    ledger.housing.status = TaskStatus.PAUSED
    ledger.housing.save()
    made = notices.escalate_overdue(dt.date(2026, 4, 6), at("2026-04-06"))
    assert [n.previous_id for n in made] == [both.pk]  # one of its two tasks is still open
    assert fresh(one).state == NoticeState.PENDING  # nothing left to press for: stays overdue only
    assert one in notices.overdue_notices(people.leader, dt.date(2026, 4, 6))


@pytest.mark.django_db
def test_replied_and_returned_notices(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    """A replied notice waits for the supervisor: no escalation; a returned one owes a reply again."""
    replied = issue(people, [ledger.transport], kind=NoticeKind.PROMPT, reply_due=DAY)
    reply(replied, people.reporter)
    returned = issue(people, [ledger.housing], kind=NoticeKind.PROMPT, reply_due=DAY)
    reply(returned, people.housing_reporter)
    returned = fresh(returned)
    notices.decide_notice(
        returned,
        people.supervisor,
        accept=False,
        comment="重报",
        reply_due=DAY,
        expected_version=returned.version,
        now=NOW,
    )
    made = notices.escalate_overdue(dt.date(2026, 4, 3), at("2026-04-03"))
    assert [n.previous_id for n in made] == [returned.pk]
    assert fresh(replied).state == NoticeState.REPLIED


@pytest.mark.django_db(transaction=True)
def test_two_processes_escalate_once(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between connections (run by the PostgreSQL pass)")
    for task in (ledger.transport, ledger.housing, ledger.town):
        issue(people, [task], kind=NoticeKind.PROMPT, reply_due=DAY)
    barrier = threading.Barrier(2)
    made: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            made.extend(n.pk for n in notices.escalate_overdue(dt.date(2026, 4, 3), at("2026-04-03")))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 3
    assert Notice.objects.filter(kind=NoticeKind.WARNING).count() == 3
    assert Notice.objects.filter(state=NoticeState.ESCALATED).count() == 3


@pytest.mark.django_db
def test_the_supervise_step_escalates(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    from taizhang.supervision import jobs

    issue(people, [ledger.transport], kind=NoticeKind.WARNING, reply_due=DAY)
    line = jobs.escalate_notices(dt.date(2026, 4, 3), at("2026-04-03"))
    assert line == "督办通知：1 份逾期未回复的通知已升级"
    assert jobs.escalate_notices in jobs.STEPS


# --- 建议发单 ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggestions_follow_colours_and_open_notices(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    def colour(task: Any, value: str) -> None:
        TaskColour.objects.update_or_create(
            task=task, defaults={"colour": value, "reasons": [f"{value}原因"], "as_of": DAY, "since": NOW}
        )

    colour(ledger.transport, Colour.RED)
    colour(ledger.housing, Colour.YELLOW)
    colour(ledger.town, Colour.GREEN)
    found = [(s.unit, s.kind, [t.pk for t in s.tasks]) for s in notices.suggestions(people.supervisor)]
    assert found == [
        (ledger.transport.lead_unit, NoticeKind.ORDER, [ledger.transport.pk]),
        (ledger.housing.lead_unit, NoticeKind.PROMPT, [ledger.housing.pk]),
    ]
    assert notices.suggestions(people.bureau_supervisor) == []  # it does not manage the county plan
    notice = issue(people, [ledger.transport])
    assert [s.kind for s in notices.suggestions(people.supervisor)] == [NoticeKind.PROMPT]
    reply(notice, people.reporter)
    notice = fresh(notice)
    notices.decide_notice(notice, people.supervisor, accept=True, expected_version=notice.version, now=NOW)
    assert len(notices.suggestions(people.supervisor)) == 2  # closed: red again, suggested again


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [dt.date(2026, 11, 20), dt.date(2026, 12, 1)])
def test_the_demo_has_notices_in_every_state_and_both_kinds_of_instructions(as_of: dt.date) -> None:
    """Also on 1 December, when most of 交通运输局's tasks are done (one open task is enough)."""
    from taizhang.ledger.demo import load_demo
    from taizhang.supervision.demo import load_demo as load_supervision_demo
    from taizhang.supervision.models import Instruction, InstructionState

    summary = load_demo(as_of)
    load_supervision_demo(summary.as_of)
    assert set(Notice.objects.values_list("state", flat=True)) == set(NoticeState.values)
    escalated = Notice.objects.get(state=NoticeState.ESCALATED)
    assert Notice.objects.get(previous=escalated).kind == NoticeKind.WARNING
    assert set(Instruction.objects.values_list("state", flat=True)) == set(InstructionState.values)


@pytest.mark.django_db(transaction=True)
def test_the_units_reporters_are_told_when_a_notice_reaches_them(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """After the commit: issued, escalated and returned notices reach the recipient's reporters only."""
    from taizhang.notify.models import Message

    prompt = issue(people, [ledger.transport], kind=NoticeKind.PROMPT, reply_due=DAY)
    assert list(Message.objects.values_list("recipient__username", "title")) == [
        ("jiaotong", "收到提示单提示〔2026〕1号，请于2026年4月2日前回复")
    ]
    [warning] = notices.escalate_overdue(dt.date(2026, 4, 3), at("2026-04-03"))
    assert Message.objects.filter(
        recipient=people.reporter, title__startswith="逾期未回复，已升级为警示单"
    ).exists()
    reply(warning, people.reporter)
    warning = fresh(warning)
    notices.decide_notice(
        warning, people.supervisor, accept=False, comment="重报", expected_version=warning.version, now=NOW
    )
    assert Message.objects.filter(recipient=people.reporter, title__contains="的回复被退回").exists()
    assert Message.objects.count() == 3
    assert not Message.objects.exclude(recipient=people.reporter).exists()  # not the co-unit, not the section
    assert prompt.pk
