"""Indicators and placeholders (PARSE.md §7). Placeholder version; indicators land next."""

from __future__ import annotations

import re

from .model import Indicator

_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[xX]+(?:[.．,][xX]+)*(?![A-Za-z])")


def count_placeholders(lines: list[str]) -> int:
    return sum(len(_PLACEHOLDER.findall(t)) for t in lines)


def find_indicators(cleaned: list[str], start: int, end: int, plan_lines: set[int]) -> list[Indicator]:
    return []
