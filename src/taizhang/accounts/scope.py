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

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from taizhang.accounts.models import Role, Unit, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from taizhang.ledger.models import Task

    AnyUser = User | AnonymousUser


def unit_subtree_ids(unit: Unit | None) -> set[int]:
    """The ids of ``unit`` and all its descendants (empty for ``None``)."""
    if unit is None:
        return set()
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    found = {unit.pk}
    stack = [unit.pk]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def sees_everything(user: AnyUser) -> bool:
    """Admins, and supervisors or leaders of a root unit."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.is_admin_role:
        return True
    return (
        user.role in (Role.SUPERVISOR, Role.LEADER) and user.unit is not None and user.unit.parent_id is None
    )


def scope_unit_ids(user: AnyUser) -> set[int]:
    """The unit ids of the user's subtree (empty for anonymous, inactive or unit-less users)."""
    if not _active(user):
        return set()
    assert isinstance(user, User)
    return unit_subtree_ids(user.unit)


def visible_units(user: AnyUser) -> QuerySet[Unit]:
    """Units the user may see and pick: all for admins / root supervisors, else their subtree."""
    if sees_everything(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=scope_unit_ids(user))


def _tasks_touching(unit_ids: set[int], *, include_plan_owner: bool) -> QuerySet[Task]:
    from taizhang.ledger.models import Task

    co_task_ids = Task.co_units.through.objects.filter(unit_id__in=unit_ids).values("task_id")
    condition = Q(lead_unit_id__in=unit_ids) | Q(pk__in=co_task_ids)
    if include_plan_owner:
        condition |= Q(plan__owner_unit_id__in=unit_ids)
    return Task.objects.filter(condition)


def tasks_in_scope(user: AnyUser) -> QuerySet[Task]:
    """Every task the user may see (no duplicates; safe to filter and count further)."""
    from taizhang.ledger.models import Task

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
    if not _active(user):
        return False
    assert isinstance(user, User)
    if user.role != Role.REPORTER:
        return False
    return bool(_task_unit_ids(task) & scope_unit_ids(user))


def can_review(user: AnyUser, task: Task) -> bool:
    """A supervisor who can see the task."""
    return _active(user) and getattr(user, "role", None) == Role.SUPERVISOR and can_view_task(user, task)


def can_edit_task(user: AnyUser, task: Task) -> bool:
    """Editing a task's assignment, deadline, status: the supervisor in scope (same as review)."""
    return can_review(user, task)


def can_comment(user: AnyUser, task: Task) -> bool:
    """批示: a leader or a supervisor who can see the task."""
    return (
        _active(user)
        and getattr(user, "role", None) in (Role.LEADER, Role.SUPERVISOR)
        and can_view_task(user, task)
    )
