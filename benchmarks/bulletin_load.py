"""The monthly bulletin (月通报) of a large plan (issue 10): run by hand, prints figures, asserts nothing.

    .venv/bin/python benchmarks/bulletin_load.py [--db sqlite|postgres|both]
        [--tasks 20000] [--reports 500000] [--month YYYY-MM]

Builds the ledger benchmark's data (``ledger_data.py``: 200 units, weekly-reported tasks split
between last year's plan and this year's — the default 20,000 puts 10,000 in this year's plan —,
500,000 progress reports, coloured once by ``taizhang supervise``), then times, in one process, each
stage of a bulletin three times (reading the ledger, wording it, laying out the .docx) and, as a
user runs it, ``taizhang bulletin --plan ID --period MONTH -o FILE.docx`` (Python and Django start
included). The target: the whole bulletin under 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_load import BIN, PG_BENCH, _drop_postgres, _env, _reset_postgres, build

STAGES = """
import sys, time, django
django.setup()
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.writing import bulletin, bulletin_text
from taizhang.writing.render import to_docx
plan = Plan.objects.get(pk=int(sys.argv[1]))
for run in range(3):
    c0, t0 = time.process_time(), time.perf_counter()
    made = bulletin.build(plan, sys.argv[2], today())
    t1 = time.perf_counter()
    doc = bulletin_text.document(made)
    t2 = time.perf_counter()
    data = to_docx(doc)
    t3, c3 = time.perf_counter(), time.process_time()
    print(f"run {run + 1}: read {t1 - t0:.2f} s, word {t2 - t1:.2f} s, docx {t3 - t2:.2f} s, "
          f"total {t3 - t0:.2f} s wall, {c3 - c0:.2f} s CPU; "
          f"{made.summary.total} tasks, {len(made.units)} units, "
          f"{len(made.lagging)} lagging, {len(made.late)} late, {len(made.missing)} missing, "
          f"{len(made.league)} ranked, {len(data) // 1024} KB")
"""


def run(db: str, tasks: int, reports: int, month: str) -> None:
    print(f"== {db}: {tasks} tasks, {reports} reports, bulletin of {month}")
    with tempfile.TemporaryDirectory() as tmp:
        if db == "postgres":
            _reset_postgres()
        env = _env(Path(tmp), PG_BENCH if db == "postgres" else None)
        try:
            started = time.perf_counter()
            fx = build(env, 200, tasks, reports)
            print(f"  data built and coloured in {time.perf_counter() - started:.0f} s")
            out = subprocess.run(
                [sys.executable, "-c", STAGES, str(fx.plan_id), month],
                env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for line in out.strip().splitlines():
                print(f"  {line}")
            target = Path(tmp) / "bulletin.docx"
            for _ in range(2):
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        str(BIN / "taizhang"),
                        "bulletin",
                        "--plan",
                        str(fx.plan_id),
                        "--period",
                        month,
                        "-o",
                        str(target),
                    ],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                took = time.perf_counter() - started
                cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
                print(f"  taizhang bulletin (subprocess): {took:.2f} s wall — {done.stdout.strip()}")
            print(f"  CPU of all child processes so far: {cpu.ru_utime + cpu.ru_stime:.1f} s")
        finally:
            if db == "postgres":
                _drop_postgres()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--tasks", type=int, default=20_000, help="over two plans: this year's holds half")
    ap.add_argument("--reports", type=int, default=500_000)
    ap.add_argument("--month", help="YYYY-MM (default: last month, as the office writes it)")
    args = ap.parse_args()
    if args.month is None:
        first = dt.date.today().replace(day=1) - dt.timedelta(days=1)
        args.month = f"{first.year:04d}-{first.month:02d}"
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(db, args.tasks, args.reports, args.month)


if __name__ == "__main__":
    main()
