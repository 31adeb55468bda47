"""督办通知's rules one condition at a time: who sees which notice (the list agrees with the
object rule), a reply file's 404, the limits at their edge, and writes whose audit record fails
leave nothing behind."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Task
from taizhang.supervision import notices
from taizhang.supervision.models import Notice, NoticeAttachment, NoticeKind, NoticeState
from tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-04-02")
DUE = dt.date(2026, 4, 7)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


class AuditFailed(Exception):
    pass


def _audit_fails() -> Any:
    return mock.patch.object(LogEntry.objects, "log_create", side_effect=AuditFailed("audit table locked"))


def issue(people: SimpleNamespace, tasks: list[Task], who: str = "supervisor", **kw: Any) -> Notice:
    kw = {"subject": "进度滞后，请说明原因", "reply_due": DUE, "now": NOW, **kw}
    return notices.issue_notice(getattr(people, who), kind=NoticeKind.ORDER, tasks=tasks, **kw)


def fresh(notice: Notice) -> Notice:
    return Notice.objects.select_related("plan").get(pk=notice.pk)


def test_the_list_of_notices_agrees_with_who_may_see_each(
    people: SimpleNamespace, ledger: SimpleNamespace, bureau_plan: SimpleNamespace, org: SimpleNamespace
) -> None:
    """The county's notice to 交通局 and 交通局's own notice to 青石镇 (a unit outside its tree)."""
    county = issue(people, [ledger.transport])
    bureau = issue(people, [bureau_plan.task], who="bureau_supervisor")
    bureau_plan.task.lead_unit = org.town
    bureau_plan.task.save()
    to_town = issue(people, [Task.objects.get(pk=bureau_plan.task.pk)], who="bureau_supervisor")
    expected = {
        "supervisor": {county, bureau, to_town},
        "bureau_supervisor": {county, bureau, to_town},  # its own plan's notices, wherever sent
        "bureau_leader": {county, bureau, to_town},
        "reporter": {county, bureau},  # a reporter: notices to its units only
        "section_reporter": {bureau},
        "town_reporter": {to_town},
        "housing_reporter": set(),
    }
    for who, seen in expected.items():
        user = getattr(people, who)
        assert set(notices.notices_in_scope(user)) == seen, who
        for notice in (county, bureau, to_town):
            assert notices.notice_capabilities(user, notice).can_view == (notice in seen), who


def test_notices_to_decide_are_the_supervisors_of_the_plan(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW)
    assert list(notices.notices_to_decide(people.supervisor)) == [notice]
    for who in ("leader", "reporter", "admin", "bureau_supervisor"):
        assert list(notices.notices_to_decide(getattr(people, who))) == [], who


def test_a_reply_file_is_found_by_those_who_see_the_notice_only(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(
        notice,
        people.reporter,
        text="见附件",
        files=[SimpleUploadedFile("说明.pdf", PDF)],
        expected_version=notice.version,
        now=NOW,
    )
    attachment = NoticeAttachment.objects.get()
    for who in ("supervisor", "reporter"):
        assert notices.get_notice_attachment_for_user(getattr(people, who), attachment.pk) == attachment
    with pytest.raises(Http404) as forbidden:
        notices.get_notice_attachment_for_user(people.housing_reporter, attachment.pk)
    with pytest.raises(Http404) as missing:
        notices.get_notice_attachment_for_user(people.supervisor, attachment.pk + 1000)
    assert str(forbidden.value) == str(missing.value) == "文件不存在或不在您的管辖范围内"


def test_a_notice_lists_at_most_100_tasks(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    tasks = [
        Task.objects.create(
            plan=ledger.plan, seq=10 + i, title=f"任务{i}", lead_unit=ledger.transport.lead_unit
        )
        for i in range(101)
    ]
    with pytest.raises(DomainError, match="最多列 100 项任务"):
        issue(people, tasks)
    assert issue(people, tasks[:100]).items.count() == 100


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_subject_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    if saved:
        assert issue(people, [ledger.transport], subject="督" * length).subject == "督" * 2000
    else:
        with pytest.raises(DomainError, match="事由不能超过 2000 字"):
            issue(people, [ledger.transport], subject="督" * length)
    assert Notice.objects.count() == (1 if saved else 0)


@pytest.mark.parametrize(("length", "saved"), [(5000, True), (5001, False)])
def test_a_reply_of_at_most_5000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    notice = issue(people, [ledger.transport])
    if saved:
        notices.reply_notice(
            notice, people.reporter, text="复" * length, expected_version=notice.version, now=NOW
        )
    else:
        with pytest.raises(DomainError, match="回复内容不能超过 5000 字"):
            notices.reply_notice(
                notice, people.reporter, text="复" * length, expected_version=notice.version, now=NOW
            )
    assert (fresh(notice).state == NoticeState.REPLIED) == saved


@pytest.mark.parametrize(("count", "saved"), [(10, True), (11, False)])
def test_a_reply_carries_at_most_10_files(
    people: SimpleNamespace, ledger: SimpleNamespace, count: int, saved: bool
) -> None:
    notice = issue(people, [ledger.transport])
    files = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(count)]

    def send() -> Any:
        return notices.reply_notice(
            notice, people.reporter, text="见附件", files=files, expected_version=notice.version, now=NOW
        )

    if saved:
        send()
    else:
        with pytest.raises(DomainError, match="一次最多上传 10 个附件"):
            send()
    assert NoticeAttachment.objects.count() == (10 if saved else 0)


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_return_comment_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW)
    replied = fresh(notice)

    def decide() -> Any:
        return notices.decide_notice(
            replied,
            people.supervisor,
            accept=False,
            comment="退" * length,
            expected_version=replied.version,
            now=NOW,
        )

    if saved:
        decide()
    else:
        with pytest.raises(DomainError, match="不能超过 2000 字"):
            decide()
    assert fresh(notice).state == (NoticeState.RETURNED if saved else NoticeState.REPLIED)


def test_a_notice_whose_audit_record_fails_is_not_issued(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with _audit_fails(), pytest.raises(AuditFailed):
        issue(people, [ledger.transport])
    assert Notice.objects.count() == 0
    assert issue(people, [ledger.transport]).doc_number == "督办〔2026〕1号"  # the number was not used up


def test_a_reply_whose_audit_record_fails_leaves_the_notice_waiting(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    with _audit_fails(), pytest.raises(AuditFailed):
        notices.reply_notice(
            notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW
        )
    after = fresh(notice)
    assert (after.state, after.version) == (notice.state, notice.version) and not after.replies.exists()


def test_a_correction_whose_audit_record_fails_keeps_the_reply_as_it_was(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW)
    replied = fresh(notice)
    with _audit_fails(), pytest.raises(AuditFailed):
        notices.amend_reply(
            replied, people.reporter, text="改：已完成", expected_version=replied.version, now=NOW
        )
    after = fresh(notice)
    assert after.version == replied.version and after.replies.get().text == "已倒排工期"


def test_a_decision_whose_audit_record_fails_leaves_the_reply_to_decide(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW)
    replied = fresh(notice)
    with _audit_fails(), pytest.raises(AuditFailed):
        notices.decide_notice(
            replied, people.supervisor, accept=True, expected_version=replied.version, now=NOW
        )
    after = fresh(notice)
    assert (after.state, after.version) == (NoticeState.REPLIED, replied.version)


def test_an_escalation_whose_new_notice_fails_leaves_the_old_one_waiting(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    notice = notices.issue_notice(
        people.supervisor,
        kind=NoticeKind.PROMPT,
        tasks=[ledger.transport],
        subject="请说明",
        reply_due=DUE,
        now=NOW,
    )
    with (
        mock.patch.object(notices, "_create", side_effect=AuditFailed("disk full")),
        pytest.raises(AuditFailed),
    ):
        notices.escalate_overdue(dt.date(2026, 4, 10), at("2026-04-10"))
    after = fresh(notice)
    assert (after.state, after.version) == (notice.state, notice.version)
    assert [n.kind for n in notices.escalate_overdue(dt.date(2026, 4, 10), at("2026-04-10"))] == [
        NoticeKind.WARNING
    ]


def test_a_correction_adds_files_up_to_10_in_all(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])

    def pdfs(count: int) -> list[Any]:
        return [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(count)]

    notices.reply_notice(
        notice, people.reporter, text="见附件", files=pdfs(8), expected_version=notice.version, now=NOW
    )
    replied = fresh(notice)
    notices.amend_reply(
        replied, people.reporter, text="补两份", files=pdfs(2), expected_version=replied.version, now=NOW
    )
    amended = fresh(notice)
    with pytest.raises(DomainError, match="一份回复最多 10 个附件"):
        notices.amend_reply(
            amended,
            people.reporter,
            text="再补一份",
            files=pdfs(1),
            expected_version=amended.version,
            now=NOW,
        )
    assert NoticeAttachment.objects.count() == 10 and fresh(notice).replies.get().text == "补两份"


def test_a_notice_without_a_subject_is_refused(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    for empty in ("", "  "):
        with pytest.raises(DomainError, match="请填写事由"):
            issue(people, [ledger.transport], subject=empty)
    assert Notice.objects.count() == 0


def test_an_empty_reply_is_refused(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    for empty in ("", "  "):
        with pytest.raises(DomainError, match="请填写回复内容"):
            notices.reply_notice(
                notice, people.reporter, text=empty, expected_version=notice.version, now=NOW
            )
    assert fresh(notice).state == notice.state


def test_a_reply_file_keeps_its_name_and_size(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    notice = issue(people, [ledger.transport])
    notices.reply_notice(
        notice,
        people.reporter,
        text="见附件",
        files=[SimpleUploadedFile("整改说明.pdf", PDF)],
        expected_version=notice.version,
        now=NOW,
    )
    attachment = NoticeAttachment.objects.get()
    assert (attachment.original_name, attachment.size) == ("整改说明.pdf", len(PDF))


def test_a_reply_or_correction_on_a_notice_that_moved_on_says_why(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The page was loaded before the notice moved on, and the version sent is the current one:
    the state read under the claim decides, with the same messages as before it."""
    notice = issue(people, [ledger.transport])
    loaded = fresh(notice)  # 已发出
    notices.reply_notice(notice, people.reporter, text="已倒排工期", expected_version=notice.version, now=NOW)
    with pytest.raises(DomainError) as replied:
        notices.reply_notice(
            loaded, people.reporter, text="再答", expected_version=fresh(notice).version, now=NOW
        )
    assert replied.value.message == "督办〔2026〕1号已回复，如需补充请修改回复"
    loaded_replied = fresh(notice)  # 已回复
    notices.decide_notice(
        loaded_replied,
        people.supervisor,
        accept=False,
        comment="请补充",
        expected_version=loaded_replied.version,
        now=NOW,
    )
    with pytest.raises(DomainError) as returned:
        notices.amend_reply(
            loaded_replied, people.reporter, text="改", expected_version=fresh(notice).version, now=NOW
        )
    assert returned.value.message == "督办〔2026〕1号尚未回复，请直接回复"
    notices.reply_notice(
        fresh(notice), people.reporter, text="补充", expected_version=fresh(notice).version, now=NOW
    )
    loaded_again = fresh(notice)  # 已回复 again
    notices.decide_notice(
        loaded_again, people.supervisor, accept=True, expected_version=loaded_again.version, now=NOW
    )
    for write in (notices.reply_notice, notices.amend_reply):
        stale = loaded if write is notices.reply_notice else loaded_again
        with pytest.raises(DomainError) as closed:
            write(stale, people.reporter, text="又改", expected_version=fresh(notice).version, now=NOW)
        assert closed.value.message == "督办〔2026〕1号已办结，不能再回复"
