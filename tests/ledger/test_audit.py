"""Every change leaves an audit entry with actor, before and after."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from taizhang.ledger import services
from taizhang.ledger.audit import task_audit_entries
from tests.conftest import at

pytestmark = pytest.mark.django_db


def audit_entries(obj: Any) -> Any:
    """The audit entries of one object, newest first."""
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-pk")


def test_task_update_is_audited_with_before_and_after(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    task = ledger.transport
    services.update_task(task, {"title": "推进县道改造提升"}, task.version, people.supervisor)
    entry = audit_entries(task).first()
    assert entry is not None
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == people.supervisor
    assert entry.changes_dict["title"] == ["推进县道改造", "推进县道改造提升"]
    assert "version" not in entry.changes_dict


def test_task_timeline_gathers_reports_and_comments(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    task = ledger.transport
    report = services.submit_report(
        task, people.reporter, period="2026-03", text="进展", percent=10, now=at("2026-03-31")
    )
    services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    services.add_comment(task, people.leader, "抓紧推进")
    actors = [e.actor for e in task_audit_entries(task)]
    assert people.reporter in actors and people.supervisor in actors and people.leader in actors
    review = audit_entries(report).first()
    assert review is not None and review.actor == people.supervisor
    assert review.changes_dict["state"] == ["pending", "approved"]


def test_requests_record_the_actor_through_the_middleware(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.admin)
    response = client.post(
        f"/admin/accounts/unit/{people.reporter.unit.pk}/change/",
        {
            "name": "县交通运输局（改）",
            "short_name": "交通局",
            "aliases": "",
            "code": "T-JTJ",
            "sort_order": 3,
            "parent": people.reporter.unit.parent_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = audit_entries(people.reporter.unit).first()
    assert entry is not None and entry.actor == people.admin
    assert entry.changes_dict["name"] == ["县交通运输局", "县交通运输局（改）"]


def test_passwords_are_not_audited(people: SimpleNamespace) -> None:
    people.reporter.set_password("Another-pass-1")
    people.reporter.save()
    assert all("password" not in e.changes_dict for e in audit_entries(people.reporter))
