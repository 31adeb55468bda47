"""League tables from the ledger's facts: counts, publishing (frozen), the command and the pages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal as D
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from taizhang.core.colours import Colour
from taizhang.indicators import services as indicator_services
from taizhang.indicators.models import IndicatorValue
from taizhang.ledger import services as ledger_services
from taizhang.ledger.models import Task, TaskStatus
from taizhang.rankings import facts, services
from taizhang.rankings.models import WEIGHT_FIELDS, PublishedRanking, ScoringScheme
from taizhang.supervision.models import ColourChange, Notice, NoticeReply, TaskColour
from tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = at("2026-04-10")


def _colour(task: Task, when: str, after: str, before: str = "") -> None:
    ColourChange.objects.create(
        task=task, at=at(when), as_of=dt.date.fromisoformat(when), before=before, after=after
    )


def _notice(plan: Any, unit: Any, due: str, number: int) -> Notice:
    return Notice.objects.create(
        plan=plan,
        kind="prompt",
        year=2026,
        number=number,
        unit=unit,
        subject="请说明",
        reply_due=dt.date.fromisoformat(due),
        issued_at=at("2026-03-01"),
    )


@pytest.fixture
def march(
    ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    """March 2026, seen on 10 April: 交通局 reported on time but left a notice unanswered; 住建局
    reported late and finished a task before its deadline; 青石镇 did not report and went red."""
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    plan = ledger.plan
    ledger_services.submit_report(
        ledger.transport, people.reporter, period="2026-03", text="进展", percent=20, now=at("2026-04-03")
    )
    ledger_services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="进展",
        percent=20,
        now=at("2026-04-08"),
    )
    done = Task.objects.create(
        plan=plan,
        seq=4,
        title="已完成任务",
        lead_unit=org.housing,
        deadline=dt.date(2026, 3, 31),
        status=TaskStatus.DONE,
        progress=100,
    )
    TaskColour.objects.create(
        task=done, colour=Colour.WHITE, as_of=dt.date(2026, 3, 20), since=at("2026-03-20")
    )
    late_done = Task.objects.create(
        plan=plan,
        seq=5,
        title="逾期完成任务",
        lead_unit=org.town,
        deadline=dt.date(2026, 3, 10),
        status=TaskStatus.DONE,
        progress=100,
    )
    TaskColour.objects.create(
        task=late_done, colour=Colour.WHITE, as_of=dt.date(2026, 3, 20), since=at("2026-03-20")
    )
    _colour(ledger.town, "2026-03-20", Colour.RED)
    _colour(ledger.housing, "2026-03-10", Colour.RED)
    _colour(ledger.housing, "2026-03-25", Colour.GREEN, Colour.RED)  # green again by the month's end
    _colour(ledger.transport, "2026-04-02", Colour.RED)  # red only after March
    _notice(plan, org.transport, "2026-03-15", 1)  # never answered
    answered = _notice(plan, org.housing, "2026-03-15", 2)
    NoticeReply.objects.create(notice=answered, text="已办", replied_at=at("2026-03-14"))
    _notice(plan, org.town, "2026-04-15", 3)  # due in April: not March's
    return SimpleNamespace(plan=plan, done=done)


def _by_unit(rows: list[Any]) -> dict[str, Any]:
    return {r.unit: r for r in rows}


def test_facts_count_each_rule(march: SimpleNamespace, org: SimpleNamespace) -> None:
    got = {f.unit: f for f in facts.unit_facts(march.plan, "2026-03", TODAY.date())}
    transport, housing, town = got[org.transport.name], got[org.housing.name], got[org.town.name]
    assert (transport.on_time_reports, transport.late_reports, transport.missing_reports) == (1, 0, 0)
    assert (housing.on_time_reports, housing.late_reports, housing.missing_reports) == (0, 1, 0)
    assert (town.on_time_reports, town.late_reports, town.missing_reports) == (0, 0, 1)
    assert (transport.done_on_time, housing.done_on_time, town.done_on_time) == (0, 1, 0)
    assert (transport.red_tasks, housing.red_tasks, town.red_tasks) == (0, 0, 1)
    assert (transport.overdue_notices, housing.overdue_notices, town.overdue_notices) == (1, 0, 0)


def test_indicators_behind_time_progress_at_the_months_end(
    march: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    # A cumulative target of 12: 序时进度 is 25 % at the end of March, so 2.4 (20 %) is behind and
    # 3.6 (30 %) is not; a value entered for April does not count in March.
    behind, ahead = indicator_services.create_indicators(
        march.plan,
        people.supervisor,
        [
            indicator_services.IndicatorDraft(name="投资", owner_unit=org.housing, target=D("12")),
            indicator_services.IndicatorDraft(name="里程", owner_unit=org.transport, target=D("12")),
        ],
    )
    IndicatorValue.objects.create(indicator=behind, period="2026-03", value=D("2.4"), entered_at=TODAY)
    IndicatorValue.objects.create(indicator=ahead, period="2026-03", value=D("3.6"), entered_at=TODAY)
    IndicatorValue.objects.create(indicator=ahead, period="2026-04", value=D("0.1"), entered_at=TODAY)
    got = {f.unit: f for f in facts.unit_facts(march.plan, "2026-03", TODAY.date())}
    assert (got[org.housing.name].indicators_behind, got[org.transport.name].indicators_behind) == (1, 0)
    row = _by_unit(services.shown_table(march.plan, "2026-03", TODAY.date()))[org.housing.name]
    assert ("指标落后序时进度", D("-2.00")) in [(line.rule, line.points) for line in row.breakdown]


def test_current_month_reds_come_from_the_stored_colour(
    march: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace
) -> None:
    TaskColour.objects.create(
        task=ledger.transport, colour=Colour.RED, as_of=TODAY.date(), since=at("2026-04-02")
    )
    got = {f.unit: f for f in facts.unit_facts(march.plan, "2026-04", TODAY.date())}
    assert got[org.transport.name].red_tasks == 1
    assert got[org.town.name].red_tasks == 0  # its red is history only, not stored


def test_live_table_scores_ranks_and_change(march: SimpleNamespace, org: SimpleNamespace) -> None:
    rows = _by_unit(services.shown_table(march.plan, "2026-03", TODAY.date()))
    # defaults: base 100, done +2, on time +1, late −1, missing −3, red −5, notice −3
    assert rows[org.transport.name].score == D(98)  # 100 + 1 − 3
    assert rows[org.housing.name].score == D(101)  # 100 − 1 + 2
    assert rows[org.town.name].score == D(92)  # 100 − 3 − 5
    assert [rows[u.name].rank for u in (org.housing, org.transport, org.town)] == [1, 2, 3]
    # February: every open task missing (−3 each), all tied first
    assert [rows[u.name].change for u in (org.housing, org.transport, org.town)] == [0, -1, -2]


def test_scheme_weights_are_used(
    march: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    values = {
        "base": D(50),
        "done_on_time": D(0),
        "on_time_reports": D(10),
        "late_reports": D(0),
        "missing_reports": D(0),
        "red_tasks": D(0),
        "overdue_notices": D(0),
        "indicators_behind": D(0),
    }
    services.save_scheme(march.plan, values, 1, people.supervisor)
    rows = _by_unit(services.shown_table(march.plan, "2026-03", TODAY.date()))
    assert rows[org.transport.name].score == D(60) and rows[org.housing.name].score == D(50)
    assert rows[org.transport.name].rank == 1


def test_scheme_is_for_managers_and_optimistically_locked(
    march: SimpleNamespace, people: SimpleNamespace, colleague: Any
) -> None:
    from taizhang.ledger.errors import PermissionDenied, StaleVersion

    values = {
        name: D(1)
        for name in (
            "base",
            "done_on_time",
            "on_time_reports",
            "late_reports",
            "missing_reports",
            "red_tasks",
            "overdue_notices",
            "indicators_behind",
        )
    }
    with pytest.raises(PermissionDenied):
        services.save_scheme(march.plan, values, 1, people.bureau_supervisor)
    with pytest.raises(PermissionDenied):
        services.save_scheme(march.plan, values, 1, people.leader)
    services.save_scheme(march.plan, values, 1, people.supervisor)
    with pytest.raises(StaleVersion):
        services.save_scheme(march.plan, {**values, "base": D(5)}, 1, colleague)
    assert ScoringScheme.objects.get(plan=march.plan).base == D(1)
    services.save_scheme(march.plan, {**values, "base": D(5)}, 2, colleague)
    assert ScoringScheme.objects.get(plan=march.plan).base == D(5)


def test_published_ranking_never_changes(
    march: SimpleNamespace, ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace
) -> None:
    before = services.shown_table(march.plan, "2026-03", TODAY.date())
    snapshot = services.publish(march.plan, "2026-03", people.supervisor, TODAY.date())
    assert snapshot.published_by == people.supervisor
    # later: 青石镇 reports March (late, no longer missing) and it is approved; 住建局's task is
    # recorded red at the month's end; 交通局's notice is answered
    report = ledger_services.submit_report(
        ledger.town, people.town_reporter, period="2026-03", text="补报", percent=30, now=at("2026-04-12")
    )
    ledger_services.review_report(report, people.supervisor, approve=True, expected_version=report.version)
    _colour(ledger.housing, "2026-03-31", Colour.RED, Colour.GREEN)
    live = _by_unit(services.live_table(march.plan, "2026-03", TODAY.date()))
    assert live[org.town.name].score != _by_unit(before)[org.town.name].score  # the edits matter …
    assert live[org.housing.name].score != _by_unit(before)[org.housing.name].score
    assert (
        services.shown_table(march.plan, "2026-03", TODAY.date()) == before
    )  # … but not to the published one
    services.save_scheme(
        march.plan,
        {
            "base": D(0),
            "done_on_time": D(0),
            "on_time_reports": D(0),
            "late_reports": D(0),
            "missing_reports": D(0),
            "red_tasks": D(0),
            "overdue_notices": D(0),
            "indicators_behind": D(0),
        },
        1,
        people.supervisor,
    )
    assert services.shown_table(march.plan, "2026-03", TODAY.date()) == before


def test_publish_rules(march: SimpleNamespace, people: SimpleNamespace) -> None:
    from taizhang.ledger.errors import DomainError, PermissionDenied

    with pytest.raises(PermissionDenied):
        services.publish(march.plan, "2026-03", people.bureau_supervisor, TODAY.date())
    with pytest.raises(PermissionDenied):
        services.publish(march.plan, "2026-03", people.leader, TODAY.date())
    with pytest.raises(DomainError, match="尚未结束"):
        services.publish(march.plan, "2026-04", people.supervisor, TODAY.date())
    with pytest.raises(DomainError, match="格式"):
        services.publish(march.plan, "2026-3", people.supervisor, TODAY.date())
    services.publish(march.plan, "2026-03", people.supervisor, TODAY.date())
    with pytest.raises(DomainError, match="已发布"):
        services.publish(march.plan, "2026-03", people.supervisor, TODAY.date())
    assert PublishedRanking.objects.filter(plan=march.plan).count() == 1


def test_a_month_is_published_the_day_after_its_last_day(
    march: SimpleNamespace, people: SimpleNamespace
) -> None:
    from taizhang.ledger.errors import DomainError

    with pytest.raises(DomainError, match="尚未结束"):
        services.publish(march.plan, "2026-03", people.supervisor, dt.date(2026, 3, 31))
    assert PublishedRanking.objects.count() == 0
    snapshot = services.publish(
        march.plan, "2026-03", people.supervisor, dt.date(2026, 4, 1), now=at("2026-04-01", 9)
    )
    assert PublishedRanking.objects.get().published_at == at("2026-04-01", 9) == snapshot.published_at


class AuditFailed(Exception):
    pass


def _audit_fails() -> Any:
    from unittest import mock

    from auditlog.models import LogEntry

    return mock.patch.object(LogEntry.objects, "log_create", side_effect=AuditFailed("audit table locked"))


def test_a_publication_whose_audit_record_fails_is_not_kept(
    march: SimpleNamespace, people: SimpleNamespace
) -> None:
    with _audit_fails(), pytest.raises(AuditFailed):
        services.publish(march.plan, "2026-03", people.supervisor, TODAY.date())
    assert PublishedRanking.objects.count() == 0
    services.publish(march.plan, "2026-03", people.supervisor, TODAY.date())  # and it can be published
    assert PublishedRanking.objects.count() == 1


def test_a_scheme_change_whose_audit_record_fails_keeps_the_scheme_and_its_version(
    march: SimpleNamespace, people: SimpleNamespace
) -> None:
    values = {name: D(1) for name in WEIGHT_FIELDS}
    with _audit_fails(), pytest.raises(AuditFailed):
        services.save_scheme(march.plan, values, 1, people.supervisor)
    assert ScoringScheme.objects.count() == 0
    services.save_scheme(march.plan, values, 1, people.supervisor)
    with _audit_fails(), pytest.raises(AuditFailed):
        services.save_scheme(march.plan, {**values, "base": D(7)}, 2, people.supervisor)
    scheme = ScoringScheme.objects.get(plan=march.plan)
    assert (scheme.base, scheme.version) == (D(1), 2)
    services.save_scheme(march.plan, {**values, "base": D(7)}, 2, people.supervisor)  # the page still saves
    assert ScoringScheme.objects.get(plan=march.plan).base == D(7)


def test_year_to_date_averages_the_months(march: SimpleNamespace, org: SimpleNamespace) -> None:
    months = [services.shown_table(march.plan, m, TODAY.date()) for m in ("2026-01", "2026-02", "2026-03")]
    ytd = _by_unit(services.year_to_date(march.plan, "2026-03", TODAY.date()))
    for unit in (org.transport, org.housing, org.town):
        ranked = [_by_unit(t)[unit.name] for t in months if unit.name in _by_unit(t)]
        # each line is the average of the months' lines, to the cent (so the lines add up)
        for i, line in enumerate(ytd[unit.name].breakdown):
            points = [r.breakdown[i].points for r in ranked]
            assert line.points == (sum(points) / len(points)).quantize(D("0.01"))
        mean = sum(r.score for r in ranked) / len(ranked)
        assert abs(ytd[unit.name].score - mean) < D("0.01") * len(ranked[0].breakdown)
        assert sum(li.points for li in ytd[unit.name].breakdown) == ytd[unit.name].score


# --- the command ---------------------------------------------------------------------------------


def test_command_json(march: SimpleNamespace, org: SimpleNamespace) -> None:
    out = StringIO()
    call_command("ranking", "--plan", str(march.plan.pk), "--period", "2026-03", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (
        set(data) == {"plan", "period", "units"}
        and data["plan"] == march.plan.pk
        and data["period"] == "2026-03"
    )
    first = data["units"][0]
    assert set(first) == {"unit", "rank", "score", "change", "breakdown"}
    assert first == {**first, "unit": org.housing.name, "rank": 1, "score": 101.0, "change": 0}
    for unit in data["units"]:
        assert set(unit["breakdown"][0]) == {"rule", "points"}
        assert round(sum(li["points"] for li in unit["breakdown"]), 2) == unit["score"]


def test_command_text_and_default_period(march: SimpleNamespace, org: SimpleNamespace) -> None:
    out = StringIO()
    call_command("ranking", stdout=out)  # default: this year's first plan, last month (March)
    text = out.getvalue()
    assert "2026-03" in text and org.housing.name in text and "未发布" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "期别格式不正确"),
        (["--period", "2025-12"], "不在该计划的报送期内"),
        (["--plan", "abc"], "计划编号应为数字"),
        (["--plan", "999999"], "计划不存在"),
    ],
)
def test_command_bad_input(march: SimpleNamespace, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as err:
        call_command("ranking", *args, stdout=StringIO())
    assert err.value.returncode == 2


def test_command_without_plans(db: None) -> None:
    with pytest.raises(CommandError, match="还没有工作计划"):
        call_command("ranking", stdout=StringIO())


# --- the pages -----------------------------------------------------------------------------------


def test_table_page_for_the_owner_side(
    march: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]
) -> None:
    page = login(people.supervisor).get(f"/rankings/plans/{march.plan.pk}/?period=2026-03")
    assert page.status_code == 200
    text = page.content.decode()
    for unit in (org.transport, org.housing, org.town):
        assert f"?unit={unit.pk}" in text and unit.name in text
    assert "发布 2026-03 排名" in text


def test_a_unit_sees_its_own_row_only(
    march: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]
) -> None:
    text = (
        login(people.housing_reporter)
        .get(f"/rankings/plans/{march.plan.pk}/?period=2026-03")
        .content.decode()
    )
    # 住建局 co-operates on 交通局's task but leads only its own: its row, ranked among all units
    assert org.housing.name in text and "101.00" in text
    assert org.town.name not in text
    assert "发布 2026-03 排名" not in text


def test_bad_period_on_the_page(
    march: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]
) -> None:
    page = login(people.supervisor).get(f"/rankings/plans/{march.plan.pk}/?period=nonsense")
    assert page.status_code == 400 and "期别格式不正确" in page.content.decode()


def test_publish_page(march: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]) -> None:
    url = f"/rankings/plans/{march.plan.pk}/publish/"
    assert login(people.bureau_supervisor).post(url, {"period": "2026-03"}).status_code == 403
    assert login(people.leader).post(url, {"period": "2026-03"}).status_code == 403
    assert login(people.supervisor).get(url).status_code == 405
    assert not PublishedRanking.objects.exists()
    response = login(people.supervisor).post(url, {"period": "2026-03"})
    assert response.status_code == 302
    assert PublishedRanking.objects.filter(plan=march.plan, period="2026-03").count() == 1
    text = login(people.supervisor).get(f"/rankings/plans/{march.plan.pk}/?period=2026-03").content.decode()
    assert "此后不再变动" in text and "发布 2026-03 排名" not in text


def test_scheme_page(march: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]) -> None:
    url = f"/rankings/plans/{march.plan.pk}/scheme/"
    shown = login(people.leader).get(url)
    assert (
        shown.status_code == 200
        and "红色任务" in shown.content.decode()
        and 'name="base"' not in shown.content.decode()
    )
    form = {
        "base": "90",
        "done_on_time": "3",
        "on_time_reports": "1",
        "late_reports": "-1",
        "missing_reports": "-4",
        "red_tasks": "-6",
        "overdue_notices": "-2",
        "indicators_behind": "-1",
        "version": "1",
    }
    assert login(people.leader).post(url, form).status_code == 403
    assert login(people.bureau_supervisor).post(url, form).status_code == 403
    assert login(people.town_reporter).post(url, form).status_code == 403
    assert not ScoringScheme.objects.exists()
    assert login(people.supervisor).post(url, form).status_code == 302
    assert ScoringScheme.objects.get(plan=march.plan).red_tasks == D(-6)
    stale = login(people.supervisor).post(url, {**form, "base": "80"})
    assert stale.status_code == 200 and ScoringScheme.objects.get(plan=march.plan).base == D(90)
    bad = login(people.supervisor).post(url, {**form, "version": "2", "base": "abc"})
    assert bad.status_code == 200 and ScoringScheme.objects.get(plan=march.plan).base == D(90)


def test_index_redirects_to_a_plan(
    march: SimpleNamespace, people: SimpleNamespace, login: Callable[[Any], Any]
) -> None:
    response = login(people.supervisor).get("/rankings/")
    assert response.status_code == 302 and f"/rankings/plans/{march.plan.pk}/" in response["Location"]
    assert login(people.bureau_supervisor).get(f"/rankings/?plan={march.plan.pk}").status_code == 302
