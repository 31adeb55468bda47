"""Approved progress never moves backwards silently (issue 6: a 零报告 took 98 % to 91 %)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import ProgressReport, Task
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
NOW = at("2026-03-30")


@pytest.fixture
def at_98(ledger: SimpleNamespace) -> Task:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=98)
    return Task.objects.select_related("plan").get(pk=ledger.transport.pk)


def test_a_lower_figure_needs_a_reason(at_98: Task, people: SimpleNamespace) -> None:
    with pytest.raises(DomainError, match="低于已审核通过的 98%，请说明进度下调的原因") as err:
        services.submit_report(at_98, people.reporter, period="2026-03", text="复核", percent=91, now=NOW)
    assert err.value.field == "lower_reason"
    report = services.submit_report(
        at_98,
        people.reporter,
        period="2026-03",
        text="复核",
        percent=91,
        lower_reason="重新核减工程量",
        now=NOW,
    )
    assert report.lower_reason == "重新核减工程量"
    same = services.submit_report(
        at_98,
        people.reporter,
        period="2026-03",
        text="复核",
        percent=99,
        lower_reason="不再需要",
        expected_version=report.version,
        now=NOW,
    )
    assert same.lower_reason == ""  # not lower any more: nothing to explain


def test_approving_a_lower_figure_is_explicit(at_98: Task, people: SimpleNamespace) -> None:
    report = services.submit_report(
        at_98, people.reporter, period="2026-03", text="复核", percent=91, lower_reason="核减", now=NOW
    )
    with pytest.raises(DomainError) as refused:
        services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    assert refused.value.message == (
        "该进展的完成进度 91% 低于已审核通过的 98%（原因：核减），请确认下调后再通过"
    )
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert fresh.state == "pending" and fresh.version == report.version  # nothing half-done
    assert Task.objects.get(pk=at_98.pk).progress == 98
    services.review_report(
        fresh, people.supervisor, approve=True, expected_version=fresh.version, confirm_lower=True
    )
    assert Task.objects.get(pk=at_98.pk).progress == 91


def test_a_figure_that_became_lower_after_it_was_sent_names_no_reason(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    """Sent at 60 % over an approved 50 % (nothing to explain); the supervisor then set 70 %."""
    Task.objects.filter(pk=ledger.transport.pk).update(progress=50)
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=60, now=NOW
    )
    Task.objects.filter(pk=ledger.transport.pk).update(progress=70)
    with pytest.raises(DomainError) as refused:
        services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    assert refused.value.message == "该进展的完成进度 60% 低于已审核通过的 70%，请确认下调后再通过"


def test_a_zero_report_keeps_the_approved_figure(at_98: Task, people: SimpleNamespace) -> None:
    report = services.submit_report(
        at_98,
        people.reporter,
        period="2026-03",
        is_zero_report=True,
        zero_reason="冬季停工",
        percent=91,
        now=NOW,
    )
    assert report.percent == 98
    Task.objects.filter(pk=at_98.pk).update(progress=99)  # approved meanwhile (another period)
    services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    assert Task.objects.get(pk=at_98.pk).progress == 99


def test_the_form_asks_for_the_reason_in_chinese_and_the_timeline_shows_it(
    at_98: Task, people: SimpleNamespace, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    client = login(people.reporter)
    url = reverse("ledger:report_submit", args=[at_98.pk, "2026-03"])
    refused = client.post(url, {"text": "复核", "percent": "91"})
    assert refused.status_code == 200
    assert "请说明进度下调的原因" in refused.content.decode()
    assert not ProgressReport.objects.exists()
    client.post(url, {"text": "复核", "percent": "91", "lower_reason": "重新核减工程量"})
    page = client.get(reverse("ledger:task_detail", args=[at_98.pk])).content.decode()
    assert "进度下调原因：重新核减工程量" in page
    report = ProgressReport.objects.get()
    review = login(people.supervisor).get(reverse("ledger:report_review", args=[report.pk])).content.decode()
    assert "确认将完成进度由 98% 下调为 91%" in review
