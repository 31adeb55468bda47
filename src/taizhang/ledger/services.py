"""Every write to the ledger goes through these functions.

Each one checks permission (``taizhang.ledger.permissions``), validates, runs in one
``transaction.atomic()`` block (all or nothing), records the actor for the audit log, and raises
``DomainError`` (or its subclasses ``PermissionDenied`` / ``StaleVersion``) with a Chinese message.

Optimistic locking: the caller passes the ``version`` it loaded; the row is claimed with
``UPDATE … SET version = version + 1 WHERE id = … AND version = expected`` — 0 rows means someone
else saved first, and the write is refused with ``StaleVersion``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Model, Sum
from django.utils import timezone

from taizhang.accounts.models import Unit, User
from taizhang.ledger import obligations, permissions
from taizhang.ledger.audit import acting_as
from taizhang.ledger.drafts import TaskDraft
from taizhang.ledger.errors import AlreadyPosted, DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import (
    Attachment,
    Cadence,
    ChangeKind,
    ChangeRequest,
    Comment,
    CoReport,
    Milestone,
    Plan,
    ProgressReport,
    RequestState,
    ReviewState,
    SourceDocument,
    Task,
    TaskStatus,
)
from taizhang.ledger.periods import cadence_of, local_date, period_label, plan_window
from taizhang.ledger.validators import check_attachment_quota, validate_attachment

MAX_REPORT_TEXT = 5000
MAX_COMMENT_TEXT = 2000


def _validation_message(err: ValidationError) -> str:
    return "；".join(err.messages)  # a per-field error's messages are all its fields', in order


def _percent(value: Any) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        raise DomainError("完成进度应为 0 到 100 之间的整数", field="percent") from None
    if not 0 <= percent <= 100:
        raise DomainError("完成进度应为 0 到 100 之间的整数", field="percent")
    return percent


# --- progress reports ---------------------------------------------------------------------------


def submit_report(
    task: Task,
    user: User,
    *,
    period: str,
    text: str = "",
    percent: int | None = None,
    is_zero_report: bool = False,
    zero_reason: str = "",
    lower_reason: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ProgressReport:
    """Submit (or resubmit) the task's report for ``period``.

    A new report needs no version. Correcting an existing pending or returned report needs the
    ``expected_version`` the reporter loaded; an approved report can no longer be changed. A 零报告
    (no progress this period) needs a reason and keeps the last approved figure. Progress never
    goes backwards silently: a figure below the approved one needs ``lower_reason``. Reports
    after the window closes are accepted; ``obligations`` judges lateness on the first submission.
    """
    if not permissions.task_capabilities(user, task).can_report:
        raise PermissionDenied("您不是该任务牵头单位的填报员，不能报送进展")
    plan = task.plan
    if cadence_of(period) != plan.cadence:
        raise DomainError(f"该计划按{plan.get_cadence_display()}报送，报送期 {period} 不符", field="period")
    if not obligations.in_span(task, plan, period):
        raise DomainError(f"该任务在{period_label(period)}无需报送进展", field="period")
    now = now or timezone.now()
    window = plan_window(plan, period)
    if local_date(now) < window.opens:
        raise DomainError(
            f"{period_label(period)}的报送尚未开始（{window.opens:%Y年%m月%d日}起可报送）", field="period"
        )
    text = (text or "").strip()
    zero_reason = (zero_reason or "").strip()
    if len(text) > MAX_REPORT_TEXT:
        raise DomainError(f"进展情况不能超过 {MAX_REPORT_TEXT} 字", field="text")
    lower_reason = (lower_reason or "").strip()
    # the approved figure, read fresh (``task`` may be stale)
    approved = Task.objects.filter(pk=task.pk).values_list("progress", flat=True).get()
    if is_zero_report:
        if not zero_reason:
            raise DomainError("零报告须说明本期无进展的原因", field="zero_reason")
        percent_value = approved  # no progress this period: the approved figure stands
        lower_reason = ""
    else:
        if not text:
            raise DomainError("请填写本期进展情况，或选择零报告并说明原因", field="text")
        if percent is None:
            raise DomainError("请填写完成进度（0–100）", field="percent")
        percent_value = _percent(percent)
        zero_reason = ""
        if percent_value >= approved:
            lower_reason = ""
        elif not lower_reason:
            raise DomainError(
                f"完成进度 {percent_value}% 低于已审核通过的 {approved}%，请说明进度下调的原因",
                field="lower_reason",
            )
    if len(lower_reason) > 300:
        raise DomainError("进度下调原因不能超过 300 字", field="lower_reason")
    content_types = [validate_attachment(f) for f in files]  # before any write

    fields = {
        "text": text,
        "percent": percent_value,
        "is_zero_report": is_zero_report,
        "zero_reason": zero_reason,
        "lower_reason": lower_reason,
        "submitted_by": user,
        "submitted_at": now,
        "state": ReviewState.PENDING,
        "reviewer": None,
        "reviewed_at": None,
        "review_comment": "",
    }
    with transaction.atomic(), acting_as(user):
        existing = ProgressReport.objects.filter(task=task, period=period).first()
        if existing is None:
            try:
                with transaction.atomic():
                    report = ProgressReport.objects.create(task=task, period=period, **fields)
            except IntegrityError:
                raise StaleVersion(f"{period_label(period)}的进展刚刚已由他人报送，请刷新后查看") from None
        else:
            if existing.state == ReviewState.APPROVED:
                raise DomainError(f"{period_label(period)}的进展已审核通过，不能再修改")
            if expected_version is None:
                raise StaleVersion(f"{period_label(period)}的进展已报送过，请刷新后在原报告上修改")
            report = claim_version(ProgressReport, existing.pk, expected_version)
            for name, value in fields.items():
                setattr(report, name, value)
            report.save()
        # under the report row's claim or creation above: two uploads at once cannot both fit
        held = report.attachments.aggregate(count=Count("pk"), size=Sum("size"))
        check_attachment_quota(held["count"], held["size"] or 0, list(files))
        for upload, content_type in zip(files, content_types, strict=True):
            Attachment.objects.create(
                report=report, uploaded_by=user, **Attachment.described(upload, content_type)
            )
    return report


_Versioned = TypeVar("_Versioned", bound=Model)  # a model with an optimistic-lock ``version``


def claim_version(model: type[_Versioned], pk: int, expected_version: int) -> _Versioned:
    """Bump the row's version iff it is still ``expected_version``; return the fresh row.

    Raises StaleVersion when another save came first."""
    rows = model._default_manager
    claimed = rows.filter(pk=pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise StaleVersion()
    return rows.get(pk=pk)


def review_report(
    report: ProgressReport,
    user: User,
    *,
    approve: bool,
    comment: str = "",
    expected_version: int,
    confirm_lower: bool = False,
    now: dt.datetime | None = None,
) -> ProgressReport:
    """Approve (已通过) or return (退回, comment required) a pending report.

    Approving the latest approved period also moves the task's progress to the report's percent
    (100 % marks the task 已完成; a task 未开始 becomes 推进中); a 零报告 leaves it as it is. A
    figure below the approved one is approved only with ``confirm_lower`` (the reviewer has read
    the reporter's reason): progress never goes backwards silently.
    """
    task = report.task
    if not permissions.task_capabilities(user, task).can_review:
        raise PermissionDenied("您不是该任务所属计划的督查人员，不能审核")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError("退回时请填写退回意见", field="comment")
    if len(comment) > MAX_COMMENT_TEXT:
        raise DomainError(f"审核意见不能超过 {MAX_COMMENT_TEXT} 字", field="comment")
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        fresh = claim_version(ProgressReport, report.pk, expected_version)
        if fresh.state != ReviewState.PENDING:
            raise DomainError(f"该进展已审核（{fresh.get_state_display()}），不能重复审核")
        fresh.state = ReviewState.APPROVED if approve else ReviewState.RETURNED
        fresh.reviewer = user
        fresh.reviewed_at = now
        fresh.review_comment = comment
        fresh.save()
        if approve:
            _apply_progress(fresh, confirm_lower=confirm_lower)
    return fresh


def _apply_progress(report: ProgressReport, *, confirm_lower: bool) -> None:
    if report.is_zero_report:
        return  # no progress this period: the approved figure stands
    later_approved = ProgressReport.objects.filter(
        task_id=report.task_id, state=ReviewState.APPROVED, period__gt=report.period
    ).exists()
    if later_approved:
        return
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if obligations.lower_than_approved(task, report.percent) and not confirm_lower:
        reason = f"（原因：{report.lower_reason}）" if report.lower_reason else ""
        raise DomainError(
            f"该进展的完成进度 {report.percent}% 低于已审核通过的 {task.progress}%{reason}，"
            "请确认下调后再通过",
            field="confirm_lower",
        )
    task.progress = report.percent
    if report.percent >= 100:
        task.status = TaskStatus.DONE
    elif task.status in (TaskStatus.NOT_STARTED, TaskStatus.DONE):
        task.status = TaskStatus.IN_PROGRESS
    task.version += 1  # the row is locked (select_for_update / SQLite IMMEDIATE)
    task.save()


# --- tasks --------------------------------------------------------------------------------------

EDITABLE_TASK_FIELDS = frozenset(
    {
        "code",
        "seq",
        "category_path",
        "title",
        "content",
        "lead_unit",
        "co_units",
        "leader_name",
        "leader",
        "deadline",
        "status",
        "progress",
    }
)


def update_task(task: Task, changes: Mapping[str, Any], expected_version: int, user: User) -> Task:
    """Apply ``changes`` ({field: value}; ``co_units`` an iterable of Units) if nobody saved since
    ``expected_version``; return the saved task (with its new version)."""
    if not permissions.task_capabilities(user, task).can_manage:
        raise PermissionDenied("您不是该任务所属计划的督查人员，不能修改任务")
    unknown = set(changes) - EDITABLE_TASK_FIELDS
    if unknown:
        raise DomainError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    co_units: list[Unit] | None = list(changes["co_units"]) if "co_units" in changes else None
    units = [u for u in [changes.get("lead_unit"), *(co_units or [])] if u is not None]
    # units already on the task may stay, even outside the editor's scope; new ones must be in it
    kept = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
    outside = permissions.units_outside_assignment(user, units, [pk for pk in kept if pk is not None])
    if outside:
        names = "、".join(u.name for u in outside)
        raise DomainError(f"不能把任务分派给管辖范围以外的单位：{names}", field="lead_unit")
    with transaction.atomic(), acting_as(user):
        fresh: Task = claim_version(Task, task.pk, expected_version)
        for name, value in changes.items():
            if name != "co_units":
                setattr(fresh, name, value)
        try:
            fresh.full_clean(exclude=["plan", "source"], validate_unique=False, validate_constraints=False)
        except ValidationError as err:
            raise DomainError(_validation_message(err)) from None
        fresh.save()
        if co_units is not None:
            fresh.co_units.set(co_units)
    return fresh


# --- comments -----------------------------------------------------------------------------------


# The same 批示 by the same person on the same task within this window is a double post.
DOUBLE_POST_WINDOW = dt.timedelta(minutes=2)


def add_comment(task: Task, user: User, text: str, *, now: dt.datetime | None = None) -> Comment:
    """A leader's or supervisor's 批示 on a task. Raises AlreadyPosted for a double post: the check
    runs inside the transaction, under a lock on the task row, so two simultaneous posts queue and
    the second sees the first."""
    if not permissions.task_capabilities(user, task).can_comment:
        raise PermissionDenied("只有领导和督查人员可以对该任务作出批示")
    text = (text or "").strip()
    if not text:
        raise DomainError("批示内容不能为空", field="text")
    if len(text) > MAX_COMMENT_TEXT:
        raise DomainError(f"批示内容不能超过 {MAX_COMMENT_TEXT} 字", field="text")
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        Task.objects.select_for_update().filter(pk=task.pk).values_list("pk").first()
        duplicate = Comment.objects.filter(
            task=task, author=user, text=text, created_at__gte=now - DOUBLE_POST_WINDOW
        ).exists()
        if duplicate:
            raise AlreadyPosted("该批示已提交，未重复保存")
        return Comment.objects.create(task=task, author=user, text=text)


def set_milestone_done(milestone_id: int, user: User, *, done: bool, on: dt.date | None = None) -> None:
    """Mark a milestone done or not (supervisor in scope, or a reporter of the task)."""
    milestone = Milestone.objects.select_related("task__plan").get(pk=milestone_id)
    if not permissions.task_capabilities(user, milestone.task).can_mark_milestones:
        raise PermissionDenied("只有牵头单位的填报员和该计划的督查人员可以标记节点")
    with transaction.atomic(), acting_as(user):
        milestone.done = done
        milestone.done_on = (on or timezone.localdate()) if done else None
        milestone.save()


# --- 配合情况: a co-operating unit's own note ----------------------------------------------------


def co_report_unit(user: User, task: Task) -> Unit | None:
    """The co-operating unit ``user`` writes for: their own unit if it co-operates, else the first
    co-operating unit below it (a bureau's reporter writing for its section)."""
    co_units = list(task.co_units.order_by("sort_order", "id"))
    if user.unit_id is not None and any(u.pk == user.unit_id for u in co_units):
        return next(u for u in co_units if u.pk == user.unit_id)
    ids = permissions.actor(user).unit_ids
    return next((u for u in co_units if u.pk in ids), None)


def submit_co_report(
    task: Task,
    user: User,
    *,
    period: str,
    text: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> CoReport:
    """Submit (or correct) the co-unit's 配合情况 for ``period``. It never touches the lead unit's
    report, the task's progress or its milestones."""
    if not permissions.task_capabilities(user, task).can_co_report:
        raise PermissionDenied("您不是该任务配合单位的填报员，不能填写配合情况")
    unit = co_report_unit(user, task)
    if unit is None:  # the capability says a co-unit is in scope; guard the race with an edit
        raise PermissionDenied("您不是该任务配合单位的填报员，不能填写配合情况")
    plan = task.plan
    if not obligations.in_span(task, plan, period):  # a period of another cadence is in no span
        raise DomainError(f"该任务在{period_label(period)}无需报送", field="period")
    now = now or timezone.now()
    window = plan_window(plan, period)
    if local_date(now) < window.opens:
        raise DomainError(f"{period_label(period)}的报送尚未开始（{window.opens:%Y年%m月%d日}起可报送）")
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写本期配合情况", field="text")
    if len(text) > MAX_REPORT_TEXT:
        raise DomainError(f"配合情况不能超过 {MAX_REPORT_TEXT} 字", field="text")
    with transaction.atomic(), acting_as(user):
        existing = CoReport.objects.filter(task=task, unit=unit, period=period).first()
        if existing is None:
            try:
                with transaction.atomic():
                    return CoReport.objects.create(
                        task=task, unit=unit, period=period, text=text, submitted_by=user, submitted_at=now
                    )
            except IntegrityError:
                raise StaleVersion(
                    f"{period_label(period)}的配合情况刚刚已由他人填写，请刷新后查看"
                ) from None
        if expected_version is None:
            raise StaleVersion(f"{period_label(period)}的配合情况已填写过，请刷新后在原记录上修改")
        fresh: CoReport = claim_version(CoReport, existing.pk, expected_version)
        fresh.text = text
        fresh.submitted_by = user
        fresh.submitted_at = now
        fresh.save()
        return fresh


# --- 延期申请 / 调整申请 -------------------------------------------------------------------------


def request_change(
    task: Task,
    user: User,
    *,
    kind: str,
    reason: str,
    new_deadline: dt.date | None = None,
    new_lead_unit: Unit | None = None,
    now: dt.datetime | None = None,
) -> ChangeRequest:
    """A unit asks the plan's owner for a new deadline, a new lead unit, or a pause."""
    if not permissions.task_capabilities(user, task).can_request_change:
        raise PermissionDenied("只有牵头单位可以提出申请，计划的督查人员可直接修改任务")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写申请理由", field="reason")
    if len(reason) > MAX_COMMENT_TEXT:
        raise DomainError(f"申请理由不能超过 {MAX_COMMENT_TEXT} 字", field="reason")
    fields: dict[str, Any] = {}
    if kind == ChangeKind.DEADLINE:
        if new_deadline is None:
            raise DomainError("请填写新的完成时限", field="new_deadline")
        if new_deadline == task.deadline:
            raise DomainError("新的完成时限与现在相同", field="new_deadline")
        fields["new_deadline"] = new_deadline
    elif kind == ChangeKind.LEAD_UNIT:
        if new_lead_unit is None:
            raise DomainError("请选择新的牵头单位", field="new_lead_unit")
        if new_lead_unit.pk == task.lead_unit_id:
            raise DomainError("新的牵头单位与现在相同", field="new_lead_unit")
        fields["new_lead_unit"] = new_lead_unit
    elif kind == ChangeKind.PAUSE:
        if task.status == TaskStatus.PAUSED:
            raise DomainError("该任务已暂停")
    else:
        raise DomainError("请选择申请事项", field="kind")
    with transaction.atomic(), acting_as(user):
        if ChangeRequest.objects.filter(task=task, kind=kind, state=RequestState.PENDING).exists():
            raise DomainError("该任务已有同类申请正在审批，请等待审批结果")
        return ChangeRequest.objects.create(
            task=task,
            kind=kind,
            reason=reason,
            requested_by=user,
            requested_at=now or timezone.now(),
            **fields,
        )


def decide_change_request(
    change: ChangeRequest,
    user: User,
    *,
    approve: bool,
    comment: str = "",
    expected_version: int,
    now: dt.datetime | None = None,
) -> ChangeRequest:
    """The plan's owner approves (the change is applied to the task, audited) or refuses (a
    comment is required) a pending request. All or nothing."""
    task = Task.objects.select_related("plan").get(pk=change.task_id)
    if not permissions.task_capabilities(user, task).can_manage:
        raise PermissionDenied("只有该任务所属计划的督查人员可以审批申请")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError("不同意时请填写审批意见", field="comment")
    if len(comment) > MAX_COMMENT_TEXT:
        raise DomainError(f"审批意见不能超过 {MAX_COMMENT_TEXT} 字", field="comment")
    with transaction.atomic(), acting_as(user):
        fresh: ChangeRequest = claim_version(ChangeRequest, change.pk, expected_version)
        if fresh.state != RequestState.PENDING:
            raise DomainError(f"该申请已审批（{fresh.get_state_display()}），不能重复审批")
        fresh.state = RequestState.APPROVED if approve else RequestState.REFUSED
        fresh.decided_by = user
        fresh.decided_at = now or timezone.now()
        fresh.decision_comment = comment
        fresh.save()
        if approve:
            update_task(task, _requested_changes(fresh), task.version, user)
    return fresh


def _requested_changes(change: ChangeRequest) -> dict[str, Any]:
    if change.kind == ChangeKind.DEADLINE:
        return {"deadline": change.new_deadline}
    if change.kind == ChangeKind.LEAD_UNIT:
        return {"lead_unit": change.new_lead_unit}
    return {"status": TaskStatus.PAUSED}


# --- plans and import ---------------------------------------------------------------------------


def store_source_document(
    original_name: str, data: bytes, text: str, user: User | None, content_type: str = ""
) -> tuple[SourceDocument, bool]:
    """Keep an imported file once: returns (document, created). The same bytes twice → the same row."""
    digest = hashlib.sha256(data).hexdigest()
    existing = SourceDocument.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    document = SourceDocument(
        original_name=PurePath(original_name).name[:255] or "未命名",
        sha256=digest,
        size=len(data),
        content_type=content_type,
        text=text,
        uploaded_by=user,
    )
    with acting_as(user):
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives the clash
                document.file.save(document.original_name, ContentFile(data), save=False)
                document.save()
        except IntegrityError:  # stored by a concurrent import a moment ago: theirs stays, our copy goes
            document.file.delete(save=False)
            return SourceDocument.objects.get(sha256=digest), False
    return document, True


def create_plan_with_tasks(
    *,
    owner_unit: Unit,
    year: int,
    title: str,
    user: User,
    drafts: Sequence[TaskDraft],
    source: SourceDocument | None = None,
    cadence: str = Cadence.MONTHLY,
    report_window_days: int = 5,
) -> Plan:
    """Create the plan and all its tasks in one transaction (nothing is saved if any task is invalid)."""
    if not permissions.may_create_plan_for(user, owner_unit):
        raise PermissionDenied("您不能为该单位创建工作计划")
    if source is not None and Plan.objects.filter(source=source).exists():
        raise DomainError(f"文件《{source.original_name}》已导入过，不会重复创建计划")
    with transaction.atomic(), acting_as(user):
        plan = Plan(
            year=year,
            owner_unit=owner_unit,
            title=title.strip(),
            source=source,
            cadence=cadence,
            report_window_days=report_window_days,
            created_by=user,
        )
        _full_clean(plan, "计划")
        plan.save()
        for draft in drafts:
            task = Task(
                plan=plan,
                seq=draft.seq,
                code=draft.code,
                category_path=list(draft.category_path),
                title=draft.title,
                content=draft.content,
                lead_unit=draft.lead_unit,
                leader_name=draft.leader_name,
                deadline=draft.deadline,
                source=source,
                source_line=draft.source_line,
            )
            _full_clean(task, f"第 {draft.seq} 项任务", exclude=["plan"])
            task.save()
            if draft.co_units:
                task.co_units.set(draft.co_units)
            for node in draft.milestones:
                milestone = Milestone(task=task, due_on=node.due_on, description=node.description)
                _full_clean(milestone, f"第 {draft.seq} 项任务的节点", exclude=["task"])
                milestone.save()
    return plan


def _full_clean(obj: Any, what: str, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as err:
        raise DomainError(f"{what}：{_validation_message(err)}") from None
