"""The moment a write is told it happens (``now``, ``on``) is the one it records and judges by —
the demo's county history, imports and the time-travel pages write past decisions — not the
clock. The clock is held at CLOCK, far from every moment given here, so a write that read the
clock instead would record or judge the wrong day."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import AlreadyPosted, DomainError
from taizhang.ledger.models import ChangeKind, Comment, CoReport, Milestone
from tests.conftest import at

pytestmark = pytest.mark.django_db

CLOCK = at("2026-09-15")


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: CLOCK)


def test_a_review_records_the_moment_given(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    report = services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=10, now=at("2026-04-02")
    )
    reviewed = services.review_report(
        report, people.supervisor, approve=True, expected_version=report.version, now=at("2026-04-03", 15)
    )
    assert reviewed.reviewed_at == at("2026-04-03", 15)
    assert type(reviewed).objects.get(pk=report.pk).reviewed_at == at("2026-04-03", 15)


def test_a_change_request_and_its_decision_record_the_moments_given(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    change = services.request_change(
        ledger.transport,
        people.reporter,
        kind=ChangeKind.DEADLINE,
        reason="征迁未完成",
        new_deadline=dt.date(2027, 3, 31),
        now=at("2026-05-06"),
    )
    decided = services.decide_change_request(
        change, people.supervisor, approve=False, comment="按期完成", expected_version=1, now=at("2026-05-08")
    )
    fresh = type(change).objects.get(pk=change.pk)
    assert (fresh.requested_at, fresh.decided_at) == (at("2026-05-06"), at("2026-05-08"))
    assert decided.decided_at == at("2026-05-08")


def test_a_milestone_is_done_on_the_day_given(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    milestone = Milestone.objects.create(
        task=ledger.transport, due_on=dt.date(2026, 6, 30), description="路基"
    )
    services.set_milestone_done(milestone.pk, people.reporter, done=True, on=dt.date(2026, 6, 28))
    assert Milestone.objects.get(pk=milestone.pk).done_on == dt.date(2026, 6, 28)
    services.set_milestone_done(milestone.pk, people.reporter, done=False, on=dt.date(2026, 6, 29))
    fresh = Milestone.objects.get(pk=milestone.pk)
    assert not fresh.done and fresh.done_on is None


def test_a_milestone_done_without_a_day_is_done_today(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    milestone = Milestone.objects.create(
        task=ledger.transport, due_on=dt.date(2026, 6, 30), description="路基"
    )
    services.set_milestone_done(milestone.pk, people.reporter, done=True)
    assert Milestone.objects.get(pk=milestone.pk).done_on == dt.date(2026, 9, 15)


def test_the_same_comment_is_a_double_post_for_two_minutes_after_the_moment_given(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The first 批示 is stored at the clock's moment; the second is judged at the moment given."""
    services.add_comment(ledger.transport, people.leader, "请加快进度", now=CLOCK)
    with pytest.raises(AlreadyPosted):
        services.add_comment(
            ledger.transport, people.leader, "请加快进度", now=CLOCK + dt.timedelta(minutes=1)
        )
    later = services.add_comment(
        ledger.transport, people.leader, "请加快进度", now=CLOCK + dt.timedelta(minutes=3)
    )
    assert later.text == "请加快进度" and Comment.objects.count() == 2


def co_report(people: SimpleNamespace, ledger: SimpleNamespace, period: str, now: dt.datetime) -> CoReport:
    return services.submit_co_report(
        ledger.transport, people.housing_reporter, period=period, text="配合征迁", now=now
    )


def test_a_co_units_note_opens_on_the_first_day_of_its_period(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="4月的报送尚未开始"):
        co_report(people, ledger, "2026-04", at("2026-03-31", 23))
    assert CoReport.objects.count() == 0
    note = co_report(people, ledger, "2026-04", at("2026-04-01", 8))
    assert note.submitted_at == at("2026-04-01", 8)
    assert CoReport.objects.get().submitted_at == at("2026-04-01", 8)


def test_a_co_units_correction_records_the_moment_given(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    note = co_report(people, ledger, "2026-03", at("2026-04-02"))
    services.submit_co_report(
        ledger.transport,
        people.housing_reporter,
        period="2026-03",
        text="补充",
        expected_version=note.version,
        now=at("2026-04-03"),
    )
    assert CoReport.objects.get().submitted_at == at("2026-04-03")


def test_a_co_units_note_for_a_malformed_period_says_so(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="报送期格式不正确"):
        co_report(people, ledger, "三月", at("2026-04-02"))
    assert CoReport.objects.count() == 0
