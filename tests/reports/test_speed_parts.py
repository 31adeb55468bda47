"""What the parse does for speed changes nothing it reads: lazy patterns, first-character checks, gc."""

from __future__ import annotations

import gc
import re
import subprocess
import sys

from taizhang.reports import parse_text
from taizhang.reports.enumerators import match_enumerator
from taizhang.reports.lazyre import lazy


def test_lazy_pattern_matches_like_the_compiled_one() -> None:
    pattern = lazy(r"(?P<n>\d+)万元")
    compiled = re.compile(r"(?P<n>\d+)万元")
    text = "安排资金12万元，另有3万元"
    assert [m.group("n") for m in pattern.finditer(text)] == [m.group("n") for m in compiled.finditer(text)]
    assert pattern.sub("", text) == compiled.sub("", text)
    assert pattern.pattern == compiled.pattern


def test_full_width_digits_still_open_a_heading() -> None:
    enum = match_enumerator("１．加强项目管理")
    assert enum is not None and (enum.level, enum.number) == (3, 1)
    assert match_enumerator("加强项目管理") is None


def test_parse_pauses_the_cyclic_collector_and_resumes_it() -> None:
    assert gc.isenabled()
    doc = parse_text("县住建局2026年工作计划\n一、重点工作\n（一）加强监管。\n").documents[0]
    assert [t.text for t in doc.tasks] == ["加强监管。"]
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text("县住建局2026年工作计划\n")
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_importing_the_package_loads_the_engine_on_first_use() -> None:
    code = (
        "import sys, taizhang.reports as r\n"
        "print('taizhang.reports.indicators' in sys.modules)\n"
        "r.parse_text('x')\n"
        "print('taizhang.reports.indicators' in sys.modules, r.ParseResult.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "ParseResult"]
