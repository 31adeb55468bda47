"""Templates ask the models' properties (``report.is_pending``, ``user.is_supervisor``,
``task.is_closed``) instead of comparing a state, status or role with a string: a renamed or added
state then changes one property, not every template that spelled the old string."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import taizhang

pytestmark = pytest.mark.nodb

SRC = Path(taizhang.__file__).parent
# `x.state == "pending"`, `user.role != 'supervisor'`, `"done" == task.status` inside {% … %}
COMPARISON = re.compile(
    r"""\.(?:state|status|role)\s*[!=]=\s*["']|["']\s*[!=]=\s*[\w.]+\.(?:state|status|role)\b"""
)


def comparisons(text: str) -> list[str]:
    return [tag for tag in re.findall(r"{%.*?%}", text, flags=re.S) if COMPARISON.search(tag)]


def test_the_check_finds_a_state_compared_with_a_string() -> None:
    assert comparisons('{% if report.state == "pending" %}x{% endif %}')
    assert comparisons("{% if 'done' != task.status %}x{% endif %}")
    assert not comparisons("{% if report.is_pending %}{{ report.state }}{% endif %}")


def test_templates_compare_no_state_status_or_role_with_a_string() -> None:
    found = {
        str(path.relative_to(SRC)): comparisons(path.read_text(encoding="utf-8"))
        for path in sorted(SRC.rglob("templates/**/*.html"))
    }
    assert {name: tags for name, tags in found.items() if tags} == {}
