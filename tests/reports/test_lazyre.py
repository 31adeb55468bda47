"""Patterns compiled on first use behave as compiled ones."""

from __future__ import annotations

import re

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
