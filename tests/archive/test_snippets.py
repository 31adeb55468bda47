"""Snippets: the window around the words found, marked, and escaped."""

from __future__ import annotations

import pytest

from taizhang.archive.search.snippets import matches, snippet

pytestmark = pytest.mark.nodb


def test_matches_are_marked_and_everything_else_escaped() -> None:
    found = snippet('<script>alert("x")</script>持续优化营商环境&改革', ["营商", "环境"])
    assert str(found.html) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;持续优化<mark>营商</mark><mark>环境</mark>&amp;改革"
    )
    assert found.plain == '<script>alert("x")</script>持续优化营商环境&改革'


def test_matching_ignores_case_and_prefers_longer_terms() -> None:
    assert matches("交通运输局和ABC", ["交通", "交通运输", "abc"]) == [(0, 4), (6, 9)]


def test_a_long_paragraph_shows_the_window_with_the_most_terms() -> None:
    text = "环境" + "甲" * 200 + "优化营商环境" + "乙" * 200
    found = snippet(text, ["营商", "环境"], width=40)
    assert "营商环境" in found.plain and found.cut_before and found.cut_after
    assert found.bracketed.count("【") == 2
    assert len(found.text) == 40


def test_a_short_paragraph_is_shown_whole() -> None:
    found = snippet("完成县道改造48公里。", ["县道"])
    assert found.bracketed == "完成【县道】改造48公里。"
