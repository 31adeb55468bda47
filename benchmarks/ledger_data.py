"""Builds the ledger benchmark's data (run by ledger_load.py in a subprocess with its settings).

    python benchmarks/ledger_data.py UNITS TASKS REPORTS PASSWORD

Prints DATA/RESERVED/PLAN/PERIOD/SAMPLE lines that ledger_load.py reads.
"""

import datetime as dt
import random
import sys
import time

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from taizhang.accounts.models import Role, Unit, User
    from taizhang.ledger.models import Cadence, Plan, ProgressReport, ReviewState, Task, TaskStatus
    from taizhang.ledger.periods import period_bounds, period_for, periods_between

    n_units, n_tasks, n_reports, password = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(2026)
    t0 = time.perf_counter()
    root = Unit.objects.create(name="示范市人民政府", short_name="市政府")
    tops = [Unit(name=f"示范市第{i + 1}局", parent=root, sort_order=i) for i in range(19)]
    Unit.objects.bulk_create(tops)
    tops = list(Unit.objects.filter(parent=root).order_by("sort_order"))
    sections = []
    for i in range(n_units - 20):
        top = tops[i % len(tops)]
        sections.append(Unit(name=f"{top.name}第{i // len(tops) + 1}科", parent=top, sort_order=i))
    Unit.objects.bulk_create(sections)
    units = [root, *tops, *Unit.objects.filter(parent__in=tops).order_by("id")]
    hashed = make_password(password)
    users = [
        User(username="sup", role=Role.SUPERVISOR, unit=root, password=hashed, full_name="督查员"),
        User(username="lead", role=Role.LEADER, unit=root, password=hashed, full_name="县长"),
    ]
    users += [
        User(username=f"r{i:03d}", role=Role.REPORTER, unit=u, password=hashed, full_name=f"填报员{i}")
        for i, u in enumerate(units)
    ]
    User.objects.bulk_create(users)
    reporters = {u.unit_id: u for u in User.objects.filter(role=Role.REPORTER)}
    sup = User.objects.get(username="sup")

    today = timezone.localdate()
    this_week = period_for(today, Cadence.WEEKLY)
    plans = []
    for year in (today.year - 1, today.year):
        plans.append(
            Plan.objects.create(
                year=year,
                owner_unit=root,
                title=f"示范市{year}年重点工作计划",
                cadence=Cadence.WEEKLY,
                created_by=sup,
            )
        )
    per_plan = n_tasks // len(plans)
    tasks = []
    for p_i, plan in enumerate(plans):
        for i in range(per_plan):
            unit = units[i % len(units)]
            tasks.append(
                Task(
                    plan=plan,
                    seq=i + 1,
                    code=f"{i + 1}",
                    category_path=[f"第{i % 12 + 1}方面"],
                    title=f"重点任务{p_i}-{i + 1}",
                    content="按计划推进各项工作，确保按期完成。",
                    lead_unit=unit,
                    leader_name="分管副县长",
                    deadline=dt.date(plan.year, 12, 31),
                    status=TaskStatus.IN_PROGRESS,
                    progress=rng.randint(0, 90),
                )
            )
    Task.objects.bulk_create(tasks, batch_size=2000)
    tasks = list(Task.objects.select_related("plan").order_by("id"))

    # Two tasks per unit in the current plan stay without a report this week: the benchmark submits those.
    current = [t for t in tasks if t.plan.year == today.year]
    reserved = {}
    for t in current:
        bucket = reserved.setdefault(t.lead_unit_id, [])
        if len(bucket) < 2:
            bucket.append(t.id)
    reserved_ids = {i for ids in reserved.values() for i in ids}

    def periods_of(plan):
        start = dt.date(plan.year, 1, 1)
        end = min(dt.date(plan.year, 12, 31), today)
        return periods_between(start, end, Cadence.WEEKLY)

    # Reports look like an office's: each submitted around its period's end (most within the
    # window, some late), reviewed within days — so only the last two weeks of the current plan
    # still wait for review, plus a few forgotten ones (1 %). Equal timestamps for all 500,000
    # would make every list ordered by time an artefact of ids.
    made = 0
    batch = []
    now = timezone.now()
    recent = set(periods_of(plans[-1])[-2:])
    for t in tasks:
        for period in periods_of(t.plan):
            if made >= n_reports:
                break
            if period == this_week and t.id in reserved_ids:
                continue
            _, last = period_bounds(period)
            day = last + dt.timedelta(days=rng.choice((-1, 0, 0, 1, 2, 3, 5, 9)))
            moment = timezone.make_aware(
                dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
            )
            moment = min(moment, now)
            pending = rng.random() < (0.6 if t.plan == plans[-1] and period in recent else 0.01)
            batch.append(
                ProgressReport(
                    task_id=t.id,
                    period=period,
                    text="本期按计划推进，完成阶段性目标。",
                    percent=rng.randint(0, 100),
                    submitted_by=reporters[t.lead_unit_id],
                    submitted_at=moment,
                    first_submitted_at=moment,
                    state=ReviewState.PENDING if pending else ReviewState.APPROVED,
                )
            )
            made += 1
            if len(batch) >= 5000:
                ProgressReport.objects.bulk_create(batch)
                batch = []
    if batch:
        ProgressReport.objects.bulk_create(batch)
    counts = (
        f"units={Unit.objects.count()} tasks={Task.objects.count()} reports={ProgressReport.objects.count()}"
    )
    print(f"DATA {counts} seconds={time.perf_counter() - t0:.1f}")
    current_plan = plans[-1]
    for unit_id, ids in reserved.items():
        print(f"RESERVED {reporters[unit_id].username} {ids[0]} {ids[1] if len(ids) > 1 else ids[0]}")
    print(f"PLAN {current_plan.id}")
    print(f"PERIOD {this_week}")
    print(f"SAMPLE {' '.join(str(t.id) for t in rng.sample(tasks, 200))}")


if __name__ == "__main__":
    main()
