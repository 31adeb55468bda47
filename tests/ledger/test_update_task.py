"""update_task: optimistic locking (a stale save is refused), scope of assignment, validation."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def test_update_bumps_the_version(
    ledger: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = ledger.transport
    saved = services.update_task(
        task,
        {"deadline": dt.date(2026, 9, 30), "status": TaskStatus.IN_PROGRESS, "co_units": [org.town]},
        task.version,
        people.supervisor,
    )
    assert saved.version == task.version + 1
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.deadline == dt.date(2026, 9, 30) and fresh.status == TaskStatus.IN_PROGRESS
    assert list(fresh.co_units.all()) == [org.town]


def test_a_stale_save_is_refused_and_changes_nothing(
    ledger: SimpleNamespace, people: SimpleNamespace, colleague: Any
) -> None:
    task = ledger.transport
    loaded = task.version
    services.update_task(task, {"title": "甲的修改"}, loaded, people.supervisor)
    with pytest.raises(StaleVersion, match="请刷新页面"):
        services.update_task(task, {"title": "乙的修改"}, loaded, colleague)
    assert Task.objects.get(pk=task.pk).title == "甲的修改"


def test_invalid_values_roll_back_the_version(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    task = ledger.transport
    with pytest.raises(DomainError):
        services.update_task(task, {"progress": 150}, task.version, people.supervisor)
    with pytest.raises(DomainError):
        services.update_task(task, {"status": "nonsense"}, task.version, people.supervisor)
    assert Task.objects.get(pk=task.pk).version == task.version


def test_unknown_fields_are_refused(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    with pytest.raises(DomainError, match="不能修改这些字段"):
        services.update_task(ledger.transport, {"plan": None}, ledger.transport.version, people.supervisor)


def test_bureau_supervisor_cannot_assign_outside_scope(
    bureau_plan: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = bureau_plan.task
    with pytest.raises(DomainError, match="管辖范围以外"):
        services.update_task(task, {"lead_unit": org.housing}, task.version, people.bureau_supervisor)
    saved = services.update_task(task, {"lead_unit": org.transport}, task.version, people.bureau_supervisor)
    assert saved.lead_unit == org.transport


def test_a_co_unit_outside_the_editors_scope_is_kept(
    bureau_plan: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    """青石镇 co-operates on the bureau's task but lies outside the bureau: editing the task (even its
    co-units) keeps it, only adding another outside unit is refused."""
    task = bureau_plan.task
    saved = services.update_task(task, {"title": "农村公路养护工程"}, task.version, people.bureau_supervisor)
    assert set(saved.co_units.all()) == {org.town}
    saved = services.update_task(
        saved, {"co_units": [org.town, org.transport]}, saved.version, people.bureau_supervisor
    )
    assert set(saved.co_units.all()) == {org.town, org.transport}
    with pytest.raises(DomainError, match="住房和城乡建设局"):
        services.update_task(
            saved, {"co_units": [org.town, org.housing]}, saved.version, people.bureau_supervisor
        )
    assert set(Task.objects.get(pk=task.pk).co_units.all()) == {org.town, org.transport}


@pytest.mark.parametrize("who", ["reporter", "leader", "admin", "bureau_leader"])
def test_only_supervisors_edit(ledger: SimpleNamespace, people: SimpleNamespace, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.update_task(ledger.transport, {"title": "x"}, ledger.transport.version, getattr(people, who))
