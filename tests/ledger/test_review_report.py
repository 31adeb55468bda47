"""review_report: approve or return, optimistic locking, task progress follows approvals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import ProgressReport, ReviewState, Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db


def pending(
    ledger: SimpleNamespace, people: SimpleNamespace, period: str = "2026-03", percent: int = 30
) -> ProgressReport:
    return services.submit_report(
        ledger.transport, people.reporter, period=period, text="进展", percent=percent, now=at("2026-05-01")
    )


def test_approve_moves_task_progress(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = pending(ledger, people)
    version = Task.objects.get(pk=ledger.transport.pk).version
    done = services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    assert done.state == ReviewState.APPROVED and done.reviewer == people.supervisor and done.reviewed_at
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.progress == 30 and task.status == TaskStatus.IN_PROGRESS
    assert task.version == version + 1


def test_approving_100_percent_completes_the_task(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = pending(ledger, people, percent=100)
    services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    assert Task.objects.get(pk=ledger.transport.pk).status == TaskStatus.DONE


def test_approving_an_older_period_does_not_roll_progress_back(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    old = pending(ledger, people, "2026-02", 20)
    new = pending(ledger, people, "2026-03", 40)
    services.review_report(new, people.supervisor, approve=True, expected_version=new.version)
    services.review_report(old, people.supervisor, approve=True, expected_version=old.version)
    assert Task.objects.get(pk=ledger.transport.pk).progress == 40


def test_return_needs_a_comment(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = pending(ledger, people)
    with pytest.raises(DomainError, match="退回时请填写退回意见"):
        services.review_report(report, people.supervisor, approve=False, expected_version=report.version)
    returned = services.review_report(
        report, people.supervisor, approve=False, comment="请补充佐证材料", expected_version=report.version
    )
    assert returned.state == ReviewState.RETURNED and returned.review_comment == "请补充佐证材料"
    assert Task.objects.get(pk=ledger.transport.pk).progress == 0


def test_stale_review_is_refused(ledger: SimpleNamespace, people: SimpleNamespace, colleague: Any) -> None:
    report = pending(ledger, people)
    loaded_version = report.version
    services.review_report(report, colleague, approve=True, expected_version=loaded_version)
    with pytest.raises(StaleVersion, match="已被他人修改"):
        services.review_report(
            report, people.supervisor, approve=False, comment="退回", expected_version=loaded_version
        )
    assert ProgressReport.objects.get(pk=report.pk).state == ReviewState.APPROVED


def test_reviewing_twice_is_refused(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = pending(ledger, people)
    done = services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    with pytest.raises(DomainError, match="已审核"):
        services.review_report(done, people.supervisor, approve=True, expected_version=done.version)


@pytest.mark.parametrize("who", ["reporter", "leader", "admin"])
def test_only_supervisors_review(ledger: SimpleNamespace, people: SimpleNamespace, who: str) -> None:
    report = pending(ledger, people)
    with pytest.raises(PermissionDenied):
        services.review_report(report, getattr(people, who), approve=True, expected_version=report.version)


def test_bureau_supervisor_cannot_review_outside_scope(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="进展",
        percent=10,
        now=at("2026-03-31"),
    )
    with pytest.raises(PermissionDenied):
        services.review_report(
            report, people.bureau_supervisor, approve=True, expected_version=report.version
        )
