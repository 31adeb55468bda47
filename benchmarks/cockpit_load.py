"""Cockpit and league table benchmark (issue 9): run by hand, prints figures, asserts nothing.

    .venv/bin/python benchmarks/cockpit_load.py [--db sqlite|postgres|both] [--quick] [--requests 100]

Builds the ledger benchmark's county (``ledger_data.py``: 200 units, 10,000 weekly-reported tasks in
two plans, 500,000 progress reports; every task coloured by ``taizhang supervise``), then adds what
the cockpit reads: 2,000 indicators of the current plan with 12 monthly values each, twelve weeks
of colour history (the first colouring moved back in time, and up to two changes per task since),
overdue 督办通知 and waiting 批示件, and the plan's monthly rankings published up to the month
before the one the league table shows by default (so that month is the one computed live, as in
the days before a supervisor publishes it).

Then ``taizhang serve`` (the periodic job off) on a free local port, and p50/p95 over
``--requests`` requests of: the cockpit for the county leader and for a bureau leader, the league
table page (default month: live; a published month), the leader's home, and /healthz beside them;
with the server process's CPU time per request (Linux /proc), steadier than latency on a machine
shared with other work.

``--quick``: a tenth of the data (20 units, 1,000 tasks, 50,000 reports, 200 indicators) and 30
requests per page, for a run of a few minutes. PostgreSQL uses a scratch database, analysed after the
bulk load (as autovacuum would be) and dropped after.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_load import (
    PG_BENCH,
    Session,
    _drop_postgres,
    _env,
    _pct,
    _reset_postgres,
    _timed,
    build,
    serve,
)

TARGET_P95_MS = 150.0


# ------------------------------------------------------------------ the cockpit's data (in Django)


def add_cockpit_data(indicators: int, seed: int = 2026) -> None:
    """Indicators, colour history, notices, 批示件 and published rankings for the current plan.
    Runs in a subprocess with the benchmark's settings (``--add-data``)."""
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from taizhang.accounts.models import Role, Unit, User
    from taizhang.indicators.models import Indicator, IndicatorValue
    from taizhang.ledger.models import Comment, Plan, Task
    from taizhang.ledger.periods import period_for
    from taizhang.rankings import facts, services
    from taizhang.supervision.models import (
        ColourChange,
        Instruction,
        Notice,
        NoticeItem,
        NoticeKind,
        TaskColour,
    )

    rng = random.Random(seed)
    t0 = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    plan = Plan.objects.filter(year=today.year).order_by("id").first()
    assert plan is not None
    sup = User.objects.get(username="sup")
    lead = User.objects.get(username="lead")
    root = sup.unit
    bureau = Unit.objects.filter(parent=root).order_by("sort_order", "id").first()
    User.objects.create_user(
        username="blead",
        password=os.environ["BENCH_PASSWORD"],
        role=Role.LEADER,
        unit=bureau,
        full_name="局长",
    )
    units = list(Unit.objects.exclude(pk=root.pk).order_by("id"))

    # 2,000 cumulative indicators, a target each, one value per month from January
    made = Indicator.objects.bulk_create(
        [
            Indicator(
                plan=plan,
                name=f"指标{i + 1:04d}",
                measure="亿元",
                target=Decimal(100 + i % 50),
                last_year=Decimal(90 + i % 40),
                owner_unit=units[i % len(units)],
                sort_order=i,
            )
            for i in range(indicators)
        ],
        batch_size=1000,
    )
    values = []
    for ind in made:
        pace = rng.uniform(0.6, 1.2)  # some ahead of 序时进度, some behind
        for month in range(1, 13):
            values.append(
                IndicatorValue(
                    indicator=ind,
                    period=f"{plan.year}-{month:02d}",
                    value=Decimal(round(float(ind.target or 0) * month / 12 * pace, 2)),
                    entered_at=now,
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)

    # Twelve weeks of colour history ending in each task's stored colour.
    colours = list(TaskColour.objects.filter(task__plan=plan).values_list("task_id", "colour"))
    ColourChange.objects.filter(task__plan=plan).delete()
    kinds = ["red", "yellow", "green", "white"]
    history = []
    for task_id, current in colours:
        first = now - dt.timedelta(days=rng.randint(85, 140))
        steps = sorted(
            now - dt.timedelta(minutes=rng.randint(60, 84 * 24 * 60)) for _ in range(rng.randint(0, 2))
        )
        path = [rng.choice(kinds) for _ in steps] + [current]
        before = ""
        for moment, after in zip([first, *steps], path, strict=True):
            if after == before:
                continue
            history.append(
                ColourChange(
                    task_id=task_id,
                    at=moment,
                    as_of=timezone.localtime(moment).date(),
                    before=before,
                    after=after,
                )
            )
            before = after
    ColourChange.objects.bulk_create(history, batch_size=5000)

    # Overdue notices (pending past their reply date) and waiting 批示件.
    tasks = list(Task.objects.filter(plan=plan).order_by("id").values_list("id", "lead_unit_id")[:400])
    with transaction.atomic():
        for n, (task_id, unit_id) in enumerate(tasks[:200], start=1):
            notice = Notice.objects.create(
                plan=plan,
                kind=NoticeKind.PROMPT,
                year=today.year,
                number=n,
                unit_id=unit_id,
                subject="请说明进度滞后原因",
                reply_due=today - dt.timedelta(days=rng.randint(1, 20)),
                issued_by=sup,
                issued_at=now - dt.timedelta(days=25),
            )
            NoticeItem.objects.create(notice=notice, task_id=task_id, colour="red")
        for task_id, _ in tasks[200:]:
            comment = Comment.objects.create(task_id=task_id, author=lead, text="请加快推进")
            Instruction.objects.create(
                comment=comment,
                task_id=task_id,
                due_on=today + dt.timedelta(days=rng.randint(-5, 10)),
                created_by=lead,
                created_at=now,
            )

    # Rankings published up to the month before the default one (which stays live).
    default = services.default_month(plan, today)
    published = 0
    for month in facts.plan_months(plan):
        if month >= default:
            break
        services.publish(plan, month, sup, today)
        published += 1
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum would soon after a bulk load: planner statistics for the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"COCKPIT indicators={len(made)} values={len(values)} colour_changes={len(history)} "
        f"notices=200 instructions={len(tasks) - 200} published={published} live={default} "
        f"seconds={time.perf_counter() - t0:.1f}"
    )
    print(f"PLAN {plan.pk}")
    print(f"PUBLISHED {facts.previous_month(default)}")
    print(f"MONTH {period_for(today, 'monthly')}")


# ------------------------------------------------------------------ the run


def _cpu_seconds(pid: int) -> float:
    """The server's CPU time so far (user + system, its threads included): on a machine shared
    with other work, CPU per request is steadier than wall-clock latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(db: str, args: argparse.Namespace) -> None:
    from ledger_load import PASSWORD

    print(f"\n== {db} ==")
    with tempfile.TemporaryDirectory(prefix="taizhang-cockpit-") as tmp:
        if db == "postgres":
            _reset_postgres()
        env = _env(Path(tmp), PG_BENCH if db == "postgres" else None)
        t0 = time.perf_counter()
        build(env, args.units, args.tasks, args.reports)
        out = subprocess.run(
            [sys.executable, __file__, "--add-data", str(args.indicators)],
            env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings", "BENCH_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
        print("  " + found.get("COCKPIT", ""))
        print(f"  build: {time.perf_counter() - t0:.0f} s")
        plan, published = found["PLAN"].strip(), found["PUBLISHED"].strip()
        proc, base = serve(env)
        try:
            leader, bureau = Session(base), Session(base)
            leader.login("lead")
            bureau.login("blead")
            pages = {
                "trivial (/healthz)": (leader, "/healthz"),
                "cockpit (county leader)": (leader, f"/cockpit/?plan={plan}"),
                "cockpit (bureau leader)": (bureau, f"/cockpit/?plan={plan}"),
                "league table (default month, live)": (leader, f"/rankings/plans/{plan}/"),
                f"league table ({published}, published)": (
                    leader,
                    f"/rankings/plans/{plan}/?period={published}",
                ),
                "home (leader)": (leader, "/"),
            }
            print(
                f"  {'page':42s} {'p50 ms':>8s} {'p95 ms':>8s} {'server CPU ms':>14s}"
                f"  (target p95 < {TARGET_P95_MS:.0f} ms)"
            )
            for name, (session, path) in pages.items():
                session.request(path)  # warm: first request of a page in this process
                cpu = _cpu_seconds(proc.pid)
                p50, p95 = _pct(_timed(lambda s=session, p=path: s.request(p)[0], args.requests))
                per_request = (_cpu_seconds(proc.pid) - cpu) / args.requests * 1000
                mark = "" if name.startswith("trivial") or p95 < TARGET_P95_MS else "  over target"
                print(f"  {name:42s} {p50:8.1f} {p95:8.1f} {per_request:14.1f}{mark}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        if db == "postgres" and not args.keep:
            _drop_postgres()


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--add-data":
        add_cockpit_data(int(sys.argv[2]))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--quick", action="store_true", help="a tenth of the data and 30 requests per page")
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--reports", type=int, default=500_000)
    ap.add_argument("--indicators", type=int, default=2_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per page")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL scratch database")
    args = ap.parse_args()
    if args.quick:
        args.units, args.tasks, args.reports, args.indicators = 20, 1_000, 50_000, 200
        args.requests = min(args.requests, 30)
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, args)


if __name__ == "__main__":
    main()
