"""How fast, and in how much memory, the engine reads a large compilation.

Concatenates every file of ../shared/corpus, repeats the text to at least 30 MB, writes it to
a scratch file and measures, in the same run (so a busy machine slows both alike):

- one regex pass: a single compiled pattern (figures with a money or rate unit) run with
  `finditer` over the whole text, in this process — the floor any reader of the text pays;
- the whole process `taizhang parse FILE --json > /dev/null`: interpreter start, imports,
  reading and decoding the file, parsing and writing the JSON, by wall clock;
- `parse_text` in this process, once timed and once under tracemalloc for peak memory.

The ratio of the whole process to one regex pass is the figure issue 7 sets (at least 1/8).
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/parse_speed.py
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TARGET_BYTES = 30 * 1024 * 1024
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MB = 1024 * 1024
# What the 40-line regex script of issue 2 looks for: a figure with a money or rate unit.
ONE_PASS = re.compile(r"[\dxX]+(?:\.[\dxX]+)?(?:%|％|个百分点|亿元|万元|元)")


def load_corpus() -> str:
    if not CORPUS.is_dir():
        sys.exit(f"parse_speed: corpus not found at {CORPUS} (the project's ../shared folder is missing)")
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    if not files:
        sys.exit(f"parse_speed: no files in {CORPUS}")
    from taizhang.reports.loader import read_lines

    # The loader, not read_text: the corpus may hold .docx files or GB18030 text.
    return "\n".join("\n".join(read_lines(p)) for p in files) + "\n"


def regex_pass(text: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds for one regex pass over `text`, each the best of three."""
    wall = cpu = float("inf")
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        sum(1 for _ in ONE_PASS.finditer(text))
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started)
    return wall, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(path: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of `taizhang parse FILE --json`, output discarded. CPU time is
    the steadier figure on a machine shared with other work (waiting for a core is not counted)."""
    cli = Path(sys.executable).with_name("taizhang")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "taizhang.cli"]
    started, started_cpu = time.perf_counter(), _children_cpu()
    subprocess.run([*command, "parse", str(path), "--json"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _children_cpu() - started_cpu


def main() -> int:
    corpus = load_corpus()
    corpus_bytes = len(corpus.encode("utf-8"))
    repeats = -(-TARGET_BYTES // corpus_bytes)  # ceiling division
    text = corpus * repeats
    size = corpus_bytes * repeats
    del corpus
    print(f"input: {CORPUS} x{repeats} = {size / MB:.1f} MB, {text.count(chr(10)):,} lines")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "benchmark.txt"
        path.write_text(text, encoding="utf-8")
        before = regex_pass(text)
        process, process_cpu = whole_process(path)
        after = regex_pass(text)
    one_pass, one_pass_cpu = min(before[0], after[0]), min(before[1], after[1])
    mbs = size / MB
    for label, wall, cpu in (
        ("one regex pass", one_pass, one_pass_cpu),
        ("taizhang parse --json", process, process_cpu),
    ):
        print(f"{label + ':':34} {mbs / wall:.1f} MB/s ({wall:.2f} s; CPU {cpu:.2f} s)")
    ratio, ratio_cpu = process / one_pass, process_cpu / one_pass_cpu
    print(f"{'process / regex pass:':34} 1/{ratio:.1f} wall, 1/{ratio_cpu:.1f} CPU")

    from taizhang.reports import parse_text

    started = time.perf_counter()
    result = parse_text(text, source="benchmark")
    elapsed = time.perf_counter() - started
    documents = len(result.documents)
    print(f"{'parse_text (in process):':34} {size / MB / elapsed:.1f} MB/s, {documents:,} documents")
    del result

    tracemalloc.start()
    parse_text(text, source="benchmark")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is KiB on Linux, bytes on macOS; it covers the whole process (text included).
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(f"tracemalloc peak (during parse): {peak / MB:.1f} MB, {peak / size:.1f}x the input")
    print(f"ru_maxrss (whole process):       {maxrss / MB:.1f} MB, {maxrss / size:.1f}x the input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
