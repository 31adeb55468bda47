"""Scope: who sees, reports on, reviews and comments on which task."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from taizhang.accounts.models import Role
from taizhang.ledger import scope

pytestmark = pytest.mark.django_db


def ids(qs: object) -> set[int]:
    return {t.pk for t in qs}  # type: ignore[attr-defined]


def test_unit_subtree(org: SimpleNamespace) -> None:
    assert scope.unit_subtree_ids(org.transport) == {org.transport.pk, org.section.pk}
    assert scope.unit_subtree_ids(org.section) == {org.section.pk}
    assert len(scope.unit_subtree_ids(org.root)) == 6
    assert scope.unit_subtree_ids(None) == set()


def test_visible_units(people: SimpleNamespace, org: SimpleNamespace) -> None:
    assert scope.visible_units(people.supervisor).count() == 6
    assert set(scope.visible_units(people.reporter)) == {org.transport, org.section}
    assert set(scope.visible_units(people.section_reporter)) == {org.section}


def test_root_supervisor_leader_and_admin_see_everything(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    everything = {ledger.transport.pk, ledger.housing.pk, ledger.town.pk}
    for user in (people.supervisor, people.leader, people.admin):
        assert ids(scope.tasks_in_scope(user)) == everything
        assert all(scope.can_view_task(user, t) for t in (ledger.transport, ledger.housing, ledger.town))


def test_reporter_sees_led_and_co_operated_tasks_only(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    assert ids(scope.tasks_in_scope(people.reporter)) == {ledger.transport.pk, ledger.town.pk}
    assert not scope.can_view_task(people.reporter, ledger.housing)
    assert ids(scope.tasks_in_scope(people.housing_reporter)) == {ledger.transport.pk, ledger.housing.pk}
    assert ids(scope.tasks_in_scope(people.town_reporter)) == {ledger.town.pk}


def test_section_reporter_does_not_see_the_bureau_tasks(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    assert ids(scope.tasks_in_scope(people.section_reporter)) == set()
    ledger.housing.co_units.add(people.section_reporter.unit)
    assert ids(scope.tasks_in_scope(people.section_reporter)) == {ledger.housing.pk}


def test_bureau_supervisor_and_leader_see_their_subtree(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    for user in (people.bureau_supervisor, people.bureau_leader):
        assert ids(scope.tasks_in_scope(user)) == {ledger.transport.pk, ledger.town.pk}
        assert not scope.can_view_task(user, ledger.housing)


def test_tasks_in_scope_has_no_duplicates(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    ledger.transport.co_units.add(org.section)  # lead and co both in the reporter's subtree
    assert scope.tasks_in_scope(people.reporter).count() == 2


def test_user_without_unit_or_inactive_sees_nothing(
    make_user: object, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    orphan = make_user("orphan", Role.SUPERVISOR, None)  # type: ignore[operator]
    assert scope.tasks_in_scope(orphan).count() == 0
    people.supervisor.is_active = False
    assert scope.tasks_in_scope(people.supervisor).count() == 0
    assert not scope.can_view_task(people.supervisor, ledger.transport)


def test_can_report(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert scope.can_report(people.reporter, ledger.transport)  # lead
    assert scope.can_report(people.reporter, ledger.town)  # co-operating
    assert not scope.can_report(people.reporter, ledger.housing)
    assert not scope.can_report(people.supervisor, ledger.transport)  # not a reporter
    assert not scope.can_report(people.section_reporter, ledger.transport)  # parent's task


def test_can_review(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert scope.can_review(people.supervisor, ledger.housing)
    assert scope.can_review(people.bureau_supervisor, ledger.transport)
    assert not scope.can_review(people.bureau_supervisor, ledger.housing)
    assert not scope.can_review(people.leader, ledger.transport)
    assert not scope.can_review(people.reporter, ledger.transport)
    assert not scope.can_review(people.admin, ledger.transport)


def test_can_comment(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert scope.can_comment(people.leader, ledger.housing)
    assert scope.can_comment(people.supervisor, ledger.housing)
    assert scope.can_comment(people.bureau_leader, ledger.transport)
    assert not scope.can_comment(people.bureau_leader, ledger.housing)
    assert not scope.can_comment(people.reporter, ledger.transport)
