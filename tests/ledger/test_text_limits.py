"""Every text a write takes has a limit: a text of exactly the limit is saved as typed, one
character more is refused with a message naming the limit, and nothing is saved. The limits are
written here by hand (the form says them to the user): 进展 and 配合情况 5000, 进度下调原因 300,
审核意见 / 批示 / 申请理由 / 审批意见 2000."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import (
    ChangeKind,
    ChangeRequest,
    Comment,
    CoReport,
    ProgressReport,
    RequestState,
    ReviewState,
    Task,
)
from tests.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-04-02")


def report(people: SimpleNamespace, ledger: SimpleNamespace, text: str) -> ProgressReport:
    return services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text=text, percent=10, now=NOW
    )


def test_a_report_text_of_5000_characters_is_saved(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert report(people, ledger, "路" * 5000).text == "路" * 5000
    assert ProgressReport.objects.get().text == "路" * 5000


def test_a_report_text_of_5001_characters_is_refused(
    people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    with pytest.raises(DomainError, match="不能超过 5000 字"):
        report(people, ledger, "路" * 5001)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(("length", "saved"), [(300, True), (301, False)])
def test_a_lower_figure_gives_a_reason_of_at_most_300_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(progress=50)  # approved earlier

    def submit() -> ProgressReport:
        return services.submit_report(
            ledger.transport,
            people.reporter,
            period="2026-03",
            text="复核后调减",
            percent=40,
            lower_reason="因" * length,
            now=NOW,
        )

    if saved:
        assert submit().lower_reason == "因" * 300
        assert ProgressReport.objects.get().lower_reason == "因" * 300
    else:
        with pytest.raises(DomainError, match="不能超过 300 字"):
            submit()
        assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_review_comment_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    pending = report(people, ledger, "进展")

    def review() -> ProgressReport:
        return services.review_report(
            pending, people.supervisor, approve=False, comment="补" * length, expected_version=pending.version
        )

    if saved:
        assert review().review_comment == "补" * 2000
    else:
        with pytest.raises(DomainError, match="不能超过 2000 字"):
            review()
    fresh = ProgressReport.objects.get(pk=pending.pk)
    expected = (ReviewState.RETURNED, "补" * 2000) if saved else (ReviewState.PENDING, "")
    assert (fresh.state, fresh.review_comment) == expected


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_comment_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:

    def post() -> Comment:
        return services.add_comment(ledger.transport, people.leader, "抓" * length, now=NOW)

    if saved:
        assert post().text == "抓" * 2000
        assert Comment.objects.get().text == "抓" * 2000
    else:
        with pytest.raises(DomainError, match="不能超过 2000 字"):
            post()
        assert Comment.objects.count() == 0


@pytest.mark.parametrize(("length", "saved"), [(5000, True), (5001, False)])
def test_a_co_units_note_of_at_most_5000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:

    def write() -> CoReport:
        return services.submit_co_report(
            ledger.transport, people.housing_reporter, period="2026-03", text="配" * length, now=NOW
        )

    if saved:
        assert write().text == "配" * 5000
        assert CoReport.objects.get().text == "配" * 5000
    else:
        with pytest.raises(DomainError, match="不能超过 5000 字"):
            write()
        assert CoReport.objects.count() == 0


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_change_requests_reason_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:

    def ask() -> ChangeRequest:
        return services.request_change(
            ledger.transport,
            people.reporter,
            kind=ChangeKind.DEADLINE,
            reason="延" * length,
            new_deadline=dt.date(2027, 3, 31),
        )

    if saved:
        assert ask().reason == "延" * 2000
        assert ChangeRequest.objects.get().reason == "延" * 2000
    else:
        with pytest.raises(DomainError, match="不能超过 2000 字"):
            ask()
        assert ChangeRequest.objects.count() == 0


@pytest.mark.parametrize(("length", "saved"), [(2000, True), (2001, False)])
def test_a_decision_comment_of_at_most_2000_characters(
    people: SimpleNamespace, ledger: SimpleNamespace, length: int, saved: bool
) -> None:
    change = services.request_change(
        ledger.transport, people.reporter, kind=ChangeKind.PAUSE, reason="政策调整"
    )

    def decide() -> ChangeRequest:
        return services.decide_change_request(
            change, people.supervisor, approve=False, comment="否" * length, expected_version=change.version
        )

    if saved:
        decide()
    else:
        with pytest.raises(DomainError, match="不能超过 2000 字"):
            decide()
    fresh = ChangeRequest.objects.get(pk=change.pk)
    expected = (RequestState.REFUSED, "否" * 2000) if saved else (RequestState.PENDING, "")
    assert (fresh.state, fresh.decision_comment) == expected
