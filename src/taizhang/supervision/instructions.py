"""批示件: a leader's 批示 (``ledger.Comment``) that the task's lead unit must answer by a date.

Who: those who may 批示 on the task (``can_comment``) make a 批示 a 批示件; the lead unit's
reporters (``can_report``) report its 落实情况; whoever sees the task sees it (its 批示 is on the
task page already). States: 待落实 → 已落实; a 批示件 still 待落实 after its date is overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from taizhang.accounts.models import User
from taizhang.ledger import permissions, services
from taizhang.ledger.audit import acting_as
from taizhang.ledger.errors import DomainError, PermissionDenied
from taizhang.ledger.models import Comment, Task
from taizhang.ledger.periods import local_date
from taizhang.supervision import notices
from taizhang.supervision.models import Instruction, InstructionState

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser

DEFAULT_DAYS = 10
MAX_ANSWER = 5000
NOT_FOUND_INSTRUCTION = "批示件不存在或不在您的管辖范围内"


def default_due(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=DEFAULT_DAYS)


def get_instruction_for_user(user: AnyUser, pk: Any) -> tuple[Instruction, permissions.Capabilities]:
    """The 批示件 and the capabilities on its task; 404 when missing or not visible."""
    instruction = (
        Instruction.objects.select_related(
            "comment__author", "answered_by", *(f"task__{r}" for r in permissions.TASK_RELATED)
        )
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if instruction is None:
        raise Http404(NOT_FOUND_INSTRUCTION)
    caps = permissions.task_capabilities(user, instruction.task)
    if not caps.can_view:
        raise Http404(NOT_FOUND_INSTRUCTION)
    return instruction, caps


def require_follow_up(
    comment: Comment, user: User, *, due_on: dt.date | None, now: dt.datetime | None = None
) -> Instruction:
    """Make an existing 批示 a 批示件 due on ``due_on``."""
    task = Task.objects.select_related("plan").get(pk=comment.task_id)
    if not permissions.task_capabilities(user, task).can_comment:
        raise PermissionDenied("只有领导和督查人员可以交办批示件")
    now = now or timezone.now()
    due = notices.check_due(due_on, task.plan, local_date(now), what="落实时限", field="due_on")
    with transaction.atomic(), acting_as(user):
        if Instruction.objects.filter(comment=comment).exists():
            raise DomainError("该批示已列为批示件")
        try:
            with transaction.atomic():
                return Instruction.objects.create(
                    comment=comment, task=task, due_on=due, created_by=user, created_at=now
                )
        except IntegrityError:  # made by someone else a moment ago
            raise DomainError("该批示已列为批示件") from None


def issue_instruction(
    task: Task, user: User, *, text: str, due_on: dt.date | None, now: dt.datetime | None = None
) -> Instruction:
    """A new 批示 that must be answered: the 批示 and its 批示件 together, or neither."""
    if not permissions.task_capabilities(user, task).can_comment:
        raise PermissionDenied("只有领导和督查人员可以交办批示件")
    now = now or timezone.now()
    notices.check_due(due_on, task.plan, local_date(now), what="落实时限", field="due_on")
    with transaction.atomic():
        comment = services.add_comment(task, user, text, now=now)
        return require_follow_up(comment, user, due_on=due_on, now=now)


def answer_instruction(
    instruction: Instruction,
    user: User,
    *,
    text: str,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Instruction:
    """The lead unit's reporter reports the 落实情况 (once: a 已落实 批示件 is closed)."""
    task = Task.objects.select_related("plan").get(pk=instruction.task_id)
    if not permissions.task_capabilities(user, task).can_report:
        raise PermissionDenied("只有牵头单位的填报员可以报告落实情况")
    if not instruction.is_waiting:
        raise DomainError("该批示件已报告落实情况，不能重复报告")
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写落实情况", field="text")
    if len(text) > MAX_ANSWER:
        raise DomainError(f"落实情况不能超过 {MAX_ANSWER} 字", field="text")
    with transaction.atomic(), acting_as(user):
        fresh: Instruction = services.claim_version(Instruction, instruction.pk, expected_version)
        if not fresh.is_waiting:
            raise DomainError("该批示件已报告落实情况，不能重复报告")
        fresh.state = InstructionState.DONE
        fresh.answer = text
        fresh.answered_by = user
        fresh.answered_at = now or timezone.now()
        fresh.save()
    return fresh


# --- lists --------------------------------------------------------------------------------------


def instructions_in_scope(who: AnyUser | permissions.Actor) -> QuerySet[Instruction]:
    """The 批示件 on tasks ``who`` sees."""
    a = permissions.actor(who)
    if a.everything:
        return Instruction.objects.all()
    return Instruction.objects.filter(task__in=permissions.tasks_in_scope(a).order_by().values("pk"))


def instructions_to_answer(who: AnyUser | permissions.Actor) -> QuerySet[Instruction]:
    """The 批示件 waiting for ``who``'s unit (``can_report`` on their tasks)."""
    return Instruction.objects.filter(
        task__in=permissions.tasks_reported(who).order_by().values("pk"), state=InstructionState.WAITING
    )


def waiting(who: AnyUser | permissions.Actor) -> QuerySet[Instruction]:
    return instructions_in_scope(who).filter(state=InstructionState.WAITING)
