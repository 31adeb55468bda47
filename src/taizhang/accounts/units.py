"""Where a user sits in the unit tree, and which units that puts in their charge.

The task-level rules built on these (what a user may see and do in the ledger) are in
``taizhang.ledger.permissions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from taizhang.accounts.models import Role, Unit, User, unit_label

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


def active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def sees_everything(user: AnyUser) -> bool:
    """Admins, and supervisors or leaders of a root unit."""
    if not active(user):
        return False
    assert isinstance(user, User)
    if user.is_admin_role:
        return True
    return (
        user.role in (Role.SUPERVISOR, Role.LEADER) and user.unit is not None and user.unit.parent_id is None
    )


def scope_unit_ids(user: AnyUser) -> set[int]:
    """The unit ids of the user's subtree (empty for anonymous, inactive or unit-less users)."""
    if not active(user):
        return set()
    assert isinstance(user, User)
    return unit_subtree_ids(user.unit)


def visible_units(user: AnyUser) -> QuerySet[Unit]:
    """Units the user may see and pick: all for admins / root supervisors, else their subtree."""
    if sees_everything(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=scope_unit_ids(user))


def unit_labels(units: Iterable[Unit]) -> dict[int, str]:
    """``Unit.label`` of many units at once, their parents read in one query at most."""
    units = list(units)
    by_pk = {u.pk: u for u in units}
    missing = {u.parent_id for u in units if u.parent_id is not None and u.parent_id not in by_pk}
    if missing:
        by_pk.update(Unit.objects.in_bulk(missing))
    return {u.pk: unit_label(u, by_pk.get(u.parent_id) if u.parent_id else None) for u in units}
