"""submit_report: permission, validation, 零报告, resubmission, attachments, all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.accounts.models import Role
from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import Attachment, ProgressReport, ReviewState
from tests.conftest import at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def submit(ledger: SimpleNamespace, user: object, **kw: object) -> ProgressReport:
    kw.setdefault("period", "2026-03")
    kw.setdefault("now", at("2026-03-30"))
    return services.submit_report(ledger.transport, user, **kw)  # type: ignore[arg-type]


def test_reporter_submits(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = submit(ledger, people.reporter, text="完成路基12公里", percent=30)
    assert report.state == ReviewState.PENDING
    assert report.submitted_by == people.reporter
    assert report.version == 1 and report.percent == 30


def test_co_operating_unit_reporter_may_not_submit_the_lead_units_report(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied, match="牵头单位"):
        submit(ledger, people.housing_reporter, text="配合完成征迁", percent=20)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("who", ["supervisor", "leader", "town_reporter", "section_reporter", "admin"])
def test_others_may_not_submit(ledger: SimpleNamespace, people: SimpleNamespace, who: str) -> None:
    with pytest.raises(PermissionDenied, match="不能报送"):
        submit(ledger, getattr(people, who), text="x", percent=1)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"text": "", "percent": 10}, "请填写本期进展情况"),
        ({"text": "进展", "percent": None}, "完成进度"),
        ({"text": "进展", "percent": 101}, "0 到 100"),
        ({"text": "进展", "percent": -1}, "0 到 100"),
        ({"text": "进展", "percent": "abc"}, "0 到 100"),
        ({"text": "进展", "percent": 5, "period": "2026-W11"}, "按每月报送"),
        ({"text": "进展", "percent": 5, "period": "2027-01"}, "无需报送"),
        ({"text": "进展", "percent": 5, "period": "2026-04"}, "尚未开始"),
        ({"text": "x" * 5001, "percent": 5}, "5000"),
        ({"is_zero_report": True}, "零报告须说明"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    ledger: SimpleNamespace, people: SimpleNamespace, kw: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        submit(ledger, people.reporter, **kw)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("percent", [0, 100])
def test_both_ends_of_the_scale_are_accepted(
    ledger: SimpleNamespace, people: SimpleNamespace, percent: int
) -> None:
    report = submit(ledger, people.reporter, text="开工准备", percent=percent)
    assert ProgressReport.objects.get(pk=report.pk).percent == percent


def test_zero_report_keeps_current_progress(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    type(ledger.transport).objects.filter(pk=ledger.transport.pk).update(
        progress=40
    )  # ledger.transport is stale
    report = submit(ledger, people.reporter, is_zero_report=True, zero_reason="雨季停工")
    assert report.is_zero_report and report.percent == 40 and report.zero_reason == "雨季停工"


def test_late_submission_is_accepted(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = submit(ledger, people.reporter, text="补报", percent=10, now=at("2026-05-20"))
    from taizhang.ledger.obligations import report_is_late

    assert report_is_late(report)


def test_second_submission_without_version_is_refused(
    ledger: SimpleNamespace, people: SimpleNamespace, make_user: Callable[..., Any]
) -> None:
    """Two reporters of the lead unit: the second one, without the version, is refused."""
    submit(ledger, people.reporter, text="第一次", percent=10)
    with pytest.raises(StaleVersion, match="已报送过"):
        submit(ledger, make_user("jiaotong2", Role.REPORTER, people.reporter.unit), text="第二次", percent=20)
    assert ProgressReport.objects.get().text == "第一次"


def test_returned_report_is_corrected_in_place(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = submit(ledger, people.reporter, text="笼统", percent=10)
    report = services.review_report(
        report, people.supervisor, approve=False, comment="请补充工程量", expected_version=report.version
    )
    fixed = submit(
        ledger, people.reporter, text="完成路基12公里", percent=15, expected_version=report.version
    )
    assert fixed.pk == report.pk
    assert fixed.state == ReviewState.PENDING and fixed.review_comment == "" and fixed.reviewer is None
    assert fixed.version == report.version + 1
    with pytest.raises(StaleVersion):
        submit(ledger, people.reporter, text="旧页面", percent=16, expected_version=report.version)


def test_approved_report_is_final(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    report = submit(ledger, people.reporter, text="完成", percent=10)
    report = services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    with pytest.raises(DomainError, match="已审核通过"):
        submit(ledger, people.reporter, text="改", percent=11, expected_version=report.version)


def test_attachments_are_stored_with_their_original_name(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    upload = SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/x-whatever")
    report = submit(ledger, people.reporter, text="见附件", percent=10, files=[upload])
    attachment = report.attachments.get()
    assert attachment.original_name == "现场照片说明.pdf"
    assert attachment.content_type == "application/pdf"  # from the checked type, not the client's
    assert attachment.size == len(PDF)
    assert not attachment.file.name.endswith("现场照片说明.pdf")
    assert attachment.file.read() == PDF


def test_a_bad_attachment_saves_nothing(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    good = SimpleUploadedFile("a.pdf", PDF)
    bad = SimpleUploadedFile("b.exe", b"MZ\x90\x00")
    with pytest.raises(DomainError, match="不支持的附件类型"):
        submit(ledger, people.reporter, text="见附件", percent=10, files=[good, bad])
    assert ProgressReport.objects.count() == 0 and Attachment.objects.count() == 0
