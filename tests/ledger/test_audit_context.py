"""Audit entries written by services keep the request's actor and client address."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import ProgressReport, Task
from taizhang.ledger.periods import period_for, today


def test_report_submitted_in_a_request_records_actor_and_address(
    people: SimpleNamespace, ledger: SimpleNamespace, login: Any
) -> None:
    client = login(people.reporter)
    period = period_for(today(), ledger.plan.cadence)
    url = reverse("ledger:report_submit", args=[ledger.transport.pk, period])
    response = client.post(url, {"text": "本月完成路基施工。", "percent": "40"}, REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=ledger.transport, period=period)
    entry = LogEntry.objects.get_for_object(report).get(action=LogEntry.Action.CREATE)
    assert entry.actor == people.reporter
    assert entry.remote_addr == "10.8.8.8"


def test_writes_after_a_service_call_keep_the_outer_actor(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with set_actor(people.supervisor, remote_addr="10.9.9.9"):
        services.add_comment(ledger.transport, people.leader, "请加快进度。")
        task = Task.objects.get(pk=ledger.transport.pk)
        task.title = "推进县道改造（调整）"
        task.save()
    comment_entry = LogEntry.objects.get_for_object(ledger.transport.comments.get())[0]
    assert comment_entry.actor == people.leader
    assert comment_entry.remote_addr == "10.9.9.9"
    task_entry = LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE).first()
    assert task_entry is not None and task_entry.actor == people.supervisor
