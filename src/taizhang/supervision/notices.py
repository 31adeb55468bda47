"""督办通知: issue, reply, decide and escalate 提示单 / 警示单 / 督办单.

The rules in one place:

- **who** — the notice is treated as a task of its plan led by its recipient unit, and
  ``ledger.permissions.capabilities`` answers: the plan's supervisors (``can_manage``) issue it and
  accept or return replies; the recipient unit's reporters (``can_report``) reply; the owner side
  and the recipient's scope see it. A co-operating unit is not addressed and sees nothing.
- **states** — 待回复 → 已回复 → 已办结, or 已回复 → 退回 → 已回复 …; a notice still owing a
  reply past its deadline is 已升级 by ``escalate_overdue`` (the ``supervise`` step), which issues
  the next kind (提示 → 警示 → 督办) referencing it. A 督办单 is the last step: it stays overdue.
- **numbers** — per year and kind (督办〔2026〕12号), from a counter row bumped under its row
  lock inside the issuing transaction, with a unique constraint as the backstop.
- **writes** — all-or-nothing, audited (``acting_as``), optimistic locking on ``version``; the
  escalation claims each notice by compare-and-swap on (state, version), so two ``supervise``
  processes never escalate one notice twice.

``notice_event`` is sent after each commit (``issued`` / ``escalated`` / ``replied`` /
``accepted`` / ``returned``): the message centre connects to it to tell the people concerned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone

from taizhang.accounts.models import Unit, User
from taizhang.core.dates import chinese_date
from taizhang.ledger import obligations, permissions, services
from taizhang.ledger.audit import acting_as
from taizhang.ledger.errors import DomainError, PermissionDenied
from taizhang.ledger.models import CLOSED_STATUSES, Plan, Task
from taizhang.ledger.periods import local_date
from taizhang.ledger.validators import MAX_ATTACHMENTS_PER_REPORT, validate_attachment
from taizhang.supervision.models import (
    AWAITING_REPLY,
    OPEN_STATES,
    Colour,
    Notice,
    NoticeAttachment,
    NoticeCounter,
    NoticeItem,
    NoticeKind,
    NoticeReply,
    NoticeState,
    ReplyVerdict,
    TaskColour,
)

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser

NOT_FOUND_NOTICE = "通知不存在或不在您的管辖范围内"
MAX_SUBJECT = 2000
MAX_REPLY = 5000
MAX_TASKS = 100
SUGGESTION_LIMIT = 500

# Days a unit has to answer, by kind (the form's default, and the escalated notice's deadline).
REPLY_DAYS = {NoticeKind.PROMPT: 7, NoticeKind.WARNING: 5, NoticeKind.ORDER: 3}
NEXT_KIND = {NoticeKind.PROMPT: NoticeKind.WARNING, NoticeKind.WARNING: NoticeKind.ORDER}
# The notice a colour calls for (建议发单).
SUGGESTED_KIND = {Colour.YELLOW: NoticeKind.PROMPT, Colour.RED: NoticeKind.ORDER}

# Sent after commit with ``notice`` and ``event``.
notice_event = Signal()


def check_due(day: dt.date | None, plan: Plan, today: dt.date, *, what: str, field: str) -> dt.date:
    """A deadline set by a person: not before today, not after the end of the plan's next year."""
    if day is None:
        raise DomainError(f"请填写{what}", field=field)
    if day < today:
        raise DomainError(f"{what}不能早于今天（{chinese_date(today)}）", field=field)
    last = dt.date(plan.year + 1, 12, 31)
    if day > last:
        raise DomainError(f"{what}不能晚于{chinese_date(last)}（计划年度的次年年底）", field=field)
    return day


def default_reply_due(kind: str, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=REPLY_DAYS[NoticeKind(kind)])


# --- who may do what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCapabilities:
    can_view: bool = False
    can_decide: bool = False  # accept or return a reply: the plan's supervisors
    can_reply: bool = False  # the recipient unit's reporters


def notice_capabilities(who: AnyUser | permissions.Actor, notice: Notice) -> NoticeCapabilities:
    caps = permissions.capabilities(
        who, owner_unit_id=notice.plan.owner_unit_id, lead_unit_id=notice.unit_id, co_unit_ids=()
    )
    return NoticeCapabilities(can_view=caps.can_view, can_decide=caps.can_manage, can_reply=caps.can_report)


def notices_in_scope(who: AnyUser | permissions.Actor) -> QuerySet[Notice]:
    """The notices ``who`` may see (``NoticeCapabilities.can_view``, as a queryset)."""
    a = permissions.actor(who)
    if a.everything:
        return Notice.objects.all()
    condition = Q(unit_id__in=a.unit_ids)
    if not a.reporter:
        condition |= Q(plan__owner_unit_id__in=a.unit_ids)
    return Notice.objects.filter(condition)


def get_notice_for_user(user: AnyUser, pk: Any) -> tuple[Notice, NoticeCapabilities]:
    notice = (
        Notice.objects.select_related(
            "plan", "plan__owner_unit", "unit", "issued_by", "decided_by", "previous"
        )
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if notice is None:
        raise Http404(NOT_FOUND_NOTICE)
    caps = notice_capabilities(user, notice)
    if not caps.can_view:
        raise Http404(NOT_FOUND_NOTICE)
    return notice, caps


def get_notice_attachment_for_user(user: AnyUser, pk: Any) -> NoticeAttachment:
    attachment = (
        NoticeAttachment.objects.select_related("reply__notice__plan")
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if attachment is None or not notice_capabilities(user, attachment.reply.notice).can_view:
        raise Http404("文件不存在或不在您的管辖范围内")
    return attachment


# --- issuing ------------------------------------------------------------------------------------


def _next_number(year: int, kind: str) -> int:
    """The next number of ``kind`` in ``year``: the counter row is locked by the UPDATE until the
    issuing transaction ends, so concurrent issues queue and get distinct numbers."""
    NoticeCounter.objects.get_or_create(year=year, kind=kind)
    NoticeCounter.objects.filter(year=year, kind=kind).update(last=F("last") + 1)
    number: int = NoticeCounter.objects.filter(year=year, kind=kind).values_list("last", flat=True).get()
    return number


def _snapshot(tasks: Sequence[Task], fallback: dict[int, NoticeItem] | None = None) -> list[NoticeItem]:
    """Items with each task's colour and reasons as stored now (``TaskColour``)."""
    colours = {c.task_id: c for c in TaskColour.objects.filter(task__in=[t.pk for t in tasks])}
    items = []
    for task in tasks:
        stored = colours.get(task.pk)
        old = (fallback or {}).get(task.pk)
        if stored is not None:
            items.append(NoticeItem(task=task, colour=stored.colour, reasons=list(stored.reasons)))
        elif old is not None:
            items.append(NoticeItem(task=task, colour=old.colour, reasons=list(old.reasons)))
        else:
            items.append(NoticeItem(task=task))
    return items


def _create(
    *,
    plan: Plan,
    kind: str,
    unit: Unit,
    subject: str,
    reply_due: dt.date,
    items: list[NoticeItem],
    issued_by: User | None,
    now: dt.datetime,
    previous: Notice | None = None,
) -> Notice:
    year = local_date(now).year
    notice = Notice.objects.create(
        plan=plan,
        kind=kind,
        year=year,
        number=_next_number(year, kind),
        unit=unit,
        subject=subject,
        reply_due=reply_due,
        previous=previous,
        issued_by=issued_by,
        issued_at=now,
    )
    for item in items:
        item.notice = notice
        item.save()
    return notice


def _after_commit(notice: Notice, event: str) -> None:
    transaction.on_commit(lambda: notice_event.send(sender=Notice, notice=notice, event=event))


def issue_notice(
    user: User,
    *,
    kind: str,
    tasks: Sequence[Task],
    subject: str,
    reply_due: dt.date | None,
    now: dt.datetime | None = None,
) -> Notice:
    """A supervisor sends a notice about ``tasks`` (one plan, one lead unit) to their lead unit."""
    if kind not in NoticeKind.values:
        raise DomainError("请选择通知类别（提示单、警示单或督办单）", field="kind")
    tasks = list(tasks)
    if not tasks:
        raise DomainError("请至少选择一项任务", field="tasks")
    if len(tasks) > MAX_TASKS:
        raise DomainError(f"一份通知最多列 {MAX_TASKS} 项任务", field="tasks")
    for task in tasks:
        if not permissions.task_capabilities(user, task).can_manage:
            raise PermissionDenied("只有该任务所属计划的督查人员可以发出督办通知")
    if len({t.plan_id for t in tasks}) > 1:
        raise DomainError("一份通知只能列同一工作计划的任务", field="tasks")
    units = {t.lead_unit_id for t in tasks}
    if None in units:
        raise DomainError("所选任务没有牵头单位，无法发出通知", field="tasks")
    if len(units) > 1:
        raise DomainError("一份通知只能发给一个牵头单位：所选任务的牵头单位不同", field="tasks")
    closed = [t for t in tasks if t.status in CLOSED_STATUSES]
    if closed:
        raise DomainError(f"任务“{closed[0].title}”已完成或已暂停，无需督办", field="tasks")
    subject = (subject or "").strip()
    if not subject:
        raise DomainError("请填写事由", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(f"事由不能超过 {MAX_SUBJECT} 字", field="subject")
    now = now or timezone.now()
    plan = tasks[0].plan
    due = check_due(reply_due, plan, local_date(now), what="回复时限", field="reply_due")
    unit = tasks[0].lead_unit
    assert unit is not None
    with transaction.atomic(), acting_as(user):
        notice = _create(
            plan=plan,
            kind=kind,
            unit=unit,
            subject=subject,
            reply_due=due,
            items=_snapshot(tasks),
            issued_by=user,
            now=now,
        )
        _after_commit(notice, "issued")
    return notice


# --- replying and deciding ----------------------------------------------------------------------


def refusal(notice: Notice) -> str:
    """Why a reply to ``notice`` is refused in its state, in Chinese."""
    if notice.state == NoticeState.CLOSED:
        return f"{notice.doc_number}已办结，不能再回复"
    if notice.state == NoticeState.ESCALATED:
        later = Notice.objects.filter(previous=notice).first()
        return f"{notice.doc_number}已逾期升级" + (
            f"为{later.doc_number}，请回复新的通知" if later else "，不能再回复"
        )
    return ""


def reply_notice(
    notice: Notice,
    user: User,
    *,
    text: str,
    new_date: dt.date | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
    expected_version: int,
    now: dt.datetime | None = None,
) -> NoticeReply:
    """The recipient unit's reporter answers (text, optional committed date, attachments)."""
    if not notice_capabilities(user, notice).can_reply:
        raise PermissionDenied("只有主送单位的填报员可以回复该通知")
    if notice.state not in AWAITING_REPLY:  # a clear message before the version check
        raise DomainError(refusal(notice) or f"{notice.doc_number}已回复，如需补充请修改回复")
    now = now or timezone.now()
    text, files, content_types = _checked_reply(notice, text, new_date, files, now)
    with transaction.atomic(), acting_as(user):
        fresh: Notice = services.claim_version(Notice, notice.pk, expected_version)
        if fresh.state not in AWAITING_REPLY:
            raise DomainError(refusal(fresh) or f"{fresh.doc_number}已回复，如需补充请修改回复")
        fresh.state = NoticeState.REPLIED
        fresh.save()
        reply = NoticeReply.objects.create(
            notice=fresh, text=text, new_date=new_date, replied_by=user, replied_at=now
        )
        _attach(reply, files, content_types)
        _after_commit(fresh, "replied")
    return reply


def amend_reply(
    notice: Notice,
    user: User,
    *,
    text: str,
    new_date: dt.date | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
    expected_version: int,
    now: dt.datetime | None = None,
) -> NoticeReply:
    """The recipient unit's reporter corrects its reply while the supervisor has not yet decided
    on it (已回复): text and committed date replaced, files added, the notice's version bumped so
    a supervisor deciding on the reply as it was is told it changed. Audited like every write."""
    if not notice_capabilities(user, notice).can_reply:
        raise PermissionDenied("只有主送单位的填报员可以修改回复")
    if notice.state != NoticeState.REPLIED:
        raise DomainError(refusal(notice) or f"{notice.doc_number}尚未回复，请直接回复")
    now = now or timezone.now()
    text, files, content_types = _checked_reply(notice, text, new_date, files, now)
    with transaction.atomic(), acting_as(user):
        fresh: Notice = services.claim_version(Notice, notice.pk, expected_version)
        if fresh.state != NoticeState.REPLIED:
            raise DomainError(refusal(fresh) or f"{fresh.doc_number}尚未回复，请直接回复")
        reply = fresh.replies.order_by("-replied_at", "-id").first()
        assert reply is not None  # a replied notice has its reply
        total = reply.attachments.count() + len(files)
        if total > MAX_ATTACHMENTS_PER_REPORT:
            raise DomainError(f"一份回复最多 {MAX_ATTACHMENTS_PER_REPORT} 个附件", field="file")
        reply.text = text
        reply.new_date = new_date
        reply.edited_at = now
        reply.save(update_fields=["text", "new_date", "edited_at"])
        fresh.save()  # the version claimed above
        _attach(reply, files, content_types)
    return reply


def _checked_reply(
    notice: Notice,
    text: str,
    new_date: dt.date | None,
    files: Sequence[UploadedFile[bytes]],
    now: dt.datetime,
) -> tuple[str, list[UploadedFile[bytes]], list[str]]:
    """A reply's text, date and files checked before any write (one rule for a reply and its fix)."""
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写回复内容", field="text")
    if len(text) > MAX_REPLY:
        raise DomainError(f"回复内容不能超过 {MAX_REPLY} 字", field="text")
    if new_date is not None:
        check_due(new_date, notice.plan, local_date(now), what="承诺完成时间", field="new_date")
    files = list(files)
    if len(files) > MAX_ATTACHMENTS_PER_REPORT:
        raise DomainError(f"一次最多上传 {MAX_ATTACHMENTS_PER_REPORT} 个附件", field="file")
    return text, files, [validate_attachment(f) for f in files]


def _attach(reply: NoticeReply, files: Sequence[UploadedFile[bytes]], content_types: Sequence[str]) -> None:
    for upload, content_type in zip(files, content_types, strict=True):
        NoticeAttachment.objects.create(reply=reply, **NoticeAttachment.described(upload, content_type))


def decide_notice(
    notice: Notice,
    user: User,
    *,
    accept: bool,
    comment: str = "",
    reply_due: dt.date | None = None,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Notice:
    """The plan's supervisor accepts the reply (已办结) or returns it (退回, comment required; the
    unit answers again by ``reply_due``, by default a fresh period of the notice's kind)."""
    if not notice_capabilities(user, notice).can_decide:
        raise PermissionDenied("只有该计划的督查人员可以审核通知的回复")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError("退回时请填写退回意见", field="comment")
    if len(comment) > MAX_SUBJECT:
        raise DomainError(f"审核意见不能超过 {MAX_SUBJECT} 字", field="comment")
    now = now or timezone.now()
    today = local_date(now)
    due = notice.reply_due
    if not accept:
        wanted = reply_due or max(notice.reply_due, default_reply_due(notice.kind, today))
        due = check_due(wanted, notice.plan, today, what="回复时限", field="reply_due")
    with transaction.atomic(), acting_as(user):
        fresh: Notice = services.claim_version(Notice, notice.pk, expected_version)
        if fresh.state != NoticeState.REPLIED:
            raise DomainError(f"{fresh.doc_number}当前为“{fresh.get_state_display()}”，没有待审核的回复")
        fresh.state = NoticeState.CLOSED if accept else NoticeState.RETURNED
        fresh.decided_by = user
        fresh.decided_at = now
        fresh.decision_comment = comment
        fresh.reply_due = due
        fresh.save()
        last = fresh.replies.order_by("-replied_at", "-id").first()
        if last is not None:
            last.verdict = ReplyVerdict.ACCEPTED if accept else ReplyVerdict.RETURNED
            last.save(update_fields=["verdict"])
        _after_commit(fresh, "accepted" if accept else "returned")
    return fresh


# --- escalation (a ``supervise`` step) ----------------------------------------------------------


def escalate_overdue(as_of: dt.date, now: dt.datetime) -> list[Notice]:
    """Escalate every notice owing a reply past its deadline (提示 → 警示 → 督办) while one of its
    tasks is still open (``obligations.open_q``); return the new
    notices. Each old notice is claimed by compare-and-swap on (state, version): of two processes,
    the one whose UPDATE moved it escalates; the other finds nothing to move."""
    made: list[Notice] = []
    # A notice whose tasks were all finished or paused meanwhile has nothing left to press for: it
    # stays overdue on the lists, but is not escalated.
    still_open = Task.objects.filter(obligations.open_q(), notice_items__notice=OuterRef("pk"))
    candidates = list(
        Notice.objects.filter(state__in=AWAITING_REPLY, reply_due__lt=as_of, kind__in=list(NEXT_KIND))
        .filter(Exists(still_open))
        .order_by("reply_due", "id")
        .values_list("pk", "state", "version")
    )
    for pk, state, version in candidates:
        with transaction.atomic():
            claimed = Notice.objects.filter(pk=pk, state=state, version=version).update(
                state=NoticeState.ESCALATED, version=F("version") + 1
            )
            if not claimed:
                continue
            old = Notice.objects.select_related("plan", "unit").get(pk=pk)
            old_items = {i.task_id: i for i in old.items.select_related("task")}
            kind = NEXT_KIND[NoticeKind(old.kind)]
            label = NoticeKind(kind).label
            new = _create(
                plan=old.plan,
                kind=kind,
                unit=old.unit,
                subject=f"{old.doc_number}逾期未回复（回复时限{chinese_date(old.reply_due)}），"
                f"升级为{label}。原事由：{old.subject}"[:MAX_SUBJECT],
                reply_due=default_reply_due(kind, as_of),
                items=_snapshot([i.task for i in old_items.values()], old_items),
                issued_by=None,
                now=now,
                previous=old,
            )
            _after_commit(new, "escalated")
        made.append(new)
    return made


# --- lists --------------------------------------------------------------------------------------


def overdue_notices(who: AnyUser | permissions.Actor, as_of: dt.date) -> QuerySet[Notice]:
    """Notices in scope still owing a reply after their deadline."""
    return notices_in_scope(who).filter(state__in=AWAITING_REPLY, reply_due__lt=as_of)


def notices_to_reply(who: AnyUser | permissions.Actor) -> QuerySet[Notice]:
    """The notices a reporter's unit must answer (``can_reply``)."""
    a = permissions.actor(who)
    if not a.reporter:
        return Notice.objects.none()
    return Notice.objects.filter(unit_id__in=a.unit_ids, state__in=AWAITING_REPLY)


def notices_to_decide(who: AnyUser | permissions.Actor) -> QuerySet[Notice]:
    """Replied notices waiting for ``who``'s decision (``can_decide``)."""
    a = permissions.actor(who)
    if not a.supervisor:
        return Notice.objects.none()
    return Notice.objects.filter(plan__owner_unit_id__in=a.unit_ids, state=NoticeState.REPLIED)


@dataclass
class Suggestion:
    """建议发单: one notice the colours call for — a unit's yellow (提示单) or red (督办单) tasks."""

    plan: Plan
    unit: Unit
    kind: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(NoticeKind(self.kind).label)

    @property
    def task_ids(self) -> str:
        return ",".join(str(t.pk) for t in self.tasks)


def suggestions(who: AnyUser | permissions.Actor, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Yellow and red open tasks ``who`` manages, not on an open notice, grouped by plan, lead unit
    and the kind their colour calls for (督办单 first)."""
    on_notice = NoticeItem.objects.filter(notice__state__in=OPEN_STATES).values("task_id")
    tasks = (
        permissions.tasks_managed(who)
        .filter(colour__colour__in=list(SUGGESTED_KIND), lead_unit__isnull=False)
        .exclude(status__in=CLOSED_STATUSES)
        .exclude(pk__in=on_notice)
        .select_related("colour", "lead_unit", "plan")
        .order_by("plan_id", "lead_unit__sort_order", "lead_unit_id", "seq", "id")[:limit]
    )
    groups: dict[tuple[int, int, str], Suggestion] = {}
    for task in tasks:
        kind = SUGGESTED_KIND[Colour(task.colour.colour)]
        assert task.lead_unit is not None
        key = (task.plan_id, task.lead_unit.pk, kind)
        if key not in groups:
            groups[key] = Suggestion(task.plan, task.lead_unit, kind)
        groups[key].tasks.append(task)
    order = {NoticeKind.ORDER: 0, NoticeKind.PROMPT: 1}
    return sorted(groups.values(), key=lambda s: order.get(NoticeKind(s.kind), 2))
