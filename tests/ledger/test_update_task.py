"""update_task: optimistic locking (a stale save is refused), scope of assignment, validation."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

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
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    task = ledger.transport
    loaded = task.version
    services.update_task(task, {"title": "甲的修改"}, loaded, people.supervisor)
    with pytest.raises(StaleVersion, match="请刷新页面"):
        services.update_task(task, {"title": "乙的修改"}, loaded, people.bureau_supervisor)
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
    ledger: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="管辖范围以外"):
        services.update_task(
            ledger.transport, {"lead_unit": org.housing}, ledger.transport.version, people.bureau_supervisor
        )
    saved = services.update_task(
        ledger.transport, {"lead_unit": org.section}, ledger.transport.version, people.bureau_supervisor
    )
    assert saved.lead_unit == org.section


@pytest.mark.parametrize("who", ["reporter", "leader", "admin", "bureau_leader"])
def test_only_supervisors_edit(ledger: SimpleNamespace, people: SimpleNamespace, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.update_task(ledger.transport, {"title": "x"}, ledger.transport.version, getattr(people, who))
