"""Scope: a user's units in the tree (what they may do with ledger objects: test_permissions)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from taizhang.accounts import units as scope
from taizhang.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_unit_subtree(org: SimpleNamespace) -> None:
    assert scope.unit_subtree_ids(org.transport) == {org.transport.pk, org.section.pk}
    assert scope.unit_subtree_ids(org.section) == {org.section.pk}
    assert len(scope.unit_subtree_ids(org.root)) == 6
    assert scope.unit_subtree_ids(None) == set()


def test_visible_units(people: SimpleNamespace, org: SimpleNamespace) -> None:
    assert scope.visible_units(people.supervisor).count() == 6
    assert set(scope.visible_units(people.reporter)) == {org.transport, org.section}
    assert set(scope.visible_units(people.section_reporter)) == {org.section}


def test_sees_everything(people: SimpleNamespace, make_user: object) -> None:
    """Admins (a unit or none) and the root unit's supervisors and leaders; not a root reporter."""
    assert scope.sees_everything(people.admin)
    assert scope.sees_everything(people.supervisor)
    assert scope.sees_everything(people.leader)
    assert scope.sees_everything(make_user("it", Role.ADMIN, None))  # type: ignore[operator]
    root = people.supervisor.unit
    assert not scope.sees_everything(make_user("root_clerk", Role.REPORTER, root))  # type: ignore[operator]
    assert not scope.sees_everything(people.bureau_supervisor)
    people.supervisor.is_active = False
    assert not scope.sees_everything(people.supervisor)


def test_scope_unit_ids(people: SimpleNamespace, org: SimpleNamespace, make_user: object) -> None:
    assert scope.scope_unit_ids(people.reporter) == {org.transport.pk, org.section.pk}
    assert scope.scope_unit_ids(make_user("orphan", Role.SUPERVISOR, None)) == set()  # type: ignore[operator]
    people.reporter.is_active = False
    assert scope.scope_unit_ids(people.reporter) == set()
