"""Archive search benchmark (issue 11): run by hand, prints figures, asserts nothing.

    .venv/bin/python benchmarks/search_load.py [--paragraphs 1000000] [--db sqlite|postgres|both]
        [--queries 200]

Paragraphs are made at run time by recombining sentences of ../shared/corpus (read here, never
stored in the repository): 2 to 5 sentences each, drawn with a fixed seed, 100 paragraphs to a
document, documents spread over 40 units and 5 years, each paragraph given a section role. For each
database, in a fresh data folder (SQLite) or a scratch database (PostgreSQL, dropped after):

1. jieba's speed on a sample of the paragraphs (characters per second), and the time the whole set
   would take to segment at that speed;
2. the time to write the documents, their paragraphs and the search entries with their words — the
   database's full-text index (FTS5 table kept by triggers / generated tsvector with a GIN index) is
   built as the rows go in — and the index's size;
3. p50/p95 of ``archive.search.search`` end to end (count, one page of 20 hits, their snippets) for
   one-word and two-word queries drawn from the paragraphs, with unit and role filters, and as a
   unit's reporter (the permission filter), beside the same count done by a trivial query.

A paragraph's words are the concatenation of its sentences' words: jieba cuts every run of Chinese
text between punctuation on its own, so each sentence is segmented once (checked on a sample).
Only the loopback PostgreSQL at 127.0.0.1:5432 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = f"taizhang_search_bench_{os.getpid()}"
PG_BENCH = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
PER_DOCUMENT = 100
UNITS = 40
YEARS = (2021, 2022, 2023, 2024, 2025)
ROLES = ("summary", "summary", "summary", "highlight", "problem", "plan", "plan", "other")
SEED = 20260101


# ------------------------------------------------------------------ sentences and paragraphs


def corpus_sentences() -> list[str]:
    if not CORPUS.is_dir():
        sys.exit(f"search_load: 需要 ../shared/corpus（未找到 {CORPUS}）")
    found: set[str] = set()
    for path in sorted(CORPUS.glob("*.txt")):
        text = re.sub(r"##paid(?:begin|end)##", "", path.read_text(encoding="utf-8"))
        for sentence in re.findall(r"[^。！？；\n]{8,}[。！？；]", text):
            found.add(sentence.strip())
    return sorted(found)


def paragraph_plan(sentences: int, count: int) -> list[list[int]]:
    rng = random.Random(SEED)
    return [[rng.randrange(sentences) for _ in range(rng.randint(2, 5))] for _ in range(count)]


# ------------------------------------------------------------------ the worker (one database)


def worker(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from taizhang.accounts.models import Role, Unit, User
    from taizhang.archive.models import ArchivedDocument, ArchivedParagraph, EntryKind, SearchEntry
    from taizhang.archive.search import Filters, search
    from taizhang.archive.search.backends import backend
    from taizhang.archive.search.words import index_words

    out: dict[str, object] = {"db": connection.vendor}
    sentences = corpus_sentences()
    plan = paragraph_plan(len(sentences), args.paragraphs)

    # 1. jieba on a sample, and the per-sentence words used below (checked equal on the sample)
    sample = [("".join(sentences[i] for i in p)) for p in plan[:2000]]
    started = time.perf_counter()
    sample_words = [index_words(text) for text in sample]
    took = time.perf_counter() - started
    chars = sum(len(t) for t in sample)
    out["jieba_chars_per_s"] = chars / took
    words_of = [index_words(s) for s in sentences]
    mismatches = sum(
        " ".join(words_of[i] for i in p) != w for p, w in zip(plan[:2000], sample_words, strict=True)
    )
    out["sentence_words_mismatch"] = mismatches
    total_chars = sum(len(sentences[i]) for p in plan for i in p)
    out["total_chars"] = total_chars
    out["jieba_projected_s"] = total_chars / out["jieba_chars_per_s"]  # type: ignore[operator]

    # 2. documents, paragraphs, entries (the full-text index follows the entries)
    root = Unit.objects.create(name="基准市", code="B")
    units = Unit.objects.bulk_create(
        [Unit(name=f"基准单位{n:02d}", parent=root, code=f"B{n:02d}") for n in range(UNITS)]
    )
    reporter = User.objects.create_user("bench_reporter", password="x", role=Role.REPORTER, unit=units[0])
    size_before = _db_bytes(connection)
    rng = random.Random(SEED + 1)
    started = time.perf_counter()
    write_s = 0.0
    for start in range(0, len(plan), args.batch):
        chunk = plan[start : start + args.batch]
        docs = ArchivedDocument.objects.bulk_create(
            [
                ArchivedDocument(
                    title=f"基准文档{(start + k) // PER_DOCUMENT}",
                    unit=units[((start + k) // PER_DOCUMENT) % UNITS],
                    year=YEARS[((start + k) // PER_DOCUMENT) % len(YEARS)],
                    kind="summary",
                )
                for k in range(0, len(chunk), PER_DOCUMENT)
            ]
        )
        paragraphs = ArchivedParagraph.objects.bulk_create(
            [
                ArchivedParagraph(
                    document=docs[k // PER_DOCUMENT],
                    line=k % PER_DOCUMENT + 1,
                    role=rng.choice(ROLES),
                    text="".join(sentences[i] for i in p),
                )
                for k, p in enumerate(chunk)
            ]
        )
        entries = [
            SearchEntry(
                kind=EntryKind.PARAGRAPH,
                paragraph=para,
                document=para.document,
                unit_id=para.document.unit_id,
                year=para.document.year,
                role=para.role,
                doc_kind="summary",
                line=para.line,
                words=" ".join(words_of[i] for i in p),
            )
            for para, p in zip(paragraphs, chunk, strict=True)
        ]
        t = time.perf_counter()
        SearchEntry.objects.bulk_create(entries)
        write_s += time.perf_counter() - t
        if (start // args.batch) % 20 == 0:
            print(f"  {connection.vendor}: {start + len(chunk):,} paragraphs", file=sys.stderr, flush=True)
    out["load_s"] = time.perf_counter() - started
    out["entries_write_s"] = write_s
    t = time.perf_counter()
    backend().optimize()
    out["optimize_s"] = time.perf_counter() - t
    out["db_bytes"] = _db_bytes(connection) - size_before
    out["index_bytes"] = backend().index_bytes()
    out["paragraphs"] = len(plan)

    # 3. queries: words drawn from the paragraphs themselves, so that each query finds something
    qrng = random.Random(SEED + 2)

    def words(n: int) -> str:
        while True:
            p = plan[qrng.randrange(len(plan))]
            pool = [w for i in p for w in words_of[i].split() if len(w) >= 2 and not w.isdigit()]
            if len(pool) >= n:
                return " ".join(qrng.sample(pool, n))

    kinds = {
        "one word": [(words(1), None, Filters()) for _ in range(args.queries)],
        "two words": [(words(2), None, Filters()) for _ in range(args.queries)],
        "two words, unit+role": [
            (words(2), None, Filters(unit_id=units[qrng.randrange(UNITS)].pk, role="plan"))
            for _ in range(args.queries)
        ],
        "two words, as a reporter": [(words(2), reporter, Filters()) for _ in range(args.queries)],
    }
    search("工作")  # warm: jieba's dictionary, connections, caches
    timings: dict[str, dict[str, float]] = {}
    for name, queries in kinds.items():
        samples, totals = [], []
        for query, user, filters in queries:
            t = time.perf_counter()
            results = search(query, user=user, filters=filters)
            samples.append((time.perf_counter() - t) * 1000)
            totals.append(results.total)
        timings[name] = _percentiles(samples) | {"median_hits": statistics.median(totals)}
    # where one-word queries spend their time: the capped count, one page of ids, the hits
    from taizhang.archive.search import count_matches, load_hits, matching_ids
    from taizhang.archive.search.words import query_terms

    parts: dict[str, list[float]] = {"count": [], "ids": [], "hits": []}
    for query, _, _ in kinds["one word"]:
        terms = query_terms(query)
        entries = SearchEntry.objects.all()
        t0 = time.perf_counter()
        total = count_matches(terms, entries)
        t1 = time.perf_counter()
        ids = matching_ids(terms, entries, 20, ranked=total < 1000)
        t2 = time.perf_counter()
        load_hits(ids, terms)
        t3 = time.perf_counter()
        for key, value in (("count", t1 - t0), ("ids", t2 - t1), ("hits", t3 - t2)):
            parts[key].append(value * 1000)
    for key, values in parts.items():
        timings[f"  one word: {key}"] = _percentiles(values)
    samples = []
    for _ in range(args.queries):
        t = time.perf_counter()
        SearchEntry.objects.filter(pk=qrng.randrange(1, len(plan))).exists()
        samples.append((time.perf_counter() - t) * 1000)
    timings["trivial query (one row by key)"] = _percentiles(samples)
    out["queries"] = timings
    print(json.dumps(out))


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
    }


def _db_bytes(connection: object) -> int:
    from django.conf import settings
    from django.db import connection as conn

    if conn.vendor == "sqlite":
        path = Path(str(settings.DATABASES["default"]["NAME"]))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# ------------------------------------------------------------------ the runner


def run(db: str, args: argparse.Namespace) -> dict[str, object]:
    with contextlib.ExitStack() as stack:
        if args.keep:
            tmp = tempfile.mkdtemp(prefix="tz-search-bench-")
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="tz-search-bench-"))
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["TAIZHANG_DATA_DIR"] = tmp
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
            env["DATABASE_URL"] = PG_BENCH
        try:
            command = [sys.executable, __file__, "--worker", "--paragraphs", str(args.paragraphs)]
            command += ["--queries", str(args.queries), "--batch", str(args.batch)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            sys.stderr.write(done.stderr[-3000:] if done.returncode else "")
            if done.returncode:
                sys.exit(f"search_load: the {db} run failed")
            result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
            return result
        finally:
            if args.keep:
                print(
                    f"kept: TAIZHANG_DATA_DIR={tmp}"
                    + (f" DATABASE_URL={PG_BENCH}" if db == "postgres" else "")
                )
            elif db == "postgres":
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def report(r: dict[str, object]) -> None:
    mb = 1024 * 1024
    print(f"\n== {r['db']}: {r['paragraphs']:,} paragraphs, {int(r['total_chars']) / 1e6:.1f} M characters")  # type: ignore[call-overload]
    print(
        f"jieba: {float(r['jieba_chars_per_s']) / 1000:.0f} k characters/s "  # type: ignore[arg-type]
        f"→ {float(r['jieba_projected_s']):.0f} s to segment all (sentence words differ on "  # type: ignore[arg-type]
        f"{r['sentence_words_mismatch']} of 2,000 sampled paragraphs)"
    )
    index = r["index_bytes"]
    print(
        f"load: {float(r['load_s']):.0f} s in all, of which writing the entries and their index "  # type: ignore[arg-type]
        f"{float(r['entries_write_s']):.0f} s; optimize {float(r['optimize_s']):.1f} s"  # type: ignore[arg-type]
    )
    print(
        f"size: database +{int(r['db_bytes']) / mb:.0f} MB; full-text index "  # type: ignore[call-overload]
        + (f"{int(index) / mb:.0f} MB" if index is not None else "n/a")  # type: ignore[call-overload]
    )
    print(f"{'query':<34}{'p50 ms':>9}{'p95 ms':>9}{'median hits':>13}")
    for name, t in r["queries"].items():  # type: ignore[attr-defined]
        hits = f"{t['median_hits']:>13.0f}" if "median_hits" in t else ""
        print(f"{name:<34}{t['p50']:>9.1f}{t['p95']:>9.1f}{hits}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--paragraphs", type=int, default=1_000_000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--keep", action="store_true", help="keep the data folder / database (for EXPLAIN)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        worker(args)
        return
    corpus_sentences()  # fail early, in the parent, when ../shared is missing
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        started = time.perf_counter()
        report(run(db, args))
        print(f"({db} run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
