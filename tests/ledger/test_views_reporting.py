"""Reporting screen: submit, 零报告, attachments, windows, late flag, resubmission, double posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.accounts.models import Role
from taizhang.ledger import services
from taizhang.ledger.models import Attachment, ProgressReport, ReviewState
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Callable[..., dt.datetime]:
    """``frozen("2026-03-20")``: "now" for views and services (``timezone.now``)."""

    def freeze(day: str, hour: int = 10) -> dt.datetime:
        moment = at(day, hour)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return freeze


def url(task: Any, period: str = "2026-03") -> str:
    return reverse("ledger:report_submit", args=[task.pk, period])


def test_form_shows_the_window(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    response = login(people.reporter).get(url(ledger.transport))
    body = response.content.decode()
    assert response.status_code == 200
    assert "填报2026年3月进展" in body
    assert "2026年3月1日 至 2026年4月5日" in body and "报送中" in body
    assert 'name="version"' in body


def test_reporter_submits_progress(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    client = login(people.reporter)
    response = client.post(
        url(ledger.transport),
        {"text": "完成路基12公里", "percent": "30", "files": SimpleUploadedFile("现场.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:task_detail", args=[ledger.transport.pk])
    report = ProgressReport.objects.get()
    assert (report.period, report.text, report.percent, report.state) == (
        "2026-03",
        "完成路基12公里",
        30,
        ReviewState.PENDING,
    )
    assert report.submitted_by == people.reporter
    assert report.attachments.get().original_name == "现场.pdf"
    page = client.get(response["Location"]).content.decode()
    assert "已报送2026年3月进展，等待督查室审核" in page


def test_co_operating_reporter_may_not_file_the_lead_units_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    """A co-unit writes its own 配合情况 (test_co_reports); the lead unit's report is not its to file."""
    frozen("2026-03-20")
    response = login(people.housing_reporter).post(
        url(ledger.transport), {"text": "配合征迁", "percent": "10"}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_next_brings_the_reporter_back_home(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    client = login(people.reporter)
    response = client.post(url(ledger.transport), {"text": "进展", "percent": "5", "next": "/"})
    assert response["Location"] == "/"
    evil = client.post(
        url(ledger.transport, "2026-02"), {"text": "进展", "percent": "5", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("ledger:task_detail", args=[ledger.transport.pk])


def test_zero_report_with_reason(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    type(ledger.transport).objects.filter(pk=ledger.transport.pk).update(progress=40)
    response = login(people.reporter).post(
        url(ledger.transport), {"is_zero_report": "on", "zero_reason": "雨季停工，本月无新增工作量"}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.is_zero_report and report.zero_reason == "雨季停工，本月无新增工作量"
    assert report.percent == 40


def test_zero_report_without_reason_is_refused(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    response = login(people.reporter).post(
        url(ledger.transport), {"is_zero_report": "on", "zero_reason": " "}
    )
    assert response.status_code == 200
    assert "零报告须说明本期无进展的原因" in response.content.decode()
    assert response.context["form"].errors["zero_reason"]
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "", "percent": "10"}, "text", "请填写本期进展情况"),
        ({"text": "进展", "percent": ""}, "percent", "请填写完成进度"),
        ({"text": "进展", "percent": "120"}, "percent", "100"),
        ({"text": "进展", "percent": "abc"}, "percent", "整数"),
    ],
)
def test_bad_input_shows_chinese_errors(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    frozen: Callable[..., Any],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    frozen("2026-03-20")
    response = login(people.reporter).post(url(ledger.transport), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProgressReport.objects.exists()


def test_oversize_attachment_is_refused_and_nothing_saved(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    frozen: Callable[..., Any],
    settings: Any,
) -> None:
    frozen("2026-03-20")
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("验收报告.pdf", PDF + b"0" * 2048)
    response = login(people.reporter).post(
        url(ledger.transport), {"text": "见附件", "percent": "20", "files": big}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "验收报告.pdf" in errors and "超过上限" in errors
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()


def test_wrong_attachment_type_is_refused(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    response = login(people.reporter).post(
        url(ledger.transport),
        {"text": "见附件", "percent": "20", "files": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
    )
    assert "不支持的附件类型" in " ".join(response.context["form"].errors["files"])
    assert not ProgressReport.objects.exists()


def test_before_the_window_opens_is_refused(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    client = login(people.reporter)
    page = client.get(url(ledger.transport, "2026-05")).content.decode()
    assert (
        "尚未开始" in page and "2026年5月1日起可报送" in page and 'type="submit" class="primary"' not in page
    )
    response = client.post(url(ledger.transport, "2026-05"), {"text": "提前报", "percent": "50"})
    assert response.status_code == 200
    assert "报送尚未开始" in " ".join(response.context["form"].non_field_errors())
    assert "尚未开始" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_after_the_window_closes_the_report_is_flagged_late(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-04-20")
    client = login(people.reporter)
    page = client.get(url(ledger.transport)).content.decode()
    assert "已截止" in page and "逾期报送" in page
    response = client.post(url(ledger.transport), {"text": "补报3月进展", "percent": "15"}, follow=True)
    assert "本次为逾期报送" in response.content.decode()
    detail = client.get(reverse("ledger:task_detail", args=[ledger.transport.pk])).content.decode()
    assert "逾期报送" in detail


def test_a_period_the_task_does_not_owe_is_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    client = login(people.reporter)
    assert client.get(url(ledger.transport, "2027-01")).status_code == 404
    assert client.get(url(ledger.transport, "2026-W11")).status_code == 404
    assert client.get(url(ledger.transport, "garbage")).status_code == 404


def test_double_post_creates_one_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    client = login(people.reporter)
    data = {"text": "完成路基12公里", "percent": "30", "version": ""}
    first = client.post(url(ledger.transport), data)
    second = client.post(url(ledger.transport), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert ProgressReport.objects.count() == 1
    assert "重复提交未再次保存" in second.content.decode()


def test_a_different_second_post_is_refused_not_merged(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    """Two tabs opened on an empty period: the second, different text does not silently overwrite."""
    frozen("2026-03-20")
    client = login(people.reporter)
    client.post(url(ledger.transport), {"text": "第一次", "percent": "30"})
    response = client.post(url(ledger.transport), {"text": "第二次", "percent": "35"})
    assert response.status_code == 200
    assert "已报送过" in response.content.decode()
    assert ProgressReport.objects.get().text == "第一次"


def test_returned_report_is_corrected_and_resubmitted(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="笼统", percent=30
    )
    report = services.review_report(
        report, people.supervisor, approve=False, comment="请补充工程量", expected_version=report.version
    )
    client = login(people.reporter)
    page = client.get(url(ledger.transport)).content.decode()
    assert "请补充工程量" in page and "修改后重新报送" in page and "笼统" in page
    assert f'value="{report.version}"' in page
    response = client.post(
        url(ledger.transport),
        {"text": "完成路基12公里、桥涵3座", "percent": "32", "version": str(report.version)},
    )
    assert response.status_code == 302
    fresh = ProgressReport.objects.get()
    assert fresh.state == ReviewState.PENDING and fresh.text == "完成路基12公里、桥涵3座"
    assert fresh.review_comment == "" and fresh.version == report.version + 1


def test_resubmitting_with_a_stale_version_is_refused(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    frozen: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    frozen("2026-03-20")
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="初稿", percent=30
    )
    services.submit_report(
        ledger.transport,
        make_user("jiaotong2", Role.REPORTER, people.reporter.unit),
        period="2026-03",
        text="同事改稿",
        percent=31,
        expected_version=report.version,
    )
    response = login(people.reporter).post(
        url(ledger.transport), {"text": "我的改稿", "percent": "35", "version": str(report.version)}
    )
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert ProgressReport.objects.get().text == "同事改稿"


def test_approved_report_can_no_longer_be_changed(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any]
) -> None:
    frozen("2026-03-20")
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="完成", percent=30
    )
    services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    client = login(people.reporter)
    page = client.get(url(ledger.transport)).content.decode()
    assert "已审核通过，不能再修改" in page
    response = client.post(
        url(ledger.transport), {"text": "改", "percent": "40", "version": str(report.version + 1)}
    )
    assert "已审核通过，不能再修改" in response.content.decode()
    assert ProgressReport.objects.get().text == "完成"


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin", "bureau_supervisor"])
def test_non_reporters_who_see_the_task_get_403(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any], who: str
) -> None:
    frozen("2026-03-20")
    client = login(getattr(people, who))
    assert client.get(url(ledger.transport)).status_code == 403
    assert client.post(url(ledger.transport), {"text": "x", "percent": "1"}).status_code == 403
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["town_reporter", "section_reporter"])
def test_reporters_of_other_units_get_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, frozen: Callable[..., Any], who: str
) -> None:
    frozen("2026-03-20")
    client = login(getattr(people, who))
    assert client.get(url(ledger.housing)).status_code == 404
    assert client.post(url(ledger.housing), {"text": "x", "percent": "1"}).status_code == 404
    assert not ProgressReport.objects.exists()


def test_login_required(client: Client, ledger: SimpleNamespace) -> None:
    response = client.get(url(ledger.transport))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_report_has_an_attachment_quota(
    login: Login,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    frozen: Callable[..., Any],
    settings: Any,
) -> None:
    """Each upload may be within the limit, a report's attachments together may not exceed 3× it
    (nor 10 files): a Chinese form error names the quota, and that upload saves nothing."""
    frozen("2026-03-20")
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 1024
    client = login(people.reporter)

    def pdf(name: str) -> Any:
        return SimpleUploadedFile(name, PDF + b"0" * 900)

    response = client.post(
        url(ledger.transport), {"text": "见附件", "percent": "20", "files": [pdf("1.pdf"), pdf("2.pdf")]}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.attachments.count() == 2
    response = client.post(
        url(ledger.transport),
        {"text": "再补充", "percent": "20", "version": report.version, "files": [pdf("3.pdf"), pdf("4.pdf")]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "最多 10 个" in errors and "合计不超过 3 KB" in errors and "已有 2 个" in errors
    fresh = ProgressReport.objects.get()
    assert fresh.attachments.count() == 2 and fresh.text == "见附件" and fresh.version == report.version
    response = client.post(
        url(ledger.transport),
        {"text": "再补充", "percent": "20", "version": report.version, "files": [pdf("3.pdf")]},
    )
    assert response.status_code == 302 and ProgressReport.objects.get().attachments.count() == 3


def test_the_file_count_quota_counts_what_the_report_holds(
    people: SimpleNamespace, ledger: SimpleNamespace, settings: Any
) -> None:
    from taizhang.ledger import services
    from taizhang.ledger.errors import DomainError

    def pdf(i: int) -> Any:
        return SimpleUploadedFile(f"{i}.pdf", PDF)

    report = services.submit_report(
        ledger.transport,
        people.reporter,
        period="2026-03",
        text="见附件",
        percent=10,
        files=[pdf(i) for i in range(8)],
        now=at("2026-03-20"),
    )
    with pytest.raises(DomainError, match="最多 10 个"):
        services.submit_report(
            ledger.transport,
            people.reporter,
            period="2026-03",
            text="见附件",
            percent=10,
            files=[pdf(i) for i in range(3)],
            expected_version=report.version,
            now=at("2026-03-21"),
        )
    assert ProgressReport.objects.get().attachments.count() == 8


def test_a_first_upload_past_the_quota_says_the_report_holds_nothing_yet(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    from taizhang.ledger import services
    from taizhang.ledger.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.submit_report(
            ledger.transport,
            people.reporter,
            period="2026-03",
            text="见附件",
            percent=10,
            files=[SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)],
            now=at("2026-03-20"),
        )
    assert "本报告已有 0 个（0 字节），本次上传 11 个" in refused.value.message
    assert ProgressReport.objects.count() == 0
