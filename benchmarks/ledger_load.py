"""Ledger load benchmark (issue 3): run by hand, prints figures, asserts nothing.

    .venv/bin/python benchmarks/ledger_load.py [--db sqlite|postgres|both] [--tasks 10000] [--reports 500000]

For each database it builds a fresh ledger of 200 units, 10,000 tasks and 500,000 progress
reports (bulk inserts), starts `taizhang serve` on a free local port, then measures:

1. p50/p95 latency of home (supervisor and reporter), plan list, task detail and the report
   form submission, beside a trivial view (/healthz) in the same run;
2. 200 simulated reporters, each logged in, submitting one report through the HTML form
   within 60 s from 50 client threads: errors, lost writes (a success whose row is missing),
   throughput.

PostgreSQL uses a scratch database `taizhang_bench_<pid>` at 127.0.0.1:5432 (trust auth), dropped after.
Only loopback addresses are contacted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "bench-pass-2026"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
# One scratch database per run, so two runs on one machine never drop each other's data.
PG_DB = f"taizhang_bench_{os.getpid()}"
PG_BENCH = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
DATA_SCRIPT = Path(__file__).with_name("ledger_data.py")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ------------------------------------------------------------------ data


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["TAIZHANG_DATA_DIR"] = str(data_dir)
    env["TAIZHANG_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _reset_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


@dataclass
class Fixture:
    plan_id: int = 0
    period: str = ""
    reserved: dict[str, tuple[int, int]] = field(default_factory=dict)
    sample_tasks: list[int] = field(default_factory=list)


def build(env: dict[str, str], units: int, tasks: int, reports: int) -> Fixture:
    subprocess.run([str(BIN / "taizhang"), "migrate", "-v", "0"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, str(DATA_SCRIPT), str(units), str(tasks), str(reports), PASSWORD],
        env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Colour every task once, as the periodic job does, so the pages show (and pay for) colours.
    subprocess.run([str(BIN / "taizhang"), "supervise"], env=env, check=True, capture_output=True)
    fx = Fixture()
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "DATA":
            print("  " + rest)
        elif kind == "RESERVED":
            user, a, b = rest.split()
            fx.reserved[user] = (int(a), int(b))
        elif kind == "PLAN":
            fx.plan_id = int(rest)
        elif kind == "PERIOD":
            fx.period = rest
        elif kind == "SAMPLE":
            fx.sample_tasks = [int(x) for x in rest.split()]
    return fx


# ------------------------------------------------------------------ HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Session:
    """One browser-like client: cookies, CSRF token from forms, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, html = self.request(path)
        m = CSRF_FIELD.search(html)
        if status != 200 or not m:
            raise RuntimeError(f"no form at {path}: HTTP {status}")
        return m.group(1)

    def login(self, username: str) -> None:
        token = self.csrf("/accounts/login/")
        status, _ = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login failed for {username}: HTTP {status}")

    def submit(self, task_id: int, period: str, text: str) -> int:
        path = f"/tasks/{task_id}/report/{period}/"
        token = self.csrf(path)
        # A figure below the approved one needs a stated reason (and is then accepted as the rule says).
        form = {"csrfmiddlewaretoken": token, "text": text, "percent": "50", "lower_reason": "基准测试"}
        status, _ = self.request(path, form)
        return status


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        # Pages only: the periodic job would share the server's process (and its GIL) while it
        # colours 10,000 tasks; `supervise_load.py` measures it on its own.
        [str(BIN / "taizhang"), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-supervise"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("taizhang serve did not come up within 120 s")


def _timed(fn: object, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        status = fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
        if status not in (200, 302):
            raise RuntimeError(f"HTTP {status}")
    return out


def _pct(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49], qs[94]


def measure(base: str, fx: Fixture, n: int) -> dict[str, tuple[float, float]]:
    sup = Session(base)
    sup.login("sup")
    reporter_name = sorted(fx.reserved)[5]
    rep = Session(base)
    rep.login(reporter_name)
    tasks = iter(fx.sample_tasks * 10)
    rows: dict[str, list[float]] = {
        "trivial (/healthz)": _timed(lambda: sup.request("/healthz")[0], n),
        "home (supervisor)": _timed(lambda: sup.request("/")[0], n),
        "home (reporter)": _timed(lambda: rep.request("/")[0], n),
        "plan list (/plans/)": _timed(lambda: sup.request("/plans/")[0], n),
        "plan detail (task table)": _timed(lambda: sup.request(f"/plans/{fx.plan_id}/")[0], n),
        "task detail": _timed(lambda: sup.request(f"/tasks/{next(tasks)}/")[0], n),
        "review queue (page 1)": _timed(lambda: sup.request("/reviews/")[0], n),
    }
    # Report submission: each reporter files the first of its reserved tasks (GET form + POST).
    samples = []
    sessions = []
    for user in sorted(fx.reserved)[:n]:
        s = Session(base)
        s.login(user)
        sessions.append((s, fx.reserved[user][0]))
    for s, task_id in sessions:
        t0 = time.perf_counter()
        status = s.submit(task_id, fx.period, "本周完成既定节点。")
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 302:
            raise RuntimeError(f"submission failed: HTTP {status}")
    rows["report submission (form GET+POST)"] = samples
    return {k: _pct(v) for k, v in rows.items()}


def concurrent_reporters(base: str, fx: Fixture, env: dict[str, str], users: int) -> dict[str, float]:
    names = sorted(fx.reserved)[:users]
    sessions = {}
    for name in names:
        s = Session(base)
        s.login(name)
        sessions[name] = s
    ok: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(name: str) -> None:
        task_id = fx.reserved[name][1]
        time.sleep(random.random() * 5)  # arrivals spread over the first seconds, as people do
        try:
            status = sessions[name].submit(task_id, fx.period, f"{name} 本周进展。")
        except Exception as err:
            with lock:
                errors.append(f"{name}: {err}")
            return
        with lock:
            (ok if status == 302 else errors).append(task_id if status == 302 else f"{name}: HTTP {status}")  # type: ignore[arg-type]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(one, names))
    elapsed = time.perf_counter() - t0
    found = _count_reports(env, [fx.reserved[n][1] for n in names], fx.period)
    return {
        "reporters": len(names),
        "seconds": elapsed,
        "ok": len(ok),
        "errors": len(errors),
        "lost writes": len(ok) - found if found <= len(ok) else 0,
        "rows found": found,
        "throughput req/s": len(names) / elapsed,
    }


def _count_reports(env: dict[str, str], task_ids: list[int], period: str) -> int:
    code = (
        "import django,sys;django.setup();from taizhang.ledger.models import ProgressReport as R;"
        f"print(R.objects.filter(task_id__in={task_ids!r}, period={period!r}).count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def run(db: str, args: argparse.Namespace) -> None:
    print(f"\n== {db} ==")
    with tempfile.TemporaryDirectory(prefix="taizhang-bench-") as tmp:
        if db == "postgres":
            _reset_postgres()
        env = _env(Path(tmp), PG_BENCH if db == "postgres" else None)
        t0 = time.perf_counter()
        fx = build(env, args.units, args.tasks, args.reports)
        print(f"  build: {time.perf_counter() - t0:.0f} s")
        proc, base = serve(env)
        try:
            lat = measure(base, fx, args.requests)
            trivial = lat["trivial (/healthz)"][1]
            print(f"  {'view':38s} {'p50 ms':>8s} {'p95 ms':>8s} {'p95/trivial':>12s}")
            for name, (p50, p95) in lat.items():
                print(f"  {name:38s} {p50:8.1f} {p95:8.1f} {p95 / trivial:12.1f}")
            conc = concurrent_reporters(base, fx, env, args.reporters)
            print(
                "  concurrent reporters: "
                + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in conc.items())
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        if db == "postgres" and not args.keep:
            _drop_postgres()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--reports", type=int, default=500_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per view for the latency table")
    ap.add_argument("--reporters", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL scratch database")
    args = ap.parse_args()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, args)


if __name__ == "__main__":
    main()
