"""`taizhang supervise` over a large ledger (issue 8): run by hand, prints figures, asserts nothing.

    .venv/bin/python benchmarks/supervise_load.py [--db sqlite|postgres|both]
        [--tasks 10000] [--reports 500000]

Builds the ledger benchmark's data (``ledger_data.py``: 200 units, 10,000 weekly-reported tasks,
500,000 progress reports, no colours yet), then times three runs of ``taizhang supervise`` in a
subprocess: the first colours every task from nothing (every task's first ``ColourChange``), the
second finds nothing changed (the steady state of every five minutes), the third runs two
processes at once (each change must be recorded once). Prints wall time and peak memory (RSS).
The pages with colours are measured by ``ledger_load.py`` (home, plan list).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_load import BIN, PG_BENCH, _drop_postgres, _env, _reset_postgres, build


def _supervise(env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [str(BIN / "taizhang"), "supervise"], env=env, check=True, capture_output=True, text=True
    ).stdout
    return time.perf_counter() - started, out.strip().splitlines()[0] if out.strip() else ""


def _peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _count_changes(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup();"
        "from taizhang.supervision.models import ColourChange, TaskColour;"
        "print(TaskColour.objects.count(), ColourChange.objects.count())"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def run(db: str, tasks: int, reports: int) -> None:
    print(f"== {db}: {tasks} tasks, {reports} reports")
    with tempfile.TemporaryDirectory() as tmp:
        if db == "postgres":
            _reset_postgres()
        env = _env(Path(tmp), PG_BENCH if db == "postgres" else None)
        try:
            build(env, 200, tasks, reports)
            first, line = _supervise(env)
            print(f"  first run (colours every task): {first:.1f} s — {line}")
            second, line = _supervise(env)
            print(f"  steady run (nothing changed):   {second:.1f} s — {line}")
            started = time.perf_counter()
            procs = [
                subprocess.Popen([str(BIN / "taizhang"), "supervise"], env=env, stdout=subprocess.DEVNULL)
                for _ in range(2)
            ]
            for proc in procs:
                proc.wait()
            print(f"  two processes at once:          {time.perf_counter() - started:.1f} s")
            print(f"  stored colours, recorded changes: {_count_changes(env)}")
            print(f"  peak RSS of a supervise process: {_peak_child_rss_mb():.0f} MB")
        finally:
            if db == "postgres":
                _drop_postgres()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--reports", type=int, default=500_000)
    args = ap.parse_args()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, args.tasks, args.reports)


if __name__ == "__main__":
    main()
