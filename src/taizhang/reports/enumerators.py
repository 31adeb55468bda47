"""Heading enumerators (一、 （一） 1. （1）) and run-in enumerations (一是…二是…) — PARSE.md §4, §5."""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN = "[一二三四五六七八九十]{1,3}"


def cn_to_int(text: str) -> int:
    """Chinese numerals up to 99: 一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23."""
    if not text:
        return 0
    if "十" not in text:
        return CN_DIGITS.get(text, 0) if len(text) == 1 else 0
    head, _, tail = text.partition("十")
    tens = CN_DIGITS.get(head, 0) if head else 1
    ones = CN_DIGITS.get(tail, 0) if tail else 0
    return tens * 10 + ones


@dataclass(frozen=True)
class Enumerator:
    level: int  # 1..4
    number: int
    standard: bool  # False for mistyped forms such as `五.` or `(二)` read by their neighbours
    end: int  # index in the line where the heading text starts


_L1 = re.compile(rf"^({_CN})\s*([、，,.．])\s*")
_L2 = re.compile(rf"^([（(])\s*({_CN})\s*([）)])\s*")
_L3 = re.compile(r"^(\d{1,2})\s*([.．、])\s*(?=\D)")
_L4 = re.compile(r"^([（(])\s*(\d{1,2})\s*([）)])\s*")


def match_enumerator(text: str) -> Enumerator | None:
    """The heading enumerator at the start of a cleaned line, if any."""
    m = _L1.match(text)
    if m:
        number = cn_to_int(m.group(1))
        if number:
            return Enumerator(1, number, m.group(2) == "、", m.end())
    m = _L2.match(text)
    if m:
        number = cn_to_int(m.group(2))
        if number:
            return Enumerator(2, number, m.group(1) == "（" and m.group(3) == "）", m.end())
    m = _L3.match(text)
    if m and not text[m.end() :].startswith(("年", "月", "日", "%", "％", "万", "亿")):
        return Enumerator(3, int(m.group(1)), m.group(2) != ".", m.end())
    m = _L4.match(text)
    if m:
        return Enumerator(4, int(m.group(2)), m.group(1) == "（" and m.group(3) == "）", m.end())
    return None


# Run-in enumerations inside a paragraph. A candidate must follow a clause boundary,
# so `统一是` or `进一步要` never count.
_BOUNDARY = '。；;，,：:！？!?）)”" '
_RUNIN_CN = re.compile(rf"({_CN})(是|要)")
_RUNIN_PAREN = re.compile(r"[（(](\d{1,2})[）)]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_RUNIN_CIRCLED = re.compile(f"[{_CIRCLED}]")


@dataclass(frozen=True)
class RunIn:
    start: int  # where the enumerator starts
    end: int  # where the item text starts
    number: int


def _at_boundary(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] in _BOUNDARY


def _sequence(cands: list[RunIn], first: int) -> list[RunIn]:
    """Longest run of candidates numbered first, first+1, … in text order."""
    out: list[RunIn] = []
    want = first
    for c in cands:
        if c.number == want:
            out.append(c)
            want += 1
    return out


def find_runins(text: str, allow_continue: bool = False) -> list[RunIn]:
    """Run-in enumerators of one paragraph (一是…二是…, 一要…, （1）…（2）…, ①…②…).

    With `allow_continue`, a paragraph may open with `二是` continuing the previous paragraph.
    """
    best: list[RunIn] = []
    groups: dict[str, list[RunIn]] = {}
    for m in _RUNIN_CN.finditer(text):
        if not _at_boundary(text, m.start()):
            continue
        number = cn_to_int(m.group(1))
        if number and text[m.end() : m.end() + 1] != "否":
            # `一要…二要…三要…四是…` mixes the two forms in one list.
            groups.setdefault("cn", []).append(RunIn(m.start(), m.end(), number))
    for m in _RUNIN_PAREN.finditer(text):
        groups.setdefault("paren", []).append(RunIn(m.start(), m.end(), int(m.group(1))))
    for m in _RUNIN_CIRCLED.finditer(text):
        groups.setdefault("circled", []).append(RunIn(m.start(), m.end(), _CIRCLED.index(m.group()) + 1))
    for kind, cands in groups.items():
        first = 1
        if allow_continue and cands and cands[0].start == 0 and kind == "cn":
            first = cands[0].number
        seq = _sequence(cands, first)
        # A lone `（1）` or `①` is more often a citation than a list; a lone `一是` is a list.
        if kind in ("paren", "circled") and len(seq) < 2:
            continue
        if len(seq) > len(best) or (len(seq) == len(best) and seq and best and seq[0].start < best[0].start):
            best = seq
    return best


def split_runins(text: str, runins: list[RunIn]) -> list[str]:
    """Item texts: from after each enumerator to the next one (trailing `；，` dropped)."""
    items = []
    for i, r in enumerate(runins):
        stop = runins[i + 1].start if i + 1 < len(runins) else len(text)
        items.append(strip_item(text[r.end : stop]))
    return items


def strip_item(text: str) -> str:
    return text.strip().rstrip("；;，,、：: ").strip()
