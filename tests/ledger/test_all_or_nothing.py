"""Writes that fail mid-way leave nothing behind: the report is absent, or still as it was
(pending, its version unchanged). Failures are injected with mocks inside the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from taizhang.ledger import services
from taizhang.ledger.models import (
    Attachment,
    ChangeKind,
    ChangeRequest,
    Comment,
    CoReport,
    Milestone,
    ProgressReport,
    ReviewState,
    Task,
    TaskStatus,
)
from tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-04-02")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


class StoreFailed(Exception):
    pass


def _fail_on_second_attachment() -> mock._patch:  # type: ignore[type-arg]
    real = Attachment.objects.create
    calls = {"n": 0}

    def create(**kw: object) -> Attachment:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreFailed("disk full")
        return real(**kw)

    return mock.patch.object(Attachment.objects, "create", side_effect=create)


def test_a_new_report_whose_second_attachment_fails_is_absent(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with _fail_on_second_attachment(), pytest.raises(StoreFailed):
        services.submit_report(
            ledger.transport,
            people.reporter,
            period="2026-03",
            text="进展",
            percent=20,
            files=[pdf("一.pdf"), pdf("二.pdf")],
            now=NOW,
        )
    assert ProgressReport.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_correction_whose_attachment_fails_keeps_the_report_as_it_was(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="初稿", percent=10, now=NOW
    )
    returned = services.review_report(
        report, people.supervisor, approve=False, comment="补充", expected_version=1
    )
    with _fail_on_second_attachment(), pytest.raises(StoreFailed):
        services.submit_report(
            ledger.transport,
            people.reporter,
            period="2026-03",
            text="改稿",
            percent=30,
            files=[pdf("一.pdf"), pdf("二.pdf")],
            expected_version=returned.version,
            now=NOW,
        )
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert (fresh.text, fresh.percent, fresh.state, fresh.version) == (
        "初稿",
        10,
        ReviewState.RETURNED,
        returned.version,
    )
    assert Attachment.objects.count() == 0


def test_an_approval_whose_progress_update_fails_leaves_the_report_pending(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=40, now=NOW
    )
    with (
        mock.patch.object(services, "_apply_progress", side_effect=StoreFailed("lock timeout")),
        pytest.raises(StoreFailed),
    ):
        services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert fresh.state == ReviewState.PENDING and fresh.version == report.version and fresh.reviewer is None
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.progress == 0 and task.status == TaskStatus.NOT_STARTED


def test_a_task_edit_whose_co_units_fail_changes_nothing(
    people: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    task = ledger.transport
    with (
        mock.patch.object(Task.co_units.related_manager_cls, "set", side_effect=StoreFailed("db gone")),
        pytest.raises(StoreFailed),
    ):
        services.update_task(
            task, {"title": "新标题", "co_units": [org.town]}, task.version, people.supervisor
        )
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.title == "推进县道改造" and fresh.version == task.version
    assert set(fresh.co_units.all()) == {org.housing}


def test_a_comment_whose_audit_record_fails_is_not_kept(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """Every change is audited: the 批示 and its audit record are written together or not at all."""
    with (
        mock.patch.object(LogEntry.objects, "log_create", side_effect=StoreFailed("audit table locked")),
        pytest.raises(StoreFailed),
    ):
        services.add_comment(ledger.transport, people.leader, "请加快进度")
    assert Comment.objects.count() == 0


def _audit_fails() -> mock._patch:  # type: ignore[type-arg]
    return mock.patch.object(LogEntry.objects, "log_create", side_effect=StoreFailed("audit table locked"))


@contextmanager
def _statement_fails(start: str) -> Iterator[None]:
    """The database refuses the statements beginning with ``start`` (say, the row's UPDATE)."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(start):
            raise StoreFailed("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_a_milestone_whose_update_fails_leaves_no_audit_record(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The audit record of a change is written before the row: it must go when the row's write
    fails, or the log shows a milestone done that never was."""
    milestone = Milestone.objects.create(
        task=ledger.transport, due_on=dt.date(2026, 6, 30), description="路基完工"
    )
    before = LogEntry.objects.count()
    with _statement_fails('UPDATE "ledger_milestone"'), pytest.raises(StoreFailed):
        services.set_milestone_done(milestone.pk, people.reporter, done=True)
    fresh = Milestone.objects.get(pk=milestone.pk)
    assert not fresh.done and fresh.done_on is None
    assert LogEntry.objects.count() == before


def test_a_co_units_correction_whose_audit_record_fails_keeps_the_note_as_it_was(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    note = services.submit_co_report(
        ledger.transport, people.housing_reporter, period="2026-03", text="配合征迁", now=NOW
    )
    with _audit_fails(), pytest.raises(StoreFailed):
        services.submit_co_report(
            ledger.transport,
            people.housing_reporter,
            period="2026-03",
            text="改：配合征迁完成",
            expected_version=note.version,
            now=NOW,
        )
    fresh = CoReport.objects.get(pk=note.pk)
    assert (fresh.text, fresh.version) == ("配合征迁", note.version)


def test_a_change_request_whose_audit_record_fails_is_not_kept(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with _audit_fails(), pytest.raises(StoreFailed):
        services.request_change(
            ledger.transport,
            people.reporter,
            kind=ChangeKind.DEADLINE,
            reason="征迁未完成",
            new_deadline=dt.date(2027, 3, 31),
        )
    assert ChangeRequest.objects.count() == 0
