"""Text follows the reader's browser font size (issue 12): no stylesheet fixes a size in pixels, and
the root's size is only ever a percentage of the browser's (大字版 is 125 % of it). Points are for
paper, inside ``@media print``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import taizhang

pytestmark = pytest.mark.nodb

SRC = Path(taizhang.__file__).parent
STYLESHEETS = sorted(SRC.rglob("static/**/*.css"))


def without_print(css: str) -> str:
    """The stylesheet with its ``@media print { … }`` blocks removed (nested braces counted)."""
    out, i = [], 0
    for match in re.finditer(r"@media\s+print\s*{", css):
        if match.start() < i:
            continue
        out.append(css[i : match.start()])
        depth, j = 1, match.end()
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        i = j
    out.append(css[i:])
    return "".join(out)


def fixed_sizes(css: str) -> list[str]:
    """``font-size`` or ``font`` declarations in absolute units (px, pt), print styles aside."""
    return re.findall(r"font(?:-size)?\s*:[^;}]*\b\d+(?:\.\d+)?(?:px|pt)\b[^;}]*", without_print(css))


def root_sizes(css: str) -> list[str]:
    """The font sizes given to the root (``:root`` or ``html``, with or without a class)."""
    found = []
    for selectors, body in re.findall(r"([^{}]+){([^{}]*)}", without_print(css)):
        if any(re.fullmatch(r"\s*(:root|html)([.:\[][^\s,]*)?\s*", s) for s in selectors.split(",")):
            found += re.findall(r"font-size\s*:\s*([^;]+)", body)
    return [size.strip() for size in found]


def test_the_checks_find_fixed_sizes() -> None:
    css = ":root { font-size: 16px; }\n.a { font: 12px/1.5 sans-serif }\n@media print { :root { font-size: 11pt } }"
    assert fixed_sizes(css) == ["font-size: 16px", "font: 12px/1.5 sans-serif "]
    assert root_sizes(css) == ["16px"]
    assert root_sizes("html.large-text { font-size: 125%; }") == ["125%"]
    assert fixed_sizes(".a { font-size: 0.9rem; min-height: 44px }") == []


def test_there_are_stylesheets_to_check() -> None:
    assert any(path.name == "app.css" for path in STYLESHEETS)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_no_text_size_is_fixed_in_pixels(path: Path) -> None:
    css = path.read_text(encoding="utf-8")
    assert fixed_sizes(css) == []
    assert all(size.endswith("%") for size in root_sizes(css)), root_sizes(css)


def test_large_text_enlarges_the_root_by_a_percentage() -> None:
    css = (SRC / "core/static/taizhang/app.css").read_text(encoding="utf-8")
    assert re.search(r"html\.large-text\s*{\s*font-size:\s*125%", css)
