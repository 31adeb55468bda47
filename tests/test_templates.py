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


# A field's help text is rendered in an element with the id Django's widget names in its
# aria-describedby (``<auto_id>_helptext``), so a screen reader reads the help with the field.
HELP_TEXT = re.compile(r"{{\s*([\w.]+)\.help_text\b[^}]*}}")


def untied_help_texts(text: str) -> list[str]:
    found = []
    for match in HELP_TEXT.finditer(text):
        field = match.group(1)
        opening = text[: match.start()].rsplit("<", 1)[-1]
        if f'id="{{{{ {field}.auto_id }}}}_helptext"' not in opening:
            found.append(match.group(0))
    return found


def test_the_check_finds_help_text_without_its_id() -> None:
    assert untied_help_texts('<span class="help">{{ form.text.help_text }}</span>') == [
        "{{ form.text.help_text }}"
    ]
    assert not untied_help_texts(
        '<span class="help" id="{{ form.text.auto_id }}_helptext">{{ form.text.help_text }}</span>'
    )
    assert untied_help_texts('<span id="{{ field.id_for_label }}_help">{{ field.help_text }}</span>')


def test_help_texts_carry_the_id_their_field_points_at() -> None:
    found = {
        str(path.relative_to(SRC)): untied_help_texts(path.read_text(encoding="utf-8"))
        for path in sorted(SRC.rglob("templates/**/*.html"))
    }
    assert {name: texts for name, texts in found.items() if texts} == {}
