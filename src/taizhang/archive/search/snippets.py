"""A paragraph's snippet around the words a query found, with the words marked.

One rule for every backend (the databases' own highlighters differ, and FTS5's needs the text
stored twice): the window opens a little before the first match, and every occurrence of a term
inside it is marked. The HTML form escapes the text and wraps matches in ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 120
LEAD = 30


@dataclass(frozen=True)
class Snippet:
    text: str  # the window, plain
    spans: tuple[tuple[int, int], ...]  # the matches in ``text``
    cut_before: bool
    cut_after: bool

    @property
    def plain(self) -> str:
        return ("…" if self.cut_before else "") + self.text + ("…" if self.cut_after else "")

    @property
    def bracketed(self) -> str:
        """Matches in 【】, for a terminal."""
        return self._render(lambda s: s, "【", "】")

    @property
    def html(self) -> SafeString:
        return mark_safe(self._render(escape, "<mark>", "</mark>"))

    def _render(self, esc: Callable[[str], str], open_: str, close: str) -> str:
        out = ["…" if self.cut_before else ""]
        at = 0
        for start, end in self.spans:
            out += [esc(self.text[at:start]), open_, esc(self.text[start:end]), close]
            at = end
        out += [esc(self.text[at:]), "…" if self.cut_after else ""]
        return "".join(out)


def matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` (case-insensitive), longest terms first, no overlaps."""
    lower = text.lower()
    taken = [False] * len(text)
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=lambda t: (-len(t), t)):
        start = lower.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((start, end))
            start = lower.find(term, end)
    return sorted(spans)


def snippet(text: str, terms: list[str], width: int = WIDTH) -> Snippet:
    """The window of ``width`` characters showing the most distinct terms (the earliest such)."""
    text = " ".join(text.split())
    lower = text.lower()
    spans = matches(text, terms)
    start = 0
    best = -1
    for candidate, _ in spans:
        opening = max(0, min(candidate - LEAD, len(text) - width))
        shown = {lower[s:e] for s, e in spans if s >= opening and e <= opening + width}
        if len(shown) > best:
            start, best = opening, len(shown)
    end = min(len(text), start + width)
    inside = tuple((max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start)
    return Snippet(text[start:end], inside, start > 0, end < len(text))
