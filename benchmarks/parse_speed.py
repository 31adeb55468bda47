"""How fast, and in how much memory, `taizhang.reports.parse_text` reads a large compilation.

Concatenates every file of ../shared/corpus, repeats the text to at least 30 MB and parses
it twice: once timed (tracing slows Python down several times, so speed is measured
without it) and once under tracemalloc for the peak of Python allocations. Prints
figures; asserts nothing.

    .venv/bin/python benchmarks/parse_speed.py
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

TARGET_BYTES = 30 * 1024 * 1024
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MB = 1024 * 1024


def load_corpus() -> str:
    if not CORPUS.is_dir():
        sys.exit(f"parse_speed: corpus not found at {CORPUS} (the project's ../shared folder is missing)")
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    if not files:
        sys.exit(f"parse_speed: no files in {CORPUS}")
    from taizhang.reports.loader import read_lines

    # The loader, not read_text: the corpus may hold .docx files or GB18030 text.
    return "\n".join("\n".join(read_lines(p)) for p in files) + "\n"


def main() -> int:
    from taizhang.reports import parse_text

    corpus = load_corpus()
    corpus_bytes = len(corpus.encode("utf-8"))
    repeats = -(-TARGET_BYTES // corpus_bytes)  # ceiling division
    text = corpus * repeats
    size = corpus_bytes * repeats
    del corpus
    print(f"input: {CORPUS} x{repeats} = {size / MB:.1f} MB, {text.count(chr(10)):,} lines")

    started = time.perf_counter()
    result = parse_text(text, source="benchmark")
    elapsed = time.perf_counter() - started
    print(f"parse_text: {elapsed:.2f} s, {size / MB / elapsed:.1f} MB/s, {len(result.documents):,} documents")
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
