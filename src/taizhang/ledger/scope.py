"""Who may see and do what: every permission is scoped to the user's unit subtree.

Rules (DOMAIN.md §1):

- admins (role 管理员 or superuser) and supervisors / leaders of a ROOT unit see every task;
- a supervisor or leader sees the tasks of plans owned by, led by, or co-operated on by any unit
  in their subtree;
- a reporter sees (and reports on) the tasks whose lead or co-operating unit is in their subtree;
- a user without a unit sees nothing (unless admin).

Views must call these at the object level (not just hide menus). ``tasks_in_scope`` is the one
queryset every list, count and API must start from.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from taizhang.accounts.models import Role, User
from taizhang.accounts.units import (
    AnyUser,
    active,
    scope_unit_ids,
    sees_everything,
    unit_subtree_ids,
    visible_units,
)
from taizhang.ledger.models import Task

# The unit-level rules live with the unit tree in accounts; callers read them here too, with the task rules.
__all__ = [
    "can_comment",
    "can_edit_task",
    "can_report",
    "can_review",
    "can_view_task",
    "scope_unit_ids",
    "sees_everything",
    "tasks_in_scope",
    "unit_subtree_ids",
    "visible_units",
]


def _tasks_touching(unit_ids: set[int], *, include_plan_owner: bool) -> QuerySet[Task]:
    co_task_ids = Task.co_units.through.objects.filter(unit_id__in=unit_ids).values("task_id")
    condition = Q(lead_unit_id__in=unit_ids) | Q(pk__in=co_task_ids)
    if include_plan_owner:
        condition |= Q(plan__owner_unit_id__in=unit_ids)
    return Task.objects.filter(condition)


def tasks_in_scope(user: AnyUser) -> QuerySet[Task]:
    """Every task the user may see (no duplicates; safe to filter and count further)."""
    if sees_everything(user):
        return Task.objects.all()
    ids = scope_unit_ids(user)
    if not ids:
        return Task.objects.none()
    assert isinstance(user, User)
    return _tasks_touching(ids, include_plan_owner=user.role != Role.REPORTER)


def _task_unit_ids(task: Task) -> set[int]:
    ids = {pk for pk in [task.lead_unit_id] if pk is not None}
    ids.update(task.co_units.values_list("pk", flat=True))
    return ids


def can_view_task(user: AnyUser, task: Task) -> bool:
    if sees_everything(user):
        return True
    ids = scope_unit_ids(user)
    if not ids:
        return False
    assert isinstance(user, User)
    if user.role != Role.REPORTER and task.plan.owner_unit_id in ids:
        return True
    return bool(_task_unit_ids(task) & ids)


def can_report(user: AnyUser, task: Task) -> bool:
    """A reporter whose subtree holds the task's lead or a co-operating unit."""
    if not active(user):
        return False
    assert isinstance(user, User)
    if user.role != Role.REPORTER:
        return False
    return bool(_task_unit_ids(task) & scope_unit_ids(user))


def can_review(user: AnyUser, task: Task) -> bool:
    """A supervisor who can see the task."""
    return active(user) and getattr(user, "role", None) == Role.SUPERVISOR and can_view_task(user, task)


def can_edit_task(user: AnyUser, task: Task) -> bool:
    """Editing a task's assignment, deadline, status: the supervisor in scope (same as review)."""
    return can_review(user, task)


def can_comment(user: AnyUser, task: Task) -> bool:
    """批示: a leader or a supervisor who can see the task."""
    return (
        active(user)
        and getattr(user, "role", None) in (Role.LEADER, Role.SUPERVISOR)
        and can_view_task(user, task)
    )
