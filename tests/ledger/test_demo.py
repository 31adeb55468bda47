"""`taizhang demo`: a county with ≥ 12 units, a user per role, the plan read by the engine, progress."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from taizhang.accounts.models import Role, Unit, User
from taizhang.ledger.demo import DEMO_PASSWORD, PLAN_FILE, load_demo
from taizhang.ledger.models import Comment, Milestone, Plan, ProgressReport, ReviewState, Task
from taizhang.ledger.obligations import PeriodState, period_states

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 27)


def test_demo_plan_text_is_in_the_genre() -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert text.startswith("示范县2026年重点工作计划")
    assert "（一）" in text and "一是" in text and "由县公管局牵头" in text


def test_demo_command_creates_units_users_and_plan() -> None:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())
    assert Unit.objects.count() >= 12
    assert Unit.objects.filter(parent__isnull=False, children__isnull=False).exists()  # ≥ 3 levels
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert User.objects.get(username="duchashi").check_password(DEMO_PASSWORD)
    assert Plan.objects.count() == 1
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "duchashi" in text and "jiaotong" in text
    # loaded "as of" today: nothing is stamped after the moment it was loaded
    from django.utils import timezone

    assert max(ProgressReport.objects.values_list("submitted_at", flat=True)) <= timezone.now()


def test_demo_refuses_a_database_with_data_unless_forced() -> None:
    Unit.objects.create(name="已有单位")
    with pytest.raises(CommandError, match="已有数据"):
        call_command("demo", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    assert Unit.objects.filter(name="已有单位").exists()


def test_demo_is_idempotent() -> None:
    first = load_demo(AS_OF)
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
    )
    second = load_demo(AS_OF)
    assert counts == (
        Unit.objects.count(),
        User.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
    )
    assert first.tasks == second.tasks and Plan.objects.count() == 1


def test_demo_has_content_for_every_screen() -> None:
    summary = load_demo(AS_OF)
    if summary.tasks == 0:
        pytest.skip("the document engine finds no tasks yet")
    assert 20 <= summary.tasks <= 30
    tasks = list(Task.objects.select_related("plan", "lead_unit"))
    assert all(t.lead_unit is not None for t in tasks)
    assert all(t.category_path and t.source_line for t in tasks)
    assert Task.objects.filter(lead_unit__name="县公共资源交易管理局").exists()
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == {ReviewState.APPROVED, ReviewState.RETURNED, ReviewState.PENDING}
    assert ProgressReport.objects.filter(is_zero_report=True).exists()
    assert any(s.state == PeriodState.MISSING for t in tasks for s in period_states(t, AS_OF))
    assert Milestone.objects.filter(done=True).exists() and Milestone.objects.filter(done=False).exists()
    assert Comment.objects.count() >= 2
    assert {t.status for t in tasks} >= {"in_progress", "done", "delayed", "paused"}


def test_demo_if_empty_leaves_a_database_with_data_alone() -> None:
    """`serve --demo` runs `demo --if-empty`: data already there stays, and the accounts are listed."""
    load_demo(AS_OF)
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out, stderr=StringIO())
    assert "未重新载入" in out.getvalue() and "演示数据已载入" not in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


# --- a county in late November ------------------------------------------------------------------

LATE_NOVEMBER = dt.date(2026, 11, 30)


def window_closes(task: Task, period: str) -> dt.date:
    """The last on-time day of a monthly period: its end plus the plan's window (by hand here)."""
    year, month = (int(x) for x in period.split("-"))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1) + dt.timedelta(days=task.plan.report_window_days)


def owed_closed_periods(task: Task, as_of: dt.date) -> list[str]:
    """Monthly periods from January up to the deadline whose window has closed."""
    end = min(task.deadline or dt.date(2026, 12, 31), dt.date(2026, 12, 31))
    return [f"2026-{m:02d}" for m in range(1, end.month + 1) if window_closes(task, f"2026-{m:02d}") < as_of]


def test_a_county_in_late_november(monkeypatch: pytest.MonkeyPatch) -> None:
    """One load (it is slow), every property: loaded at 08:00 on its "as of" day, no report, review
    or 批示 is stamped later that day; then the checks below on the same data."""
    from django.utils import timezone

    from tests.conftest import at

    now = at(LATE_NOVEMBER, 8)
    monkeypatch.setattr(timezone, "now", lambda: now)
    load_demo(LATE_NOVEMBER)
    stamps = [
        *ProgressReport.objects.values_list("submitted_at", flat=True),
        *ProgressReport.objects.exclude(reviewed_at=None).values_list("reviewed_at", flat=True),
        *Comment.objects.values_list("created_at", flat=True),
    ]
    assert stamps and max(stamps) <= now
    done_days = Milestone.objects.exclude(done_on=None).values_list("done_on", flat=True)
    assert done_days and max(done_days) <= LATE_NOVEMBER
    assert all(
        r.reviewed_at is None or r.reviewed_at >= r.submitted_at or r.state == ReviewState.PENDING
        for r in ProgressReport.objects.all()
    )
    county = list(
        Task.objects.select_related("plan").prefetch_related("reports", "milestones").order_by("seq")
    )
    check_zero_report_reasons_fit_their_month()
    check_milestones_agree_with_progress(county)
    check_progress_texts_vary(county)
    check_every_state_supervision_colours(county)


# Words that tie a 零报告's reason to a season, and the months they fit.
SEASONAL = {
    "春节": {1, 2, 3},
    "冬季": {11, 12, 1, 2},
    "低温": {11, 12, 1, 2},
    "汛期": {5, 6, 7, 8, 9},
    "降雨": {4, 5, 6, 7, 8, 9},
    "雨季": {5, 6, 7, 8, 9},
    "台风": {7, 8, 9, 10},
    "高温": {6, 7, 8, 9},
    "秋收": {9, 10},
    "国庆": {10},
}


def check_zero_report_reasons_fit_their_month() -> None:
    zero = list(ProgressReport.objects.filter(is_zero_report=True))
    assert len(zero) >= 3
    for report in zero:
        month = int(report.period[5:7])
        for word, months in SEASONAL.items():
            assert word not in report.zero_reason or month in months, (report.period, report.zero_reason)


def check_milestones_agree_with_progress(county: list[Task]) -> None:
    for task in county:
        milestones = sorted(task.milestones.all(), key=lambda m: m.due_on)
        flags = [m.done for m in milestones]
        assert flags == sorted(flags, reverse=True), (task.code, flags)  # done ones come first
        assert flags[-1] == (task.progress == 100), (task.code, task.progress, flags)
        if task.progress < 50:
            assert not flags[1], (task.code, task.progress, flags)
        if task.progress >= 50:
            assert flags[0] and flags[1], (task.code, task.progress, flags)
        assert all(m.done_on is not None for m in milestones if m.done)


def check_progress_texts_vary(county: list[Task]) -> None:
    texts = [r.text for r in ProgressReport.objects.filter(is_zero_report=False)]
    assert len(texts) >= 100
    assert len(set(texts)) >= 0.95 * len(texts)
    openings = {}
    for text in texts:
        openings[text[:12]] = openings.get(text[:12], 0) + 1
    assert max(openings.values()) <= 0.15 * len(texts), max(openings.items(), key=lambda kv: kv[1])
    assert not any(task.title in text for task in county for text in texts[:50])  # not one template


def check_every_state_supervision_colours(county: list[Task]) -> None:
    from auditlog.models import LogEntry

    as_of = LATE_NOVEMBER

    def share_of_time(task: Task) -> float:
        deadline = task.deadline or dt.date(2026, 12, 31)
        return min(
            1.0, ((as_of - dt.date(2026, 1, 1)).days + 1) / ((deadline - dt.date(2026, 1, 1)).days + 1)
        )

    running = [t for t in county if t.status not in ("done", "paused")]
    reports = {t.pk: {r.period: r for r in t.reports.all()} for t in county}

    def on_time(task: Task) -> bool:
        owed = owed_closed_periods(task, as_of)
        return bool(owed) and all(
            p in reports[task.pk]
            and timezone_date(reports[task.pk][p].submitted_at) <= window_closes(task, p)
            for p in owed
        )

    found = {
        "on time, on schedule": any(
            on_time(t) and t.progress >= 100 * share_of_time(t) - 15 for t in running
        ),
        "behind 序时进度": any(
            t.progress < 100 * share_of_time(t) - 20 and (t.deadline or as_of) >= as_of for t in running
        ),
        "overdue unfinished": any(t.deadline and t.deadline < as_of and t.progress < 100 for t in running),
        "done": any(t.status == "done" and t.progress == 100 for t in county),
        "paused": any(t.status == "paused" for t in county),
        "reports missing": any(
            set(owed_closed_periods(t, as_of)) - set(reports[t.pk]) for t in county if t.status != "paused"
        ),
        "reports late": any(
            timezone_date(r.submitted_at) > window_closes(t, p)
            for t in county
            for p, r in reports[t.pk].items()
        ),
        "returned": ProgressReport.objects.filter(state=ReviewState.RETURNED).exists(),
        "pending": ProgressReport.objects.filter(state=ReviewState.PENDING).exists(),
    }
    corrected = [
        e
        for e in LogEntry.objects.filter(content_type__model="progressreport")
        if e.changes_dict.get("state") == ["returned", "pending"]
    ]
    found["returned and corrected"] = bool(corrected)
    assert {k for k, v in found.items() if not v} == set()


def timezone_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()
