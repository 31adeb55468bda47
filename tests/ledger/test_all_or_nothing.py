"""Writes that fail mid-way leave nothing behind: the report is absent, or still as it was
(pending, its version unchanged). Failures are injected with mocks inside the transaction."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.ledger import services
from taizhang.ledger.models import Attachment, Comment, ProgressReport, ReviewState, Task, TaskStatus
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
