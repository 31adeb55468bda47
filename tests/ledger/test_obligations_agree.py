"""The Python and the SQL form of every reporting rule agree, on a generated ledger.

A seeded random ledger — plans of every cadence, with and without a reporting start, windows of
0 to 15 days, in two years; tasks in every status with deadlines before, inside and after their
plan's year or none; reports first submitted around their window's close (to the second, on both
sides of midnight in Asia/Shanghai), some returned and corrected long after — is asked, for many
"as of" days and every period, what each task owes, where it stands and whether it lags. The
answers of ``obligations``' Python functions and of its query expressions must be equal for every
task and period. Runs on SQLite and on PostgreSQL (``make pytest-pg``).
"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from taizhang.ledger import obligations as ob
from taizhang.ledger.models import Cadence, Plan, ProgressReport, ReviewState, Task, TaskStatus
from taizhang.ledger.periods import period_bounds, periods_between, plan_window

D = dt.date
AS_OF = [
    D(2025, 12, 20),
    D(2026, 1, 1),
    D(2026, 2, 5),
    D(2026, 4, 1),
    D(2026, 6, 30),
    D(2026, 11, 30),
    D(2026, 12, 31),
    D(2027, 1, 4),
]


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A local instant on ``day``, often at the edges of the day."""
    clock = rng.choice([dt.time(0, 0), dt.time(0, 0, 1), dt.time(23, 59, 59), dt.time(8, 30), dt.time(16, 0)])
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _build(org: SimpleNamespace, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    plans = []
    for index, (cadence, year) in enumerate(
        [
            (Cadence.MONTHLY, 2026),
            (Cadence.MONTHLY, 2025),
            (Cadence.QUARTERLY, 2026),
            (Cadence.WEEKLY, 2026),
            (Cadence.MONTHLY, 2026),
        ]
    ):
        starts = rng.choice([None, None, D(year, rng.randint(1, 6), rng.randint(1, 28)), D(year, 1, 1)])
        plan = Plan.objects.create(
            year=year,
            owner_unit=org.root,
            title=f"计划{index}",
            cadence=cadence,
            report_window_days=rng.choice([0, 1, 5, 5, 10, 15]),
            reporting_starts=starts,
        )
        plans.append(plan)
        reports: list[ProgressReport] = []
        for seq in range(14):
            deadline = rng.choice(
                [
                    None,
                    D(year - 1, 12, 15),
                    D(year, 1, 1),
                    D(year, rng.randint(1, 12), rng.randint(1, 28)),
                    D(year, rng.randint(1, 12), rng.randint(1, 28)),
                    D(year, 12, 31),
                    D(year + 1, 3, 31),
                ]
            )
            task = Task.objects.create(
                plan=plan,
                seq=seq,
                title=f"任务{index}-{seq}",
                lead_unit=rng.choice([org.transport, org.housing, org.town]),
                deadline=deadline,
                status=rng.choice(TaskStatus.values),
                progress=rng.choice([0, 0, 10, 35, 50, 80, 99, 100, rng.randint(0, 100)]),
            )
            for period in periods_between(plan.starts_on, plan.ends_on, cadence):
                if rng.random() < 0.45:
                    continue
                closes = plan_window(plan, period).closes
                first = _moment(closes + dt.timedelta(days=rng.choice([-20, -1, 0, 0, 1, 1, 2, 30])), rng)
                state = rng.choice(ReviewState.values)
                corrected = state != ReviewState.APPROVED and rng.random() < 0.5
                submitted = first + dt.timedelta(days=rng.randint(3, 60)) if corrected else first
                reports.append(
                    ProgressReport(
                        task=task,
                        period=period,
                        text="进展",
                        percent=rng.randint(0, 100),
                        first_submitted_at=first,
                        submitted_at=submitted,
                        state=state,
                    )
                )
        ProgressReport.objects.bulk_create(reports)
    return plans


def _all_periods(plans: list[Plan]) -> list[str]:
    keys: set[str] = set()
    for plan in plans:
        keys.update(periods_between(D(plan.year - 1, 12, 1), D(plan.year + 1, 1, 31), plan.cadence))
    return sorted(keys)


@pytest.mark.parametrize("seed", [1, 77])
def test_period_states_agree(org: SimpleNamespace, seed: int) -> None:
    plans = _build(org, seed)
    tasks = list(Task.objects.select_related("plan").order_by("pk"))
    firsts = {(r.task_id, r.period): r.first_submitted_at for r in ProgressReport.objects.all()}
    checked = {state: 0 for state in ob.PeriodState.values}
    for period in _all_periods(plans):
        span = set(Task.objects.filter(ob.in_span_q(period)).values_list("pk", flat=True))
        owing = set(Task.objects.filter(ob.owes_q(period)).values_list("pk", flat=True))
        for task in tasks:
            assert (task.pk in span) == ob.in_span(task, task.plan, period), (task.pk, period)
            assert (task.pk in owing) == ob.owes(task, task.plan, period), (task.pk, period)
        states = {f"s{i}": ob.period_state_expr(period, as_of) for i, as_of in enumerate(AS_OF)}
        sql = {row["pk"]: row for row in Task.objects.annotate(**states).values("pk", *states)}
        # the per-plan form (lateness against the plan's late_from moment), plan by plan
        by_plan = {
            row["pk"]: row
            for plan in plans
            for row in Task.objects.filter(plan=plan)
            .annotate(**{f"s{i}": ob.period_state_expr(period, as_of, plan) for i, as_of in enumerate(AS_OF)})
            .values("pk", *states)
        }
        for i, as_of in enumerate(AS_OF):
            for task in tasks:
                python = ob.period_state(task, task.plan, period, as_of, firsts.get((task.pk, period)))
                assert by_plan[task.pk][f"s{i}"] == python, (seed, task.pk, period, as_of, "per plan")
                assert sql[task.pk][f"s{i}"] == python, (
                    seed,
                    task.pk,
                    period,
                    as_of,
                    task.status,
                    task.deadline,
                )
                checked[python] += 1
    # the generated ledger exercises every state (else the comparison proves little)
    assert all(checked.values()), checked


@pytest.mark.parametrize("seed", [1, 2026, 77])
def test_lateness_agrees(org: SimpleNamespace, seed: int) -> None:
    _build(org, seed)
    reports = list(ProgressReport.objects.select_related("task__plan"))
    late_seen = 0
    for period in sorted({r.period for r in reports}):
        late = set(
            ProgressReport.objects.filter(period=period)
            .filter(ob.late_q(period))
            .values_list("pk", flat=True)
        )
        # the per-plan form the homes use (no join), for each plan's reports of the period
        by_case = {
            pk: flag
            for plan in {r.task.plan for r in reports}
            for pk, flag in ProgressReport.objects.filter(period=period, task__plan=plan)
            .annotate(late=ob.late_case(plan, [period]))
            .values_list("pk", "late")
        }
        for report in (r for r in reports if r.period == period):
            python = ob.report_is_late(report)
            assert (report.pk in late) == python, (seed, report.pk, period, report.first_submitted_at)
            assert by_case[report.pk] == python, (seed, report.pk, period, report.first_submitted_at)
            late_seen += python
    assert 0 < late_seen < len(reports)


@pytest.mark.parametrize("seed", [1, 2026, 77])
def test_lagging_agrees(org: SimpleNamespace, seed: int) -> None:
    _build(org, seed)
    tasks = list(Task.objects.select_related("plan").order_by("pk"))
    seen: set[str] = set()
    for as_of in [*AS_OF, D(2026, 3, 17), D(2026, 9, 9)]:
        sql = dict(Task.objects.annotate(lag=ob.lag_expr(as_of)).values_list("pk", "lag"))
        lagging = set(Task.objects.filter(ob.lagging_q(as_of)).values_list("pk", flat=True))
        behind = set(Task.objects.filter(ob.behind_q(as_of)).values_list("pk", flat=True))
        for task in tasks:
            python = ob.lag(task, task.plan, as_of)
            assert sql[task.pk] == (python or ""), (seed, task.pk, as_of, task.deadline, task.progress)
            assert (task.pk in lagging) == (python is not None), (seed, task.pk, as_of)
            assert (task.pk in behind) == ob.is_behind(task, task.plan, as_of), (seed, task.pk, as_of)
            seen.add(python or "")
    assert seen == {"", *ob.Lag.values}


def test_reported_progress_agrees(org: SimpleNamespace) -> None:
    _build(org, 5)
    tasks = list(Task.objects.prefetch_related("reports"))
    by_sql = ob.reported_reports([t.pk for t in tasks])
    found = 0
    for task in tasks:
        python = ob.reported(task.reports.all())
        assert (by_sql[task.pk].pk if task.pk in by_sql else None) == (python.pk if python else None)
        found += python is not None
    assert found


def test_period_bounds_of_generated_ledger_are_sane(org: SimpleNamespace) -> None:
    """Guards the generator: reports sit on both sides of their window's close."""
    _build(org, 3)
    sides = {
        ob.is_late(r.task.plan, r.period, r.first_submitted_at)
        for r in ProgressReport.objects.select_related("task__plan")
    }
    assert sides == {True, False}
    assert period_bounds("2026-W01")[0] == D(2025, 12, 29)
