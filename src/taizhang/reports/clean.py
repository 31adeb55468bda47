"""Line cleaning (PARSE.md §2): paywall markers, odd spaces, advert and header lines.

Cleaning never adds or removes lines, so line numbers stay those of the input file.
"""

from __future__ import annotations

import re

_PAYWALL = re.compile(r"##\s*paid\s*(?:begin|end)\s*##", re.IGNORECASE)
# U+2002..U+200B, NBSP, ideographic space, tabs: all become one plain space.
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u3000\t\f\v\ufeff]+")
# Two spaces and any more (` {2,}`): opening with a literal, the search skips to the first two spaces
# instead of trying the pattern at every position (twenty times faster over a long text).
_MULTI_SPACE = re.compile(r"  +")
# Advert debris at the end of compilations: bracketed shop names and sales talk.
_ADVERT = re.compile(
    r"^【[^】]{0,20}(?:素材|代笔|资料|文库|范文|公文)[^】]{0,10}】|素材库|添加客服|会员群|网盘群|代笔（润笔）"
)
_PIAN_PREFIX = re.compile(r"^篇\s*[0-9一二三四五六七八九十百]+\s*[：:]\s*")
# A compilation header: "...汇编", or a count line such as "（6篇）".
_HEADER_COUNT = re.compile(r"[（(]\s*\d+\s*篇\s*[）)]\s*$")
_HUIBIAN_BRACKET = re.compile(r"汇编\s*[（(]")


def clean_line(raw: str) -> str:
    """Remove paywall markers and normalise spaces; keep every other character as written."""
    text = _PAYWALL.sub("", raw) if "#" in raw else raw
    text = _ODD_SPACE.sub(" ", text)
    text = _MULTI_SPACE.sub(" ", text)
    return text.strip()


# `_ODD_SPACE`'s characters. Each becoming a space, then `_MULTI_SPACE`, gives what the two patterns
# give (a run of spaces and odd spaces ends as one space), and `in` and `replace` are far faster
# than a scan by a character class.
_ODD_SPACE_CHARS = "\u00a0" + "".join(map(chr, range(0x2000, 0x200C))) + "\u3000\t\f\v\ufeff"


def clean_lines(raw: list[str]) -> list[str]:
    """`clean_line` of every line, the spaces normalised over the whole text at once (no pattern
    crosses a line end)."""
    flat = "".join(raw)
    # Most texts hold no odd space and no run of spaces: a line is then only stripped (a line with
    # a paywall marker is cleaned by itself). One C pass tells: `isprintable` is false for a tab,
    # every odd space (categories Zs and Cf but the plain space) and a line end inside a line, and
    # the plain space is the only blank `strip` would still remove.
    if flat.isprintable() and not _MULTI_SPACE.search(flat):
        return [clean_line(line) if "#" in line else line.strip() for line in raw]
    del flat
    text = "\n".join(raw)
    if "#" in text:  # paywall markers, line by line (one search of the text finds whether any is)
        text = "\n".join(_PAYWALL.sub("", line) if "#" in line else line for line in raw)
    if text.count("\n") != max(len(raw) - 1, 0):
        return [clean_line(line) for line in raw]  # a line holds a line end of its own
    for char in _ODD_SPACE_CHARS:
        if char in text:
            text = text.replace(char, " ")
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    return [line.strip() for line in text.split("\n")] if raw else []


def is_advert(text: str) -> bool:
    # `_ADVERT` opens at the line's start or is one of its literal words: `in` is far faster than
    # the pattern's search, and `in` for one character (a memchr) several times faster than for a
    # word, so each word is looked for only in a line holding one of its rarer characters.
    if text.startswith("【") and _ADVERT.match(text):
        return True
    return (
        ("素" in text and "素材库" in text)
        or ("客" in text and "添加客服" in text)
        or ("群" in text and ("会员群" in text or "网盘群" in text))
        or ("笔" in text and "代笔（润笔）" in text)
    )


def strip_pian_prefix(text: str) -> str:
    """`篇1：交通运输2023年…` -> `交通运输2023年…`."""
    return _PIAN_PREFIX.sub("", text)


def has_pian_prefix(text: str) -> bool:
    return bool(_PIAN_PREFIX.match(text))


def is_compilation_header(text: str) -> bool:
    """Lines that introduce a compilation and belong to no document."""
    if not text or len(text) > 80:
        return False
    if "篇" in text and _HEADER_COUNT.search(text):
        return True
    return "汇编" in text and (text.endswith("汇编") or bool(_HUIBIAN_BRACKET.search(text)))
