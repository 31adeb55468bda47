"""Every write to the problem ledger goes through these functions (``ledger.services``' manner).

Each checks permission (``problem_permissions``), validates, runs in one ``transaction.atomic()``
block (all or nothing), records the actor for the audit log and a ``ProblemEvent`` for the
problem's history, and raises ``DomainError`` (or ``PermissionDenied`` / ``StaleVersion``) with a
Chinese message. Writes to an existing problem claim its row by ``version`` (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taizhang.accounts.models import Unit, User
from taizhang.core.colours import ORDER, Colour
from taizhang.core.sizes import human_size
from taizhang.ledger import permissions
from taizhang.ledger.audit import acting_as
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Plan, SourceDocument, Task
from taizhang.ledger.validators import MAX_ATTACHMENTS_PER_REPORT, REPORT_QUOTA_FACTOR, validate_attachment
from taizhang.supervision import problem_permissions
from taizhang.supervision.colours import DEFAULT, Thresholds, Verdict, problem_colour
from taizhang.supervision.models import ColourRules
from taizhang.supervision.problem_models import (
    Problem,
    ProblemAttachment,
    ProblemEvent,
    ProblemEventKind,
    ProblemSource,
    ProblemState,
)

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_COMMENT = 2000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

NOT_MANAGER = "只有该问题所属计划的督查人员可以执行此操作"


@dataclass
class ProblemDraft:
    """One problem to create (by hand, or a confirmed row of an import)."""

    title: str
    unit: Unit | None
    deadline: dt.date | None
    measures: str = ""
    description: str = ""
    task: Task | None = None
    source: str = ProblemSource.MANUAL
    source_line: int | None = None
    source_note: str = ""


# --- checks -------------------------------------------------------------------------------------


def check_deadline(value: dt.date | None) -> dt.date:
    if value is None:
        raise DomainError("请填写整改时限", field="deadline")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise DomainError(
            f"整改时限超出范围（年份应在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 之间）", field="deadline"
        )
    return value


def _text(value: str, limit: int, label: str, field: str, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(required, field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return value


def _check_draft(
    plan: Plan, user: User, draft: ProblemDraft, kept_unit_id: int | None = None
) -> ProblemDraft:
    """The draft cleaned, or DomainError. A new responsible unit must be in the user's scope; the
    problem's current one (``kept_unit_id``) may stay."""
    title = _text(draft.title, MAX_TITLE, "问题", "title", required="请填写问题")
    if draft.unit is None:
        raise DomainError("请选择责任单位", field="unit")
    if not draft.unit.is_active and draft.unit.pk != kept_unit_id:
        raise DomainError(f"单位“{draft.unit.name}”已停用，不能作为责任单位", field="unit")
    if permissions.units_outside_assignment(user, [draft.unit], [kept_unit_id] if kept_unit_id else []):
        raise DomainError(f"不能把问题交给管辖范围以外的单位：{draft.unit.name}", field="unit")
    if draft.task is not None and draft.task.plan_id != plan.pk:
        raise DomainError("相关任务不属于该计划", field="task")
    return ProblemDraft(
        title=title,
        unit=draft.unit,
        deadline=check_deadline(draft.deadline),
        measures=_text(draft.measures, MAX_TEXT, "整改措施", "measures"),
        description=_text(draft.description, MAX_TEXT, "问题描述", "description"),
        task=draft.task,
        source=draft.source,
        source_line=draft.source_line,
        source_note=_text(draft.source_note, 200, "来源说明", "source_note"),
    )


def _claim(problem: Problem, expected_version: int | None) -> Problem:
    """Bump the row's version iff it is still ``expected_version``; the fresh row, or StaleVersion."""
    if expected_version is None:
        raise StaleVersion()
    claimed = Problem.objects.filter(pk=problem.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise StaleVersion()
    return Problem.objects.select_related("plan", "unit").get(pk=problem.pk)


def _event(
    problem: Problem, kind: str, user: User | None, now: dt.datetime, comment: str = ""
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem, kind=kind, at=now, actor=user, comment=comment, state=problem.state
    )


# --- creating -----------------------------------------------------------------------------------


def create_problems(
    plan: Plan,
    user: User,
    drafts: Sequence[ProblemDraft],
    *,
    source_document: SourceDocument | None = None,
    now: dt.datetime | None = None,
) -> list[Problem]:
    """Create the problems in one transaction: one bad draft and none is saved. A draft's error
    names its row ("第3条：…") when there are several."""
    if not problem_permissions.may_manage_problems(user, plan):
        raise PermissionDenied("只有该计划的督查人员可以登记问题")
    if not drafts:
        raise DomainError("没有要登记的问题")
    checked: list[ProblemDraft] = []
    for index, draft in enumerate(drafts, start=1):
        try:
            checked.append(_check_draft(plan, user, draft))
        except DomainError as err:
            if len(drafts) == 1:
                raise
            short = draft.title.strip()[:12]
            where = f"第{draft.source_line}行的问题“{short}”" if draft.source_line else f"第{index}条"
            raise DomainError(f"{where}：{err.message}", field=err.field) from None
    now = now or timezone.now()
    created: list[Problem] = []
    with transaction.atomic(), acting_as(user):
        for draft in checked:
            assert draft.unit is not None and draft.deadline is not None
            problem = Problem.objects.create(
                plan=plan,
                task=draft.task,
                title=draft.title,
                description=draft.description,
                source=draft.source,
                source_document=source_document if draft.source == ProblemSource.DOCUMENT else None,
                source_line=draft.source_line,
                source_note=draft.source_note,
                unit=draft.unit,
                measures=draft.measures,
                deadline=draft.deadline,
                created_by=user,
            )
            _event(problem, ProblemEventKind.CREATED, user, now)
            created.append(problem)
    return created


def create_problem(plan: Plan, user: User, draft: ProblemDraft, *, now: dt.datetime | None = None) -> Problem:
    return create_problems(plan, user, [draft], now=now)[0]


EDITABLE = ("title", "description", "unit", "measures", "deadline", "task")
LABELS = {
    "title": "问题",
    "description": "问题描述",
    "unit": "责任单位",
    "measures": "整改措施",
    "deadline": "整改时限",
    "task": "相关任务",
}


def update_problem(
    problem: Problem,
    user: User,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Problem:
    """Change what the problem is (not its state); a signed-off problem is re-opened first."""
    if not problem_permissions.problem_capabilities(user, problem).can_manage:
        raise PermissionDenied(NOT_MANAGER)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    current = ProblemDraft(
        title=problem.title,
        unit=problem.unit,
        deadline=problem.deadline,
        measures=problem.measures,
        description=problem.description,
        task=problem.task,
    )
    for name, value in changes.items():
        setattr(current, name, value)
    checked = _check_draft(problem.plan, user, current, kept_unit_id=problem.unit_id)
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        fresh = _claim(problem, expected_version)
        if fresh.state == ProblemState.CLOSED:
            raise DomainError("该问题已销号，不能修改；如需重新整改，请先回头看重新挂账")
        labels = []
        for name in changes:
            value = getattr(checked, name)
            if getattr(fresh, name) != value:
                setattr(fresh, name, value)
                labels.append(LABELS[name])
        fresh.save()
        if labels:
            _event(fresh, ProblemEventKind.EDITED, user, now, f"修改了{'、'.join(labels)}")
    return fresh


# --- the state machine --------------------------------------------------------------------------


def submit_rectification(
    problem: Problem,
    user: User,
    *,
    text: str,
    files: Sequence[UploadedFile[bytes]] = (),
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Problem:
    """The responsible unit reports what it did (整改情况) with its evidence: 整改中 → 待验收."""
    if not problem_permissions.problem_capabilities(user, problem).can_rectify:
        raise PermissionDenied("只有责任单位的填报员可以提交整改情况")
    text = _text(text, MAX_TEXT, "整改情况", "text", required="请填写整改情况")
    files = list(files)
    limit = REPORT_QUOTA_FACTOR * settings.TAIZHANG_MAX_UPLOAD_BYTES
    added = sum(f.size or 0 for f in files)
    if len(files) > MAX_ATTACHMENTS_PER_REPORT or added > limit:
        raise DomainError(
            f"每次提交的佐证材料最多 {MAX_ATTACHMENTS_PER_REPORT} 个、合计不超过 {human_size(limit)}",
            field="file",
        )
    content_types = [validate_attachment(f) for f in files]  # before any write
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        fresh = _claim(problem, expected_version)
        if fresh.state != ProblemState.OPEN:
            raise DomainError(f"该问题当前为“{fresh.get_state_display()}”，不能提交整改")
        fresh.state = ProblemState.SUBMITTED
        fresh.rectification = text
        fresh.submitted_by = user
        fresh.submitted_at = now
        fresh.returned = False
        fresh.save()
        event = _event(fresh, ProblemEventKind.SUBMITTED, user, now, text)
        for upload, content_type in zip(files, content_types, strict=True):
            ProblemAttachment.objects.create(
                problem=fresh,
                event=event,
                uploaded_by=user,
                **ProblemAttachment.described(upload, content_type),
            )
    return fresh


def verify(
    problem: Problem,
    user: User,
    *,
    sign_off: bool,
    comment: str = "",
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Problem:
    """The supervisor's verification of a 待验收 problem: sign it off (已销号: by whom, when, comment)
    or return it (back to 整改中, a comment required)."""
    if not problem_permissions.problem_capabilities(user, problem).can_manage:
        raise PermissionDenied("只有该问题所属计划的督查人员可以验收销号")
    comment = _text(
        comment, MAX_COMMENT, "验收意见", "comment", required="" if sign_off else "退回时请填写退回意见"
    )
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        fresh = _claim(problem, expected_version)
        if fresh.state != ProblemState.SUBMITTED:
            raise DomainError(
                f"该问题当前为“{fresh.get_state_display()}”，只有待验收的问题可以"
                + ("验收销号" if sign_off else "退回")
            )
        if sign_off:
            fresh.state = ProblemState.CLOSED
            fresh.signed_off_by = user
            fresh.signed_off_at = now
            fresh.sign_off_comment = comment
            fresh.returned = False
            fresh.return_comment = ""
        else:
            fresh.state = ProblemState.OPEN
            fresh.returned = True
            fresh.return_comment = comment
        fresh.save()
        kind = ProblemEventKind.SIGNED_OFF if sign_off else ProblemEventKind.RETURNED
        _event(fresh, kind, user, now, comment)
    return fresh


def reopen(
    problem: Problem,
    user: User,
    *,
    reason: str,
    new_deadline: dt.date | None = None,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Problem:
    """回头看: a signed-off problem found back is re-opened (整改中 again), counted, with a reason and
    optionally a new deadline. The sign-off stays in the history, not on the row."""
    if not problem_permissions.problem_capabilities(user, problem).can_manage:
        raise PermissionDenied("只有该问题所属计划的督查人员可以回头看重新挂账")
    reason = _text(
        reason, MAX_COMMENT, "重新挂账理由", "reason", required="请填写回头看发现的情况（重新挂账理由）"
    )
    deadline = check_deadline(new_deadline) if new_deadline is not None else None
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user):
        fresh = _claim(problem, expected_version)
        if fresh.state != ProblemState.CLOSED:
            raise DomainError(
                f"该问题当前为“{fresh.get_state_display()}”，只有已销号的问题可以回头看重新挂账"
            )
        fresh.state = ProblemState.OPEN
        fresh.reopen_count += 1
        fresh.reopen_reason = reason
        fresh.returned = False
        fresh.return_comment = ""
        fresh.signed_off_by = None
        fresh.signed_off_at = None
        fresh.sign_off_comment = ""
        if deadline is not None:
            fresh.deadline = deadline
        fresh.save()
        extra = f"（整改时限改为 {deadline:%Y年%m月%d日}）" if deadline is not None else ""
        _event(fresh, ProblemEventKind.REOPENED, user, now, reason + extra)
    return fresh


# --- reads --------------------------------------------------------------------------------------


def colour_counts(problems: Iterable[Problem], as_of: dt.date) -> list[tuple[Colour, int]]:
    """How many of ``problems`` have each colour on ``as_of`` (worst first)."""
    found = Counter(verdict.colour for _, verdict in coloured(problems, as_of))
    return [(c, found.get(c, 0)) for c in ORDER]


def coloured(problems: Iterable[Problem], as_of: dt.date) -> list[tuple[Problem, Verdict]]:
    """Each problem with its colour on ``as_of`` under its plan's thresholds (computed on the fly:
    problems are few, and their facts are all on the row)."""
    problems = list(problems)
    plan_ids = {p.plan_id for p in problems}
    rules = {r.plan_id: Thresholds.of(r) for r in ColourRules.objects.filter(plan_id__in=plan_ids)}
    return [(p, problem_colour(p, as_of, rules.get(p.plan_id, DEFAULT))) for p in problems]
