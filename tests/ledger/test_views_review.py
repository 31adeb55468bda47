"""Review: the queue, approve / return (plain post and htmx), optimistic locking, double posts."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import ProgressReport, ReviewState, Task, TaskStatus
from tests.conftest import at

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
HTMX = {"HTTP_HX_REQUEST": "true"}


def pending(
    ledger: SimpleNamespace, people: SimpleNamespace, task: str = "transport", **kw: Any
) -> ProgressReport:
    reporter = {
        "transport": people.reporter,
        "housing": people.housing_reporter,
        "town": people.town_reporter,
    }[task]
    kw.setdefault("period", "2026-03")
    kw.setdefault("text", "完成路基12公里")
    kw.setdefault("percent", 30)
    return services.submit_report(getattr(ledger, task), reporter, now=at("2026-03-30"), **kw)


def review_url(report: ProgressReport) -> str:
    return reverse("ledger:report_review", args=[report.pk])


def test_queue_lists_pending_reports_oldest_first(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    first = pending(ledger, people, "housing", text="小区改造开工")
    second = pending(ledger, people, "transport")
    response = login(people.supervisor).get(reverse("ledger:review_queue"))
    assert response.status_code == 200
    items = [report for report, _ in response.context["items"]]
    assert [r.pk for r in items] == [first.pk, second.pk]
    body = response.content.decode()
    assert "小区改造开工" in body and "通过" in body and "退回" in body
    assert f'hx-post="{review_url(first)}"' in body and f'action="{review_url(first)}"' in body


def test_queue_is_scoped_for_a_bureau_supervisor(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, bureau_plan: SimpleNamespace
) -> None:
    """The bureau's supervisor reviews its own plan's reports, not the county plan's (even those its
    bureau leads: the county's 督查 reviews them)."""
    pending(ledger, people, "housing")
    pending(ledger, people, "transport")
    mine = services.submit_report(
        bureau_plan.task,
        people.section_reporter,
        period="2026-03",
        text="养护",
        percent=10,
        now=at("2026-03-31"),
    )
    response = login(people.bureau_supervisor).get(reverse("ledger:review_queue"))
    assert [r.pk for r, _ in response.context["items"]] == [mine.pk]


def test_queue_filters_by_unit(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: Any
) -> None:
    pending(ledger, people, "transport")
    housing = pending(ledger, people, "housing")
    response = login(people.supervisor).get(reverse("ledger:review_queue"), {"unit": org.housing.pk})
    assert [r.pk for r, _ in response.context["items"]] == [housing.pk]


@pytest.mark.parametrize("who", ["reporter", "leader", "admin", "bureau_leader"])
def test_queue_is_for_supervisors_only(login: Login, people: SimpleNamespace, who: str) -> None:
    assert login(getattr(people, who)).get(reverse("ledger:review_queue")).status_code == 403


def test_approve_by_plain_post(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report = pending(ledger, people)
    client = login(people.supervisor)
    response = client.post(review_url(report), {"decision": "approve", "version": report.version})
    assert response.status_code == 302 and response["Location"] == reverse("ledger:review_queue")
    fresh = ProgressReport.objects.get()
    assert fresh.state == ReviewState.APPROVED and fresh.reviewer == people.supervisor
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.progress == 30 and task.status == TaskStatus.IN_PROGRESS
    assert "的进展已通过" in client.get(response["Location"]).content.decode()


def test_return_needs_a_comment(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report = pending(ledger, people)
    response = login(people.supervisor).post(
        review_url(report), {"decision": "return", "version": report.version}
    )
    assert response.status_code == 200
    assert "退回时请填写退回意见" in response.content.decode()
    assert ProgressReport.objects.get().state == ReviewState.PENDING


def test_return_with_a_comment(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report = pending(ledger, people)
    response = login(people.supervisor).post(
        review_url(report),
        {"decision": "return", "comment": "请补充工程量", "version": report.version, "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    fresh = ProgressReport.objects.get()
    assert fresh.state == ReviewState.RETURNED and fresh.review_comment == "请补充工程量"


def test_inline_approve_with_htmx_returns_the_row(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = pending(ledger, people)
    response = login(people.supervisor).post(
        review_url(report), {"decision": "approve", "version": report.version}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="report-{report.pk}"' in body and "已通过" in body and "<form" not in body
    assert "<html" not in body
    assert ProgressReport.objects.get().state == ReviewState.APPROVED


def test_inline_return_error_with_htmx_keeps_the_form(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = pending(ledger, people)
    response = login(people.supervisor).post(
        review_url(report), {"decision": "return", "version": report.version}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "退回时请填写退回意见" in body and "<form" in body


def test_stale_version_is_refused_and_nothing_saved(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = pending(ledger, people)
    loaded = report.version
    # the reporter corrects the report after the supervisor opened it
    services.submit_report(
        ledger.transport,
        people.reporter,
        period="2026-03",
        text="改过的进展",
        percent=35,
        expected_version=loaded,
        now=at("2026-03-31"),
    )
    for extra in ({}, HTMX):
        response = login(people.supervisor).post(
            review_url(report), {"decision": "approve", "version": loaded}, **extra
        )
        assert response.status_code == 200
        assert "该记录已被他人修改" in response.content.decode()
    fresh = ProgressReport.objects.get()
    assert fresh.state == ReviewState.PENDING and fresh.reviewer is None
    assert Task.objects.get(pk=ledger.transport.pk).progress == 0


def test_two_supervisors_cannot_both_decide(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, colleague: Any
) -> None:
    report = pending(ledger, people)
    first = login(people.supervisor).post(
        review_url(report), {"decision": "approve", "version": report.version}
    )
    second = login(colleague).post(
        review_url(report), {"decision": "return", "comment": "不同意", "version": report.version}
    )
    assert first.status_code == 302 and second.status_code == 200
    assert "该记录已被他人修改" in second.content.decode()
    assert ProgressReport.objects.get().state == ReviewState.APPROVED


def test_same_decision_posted_twice_is_accepted_once(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = pending(ledger, people)
    client = login(people.supervisor)
    data = {"decision": "return", "comment": "请补充", "version": report.version}
    assert client.post(review_url(report), data).status_code == 302
    assert client.post(review_url(report), data).status_code == 302
    fresh = ProgressReport.objects.get()
    assert fresh.state == ReviewState.RETURNED and fresh.version == report.version + 1


def test_review_page_shows_the_report(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report = pending(ledger, people, is_zero_report=True, zero_reason="雨季停工", text="", percent=None)
    response = login(people.supervisor).get(review_url(report))
    body = response.content.decode()
    assert response.status_code == 200
    assert "零报告原因" in body and "雨季停工" in body and f'value="{report.version}"' in body


def test_missing_decision_is_a_form_error(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    report = pending(ledger, people)
    response = login(people.supervisor).post(review_url(report), {"version": report.version})
    assert response.status_code == 200 and "请选择通过或退回" in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "admin", "reporter", "bureau_leader"])
def test_those_who_see_but_may_not_review_get_403(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    report = pending(ledger, people)
    client = login(getattr(people, who))
    assert client.get(review_url(report)).status_code == 403
    assert (
        client.post(review_url(report), {"decision": "approve", "version": report.version}).status_code == 403
    )
    assert ProgressReport.objects.get().state == ReviewState.PENDING


@pytest.mark.parametrize("who", ["bureau_supervisor", "town_reporter", "section_reporter"])
def test_reports_of_other_units_are_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    report = pending(ledger, people, "housing")
    client = login(getattr(people, who))
    assert client.get(review_url(report)).status_code == 404
    assert (
        client.post(review_url(report), {"decision": "approve", "version": report.version}).status_code == 404
    )
    assert ProgressReport.objects.get().state == ReviewState.PENDING


def test_queue_pages_neither_repeat_nor_skip_reports_sharing_a_timestamp(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    # 30 pending reports submitted at the same instant (as a bulk load or the demo does).
    made = [
        ProgressReport.objects.create(
            task=getattr(ledger, task),
            period=f"2026-{month:02d}",
            text="按计划推进",
            percent=50,
            submitted_by=people.reporter,
            submitted_at=at("2026-10-31"),
        )
        for task in ("transport", "housing", "town")
        for month in range(1, 11)
    ]
    client = login(people.supervisor)
    seen: list[int] = []
    for page in (1, 2):
        response = client.get(reverse("ledger:review_queue"), {"page": page})
        seen.extend(report.pk for report, _ in response.context["items"])
    # Ties are broken by id, so the two pages together are every report exactly once, in id order.
    assert seen == sorted(r.pk for r in made)


def test_the_nav_count_of_pending_reviews_follows_an_inline_review(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    import re

    first = pending(ledger, people, "housing", text="小区改造开工")
    pending(ledger, people, "transport")
    client = login(people.supervisor)
    page = client.get(reverse("ledger:review_queue")).content.decode()
    assert re.search(r'<span id="review-count" class="nav-count" title="待审核">2</span>', page)
    response = client.post(review_url(first), {"decision": "approve", "version": first.version}, **HTMX)
    body = response.content.decode()
    # htmx swaps the row in place and the nav's count out of band
    assert re.search(
        r'<span id="review-count" class="nav-count" title="待审核" hx-swap-oob="true">1</span>', body
    )
    last = ProgressReport.objects.get(state=ReviewState.PENDING)
    response = client.post(review_url(last), {"decision": "approve", "version": last.version}, **HTMX)
    assert re.search(r'id="review-count"[^>]*hx-swap-oob="true"></span>', response.content.decode())


def test_a_filtered_queue_keeps_the_nav_count_of_every_pending_report(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    import re

    pending(ledger, people, "housing")
    pending(ledger, people, "transport")
    client = login(people.supervisor)
    response = client.get(reverse("ledger:review_queue"), {"unit": ledger.transport.lead_unit_id})
    assert len(response.context["items"]) == 1  # the list is filtered …
    # … the nav still counts everything waiting for this supervisor
    assert re.search(r'id="review-count"[^>]*>2</span>', response.content.decode())


def test_only_supervisors_see_the_count(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    pending(ledger, people)
    assert 'id="review-count"' not in login(people.reporter).get(reverse("front:home")).content.decode()
    assert 'id="review-count"' in login(people.supervisor).get(reverse("front:home")).content.decode()
