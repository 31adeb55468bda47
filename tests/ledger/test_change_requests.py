"""延期申请 / 调整申请: the lead unit asks, the plan's owner approves (the change is applied,
audited) or refuses with a comment; the history stays on the task's timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import ChangeKind, ChangeRequest, RequestState, Task, TaskStatus

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
NEW_DAY = dt.date(2027, 3, 31)


def ask(ledger: SimpleNamespace, user: Any, **kw: Any) -> ChangeRequest:
    kw = {"kind": ChangeKind.DEADLINE, "reason": "征迁未完成", "new_deadline": NEW_DAY, **kw}
    return services.request_change(ledger.transport, user, **kw)


def test_approving_a_new_deadline_applies_it(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    change = ask(ledger, people.reporter)
    assert change.state == RequestState.PENDING and change.requested_by == people.reporter
    assert Task.objects.get(pk=ledger.transport.pk).deadline == dt.date(2026, 12, 31)
    decided = services.decide_change_request(change, people.supervisor, approve=True, expected_version=1)
    assert decided.state == RequestState.APPROVED and decided.decided_by == people.supervisor
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.deadline == NEW_DAY and task.version == ledger.transport.version + 1
    entry = LogEntry.objects.get_for_object(task).latest("timestamp")
    assert entry.actor == people.supervisor and "deadline" in entry.changes_dict


def test_a_new_lead_unit_and_a_pause(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    lead = ask(ledger, people.bureau_supervisor, kind=ChangeKind.LEAD_UNIT, new_lead_unit=org.housing)
    services.decide_change_request(lead, people.supervisor, approve=True, expected_version=1)
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.lead_unit == org.housing
    pause = services.request_change(task, people.housing_reporter, kind=ChangeKind.PAUSE, reason="政策调整")
    services.decide_change_request(pause, people.supervisor, approve=True, expected_version=1)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PAUSED


def test_refusing_keeps_the_task_and_needs_a_comment(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    change = ask(ledger, people.reporter)
    with pytest.raises(DomainError, match="审批意见"):
        services.decide_change_request(change, people.supervisor, approve=False, expected_version=1)
    refused = services.decide_change_request(
        change, people.supervisor, approve=False, comment="按期完成", expected_version=1
    )
    assert refused.state == RequestState.REFUSED and refused.decision_comment == "按期完成"
    assert Task.objects.get(pk=ledger.transport.pk).deadline == dt.date(2026, 12, 31)
    with pytest.raises(StaleVersion):
        services.decide_change_request(change, people.supervisor, approve=True, expected_version=1)
    with pytest.raises(DomainError, match="已审批"):
        services.decide_change_request(
            refused, people.supervisor, approve=True, expected_version=refused.version
        )


@pytest.mark.parametrize("who", ["supervisor", "housing_reporter", "town_reporter", "admin"])
def test_who_may_ask(people: SimpleNamespace, ledger: SimpleNamespace, who: str) -> None:
    """The owner does not ask (it edits), a co-unit or another unit may not, nor an admin."""
    with pytest.raises(PermissionDenied):
        ask(ledger, getattr(people, who))
    assert ChangeRequest.objects.count() == 0


@pytest.mark.parametrize("who", ["bureau_supervisor", "reporter", "leader", "housing_reporter"])
def test_only_the_owner_decides(people: SimpleNamespace, ledger: SimpleNamespace, who: str) -> None:
    change = ask(ledger, people.reporter)
    with pytest.raises(PermissionDenied):
        services.decide_change_request(change, getattr(people, who), approve=True, expected_version=1)
    assert ChangeRequest.objects.get().state == RequestState.PENDING


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"reason": ""}, "申请理由"),
        ({"new_deadline": None}, "新的完成时限"),
        ({"new_deadline": dt.date(2026, 12, 31)}, "相同"),
        ({"kind": ChangeKind.LEAD_UNIT, "new_lead_unit": None}, "新的牵头单位"),
        ({"kind": "nonsense"}, "申请事项"),
    ],
)
def test_bad_requests(
    people: SimpleNamespace, ledger: SimpleNamespace, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        ask(ledger, people.reporter, **kw)
    assert ChangeRequest.objects.count() == 0


def test_one_pending_request_of_a_kind(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    ask(ledger, people.reporter)
    with pytest.raises(DomainError, match="正在审批"):
        ask(ledger, people.reporter, new_deadline=dt.date(2027, 6, 30))
    assert ChangeRequest.objects.count() == 1


def test_an_approval_that_cannot_be_applied_changes_nothing(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The task is applied through update_task in the same transaction: if that fails (here: the
    task was edited meanwhile), the request stays pending with its version."""
    change = ask(ledger, people.reporter)
    with mock.patch.object(services, "update_task", side_effect=StaleVersion()), pytest.raises(StaleVersion):
        services.decide_change_request(change, people.supervisor, approve=True, expected_version=1)
    fresh = ChangeRequest.objects.get(pk=change.pk)
    assert fresh.state == RequestState.PENDING and fresh.version == 1 and fresh.decided_by is None
    assert Task.objects.get(pk=ledger.transport.pk).deadline == dt.date(2026, 12, 31)


def test_the_screens(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    task_url = reverse("ledger:task_detail", args=[ledger.transport.pk])
    new_url = reverse("ledger:change_request_new", args=[ledger.transport.pk])
    reporter = login(people.reporter)
    assert new_url in reporter.get(task_url).content.decode()
    assert reporter.get(new_url).status_code == 200
    bad = reporter.post(new_url, {"kind": "deadline", "new_deadline": "", "reason": "征迁未完成"})
    assert bad.status_code == 200 and "请填写新的完成时限" in bad.content.decode()
    ok = reporter.post(new_url, {"kind": "deadline", "new_deadline": "2027-03-31", "reason": "征迁未完成"})
    assert ok.status_code == 302 and ok["Location"].endswith("#requests")
    change = ChangeRequest.objects.get()
    decide = reverse("ledger:change_request_decide", args=[change.pk])
    assert reporter.post(decide, {"decision": "approve", "version": 1}).status_code == 403
    assert login(people.town_reporter).post(decide, {"decision": "approve", "version": 1}).status_code == 404
    supervisor = login(people.supervisor)
    page = supervisor.get(task_url).content.decode()
    assert decide in page and "完成时限延至 2027年3月31日" in page and new_url not in page
    assert supervisor.post(decide, {"decision": "approve", "version": 1}).status_code == 302
    assert Task.objects.get(pk=ledger.transport.pk).deadline == NEW_DAY
    timeline = reporter.get(task_url).content.decode()
    assert "延期申请已同意：完成时限延至 2027年3月31日" in timeline and "征迁未完成" in timeline
    assert login(people.supervisor).get(new_url).status_code == 403  # the owner edits instead
