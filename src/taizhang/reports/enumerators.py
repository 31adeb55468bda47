"""Heading enumerators (一、 （一） 1. （1）) and run-in enumerations (一是…二是…) — PARSE.md §4, §5."""

from __future__ import annotations

from typing import NamedTuple

from .lazyre import lazy

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


class Enumerator(NamedTuple):  # a tuple: one is made for nearly every line
    level: int  # 1..4
    number: int
    standard: bool  # False for mistyped forms such as `五.` or `(二)` read by their neighbours
    end: int  # index in the line where the heading text starts


_L1 = lazy(rf"^({_CN})\s*([、，,.．])\s*")
_L2 = lazy(rf"^([（(])\s*({_CN})\s*([）)])\s*")
_L3 = lazy(r"^(\d{1,2})\s*([.．、])\s*(?=\D)")
_L4 = lazy(r"^([（(])\s*(\d{1,2})\s*([）)])\s*")


_ENUM_FIRST = frozenset("一二三四五六七八九十（(0123456789０１２３４５６７８９")  # what `_L1`…`_L4` open with


def match_enumerator(text: str) -> Enumerator | None:
    """The heading enumerator at the start of a cleaned line, if any."""
    first = text[:1]
    if first not in _ENUM_FIRST:
        return None
    if first in CN_DIGITS:  # only `_L1` opens with a Chinese numeral
        m = _L1.match(text)
        if m:
            number = cn_to_int(m.group(1))
            if number:
                return Enumerator(1, number, m.group(2) == "、", m.end())
        return None
    if first in "（(":  # only `_L2` and `_L4` open with a bracket
        m = _L2.match(text)
        if m:
            number = cn_to_int(m.group(2))
            if number:
                return Enumerator(2, number, m.group(1) == "（" and m.group(3) == "）", m.end())
        m = _L4.match(text)
        if m:
            return Enumerator(4, int(m.group(2)), m.group(1) == "（" and m.group(3) == "）", m.end())
        return None
    m = _L3.match(text)  # the rest open with a digit: only `_L3` does
    if m and not text.startswith(("年", "月", "日", "%", "％", "万", "亿"), m.end()):
        return Enumerator(3, int(m.group(1)), m.group(2) != ".", m.end())
    return None


# Run-in enumerations inside a paragraph. A candidate must follow a clause boundary,
# so `统一是` or `进一步要` never count.
_BOUNDARY = '。；;，,：:！？!?）)”" '
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class RunIn(NamedTuple):
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


# The three forms in one pattern, so a paragraph is scanned once. Their characters never overlap
# (Chinese numerals, bracketed digits, circled digits), so the matches are those of three scans.
# The pattern opens on a class of every form's first character, consumed, and a lookbehind then
# tells the form: the scan tests that class alone at each position and tries the pattern only at
# candidates (opening with a lookahead or with groups, the whole pattern would be tried at every
# position, twice as slow). `cn` holds the numerals after the first one.
_CN_CHAR = "一二三四五六七八九十"
_RUNIN_ANY = lazy(
    rf"[{_CN_CHAR}（({_CIRCLED}]"
    rf"(?:(?<=[{_CN_CHAR}])(?P<cn>[{_CN_CHAR}]{{0,2}})(?:是|要)|(?<=[（(])(?P<paren>\d{{1,2}})[）)]"
    rf"|(?<=[{_CIRCLED}]))"
)

Candidates = dict[str, list[RunIn]]


def runin_candidates(text: str) -> Candidates:
    """Every run-in enumerator of a paragraph by kind, in text order (before numbering is checked)."""
    groups: Candidates = {}
    for m in _RUNIN_ANY.finditer(text):
        kind = m.lastgroup
        if kind == "cn":
            if not _at_boundary(text, m.start()):
                continue
            number = cn_to_int(text[m.start() : m.end("cn")])
            if number and text[m.end() : m.end() + 1] != "否":
                # `一要…二要…三要…四是…` mixes the two forms in one list.
                groups.setdefault("cn", []).append(RunIn(m.start(), m.end(), number))
        elif kind == "paren":
            groups.setdefault("paren", []).append(RunIn(m.start(), m.end(), int(m.group("paren"))))
        else:  # a circled digit, the match's one character
            groups.setdefault("circled", []).append(RunIn(m.start(), m.end(), _CIRCLED.index(m.group()) + 1))
    return groups


def runin_at_start(text: str) -> bool:
    """Whether a run-in enumerator stands at the start of `text`: without one there, no list found
    in it starts there (`find_runins(text)[0].start == 0`), and the whole text need not be read."""
    return _RUNIN_ANY.match(text) is not None


def find_runins(text: str, allow_continue: bool = False) -> list[RunIn]:
    """Run-in enumerators of one paragraph (一是…二是…, 一要…, （1）…（2）…, ①…②…).

    With `allow_continue`, a paragraph may open with `二是` continuing the previous paragraph.
    """
    return best_runins(runin_candidates(text), allow_continue)


def best_runins(groups: Candidates, allow_continue: bool = False) -> list[RunIn]:
    """`find_runins` from the paragraph's `runin_candidates`."""
    best: list[RunIn] = []
    # Kinds in the order the separate scans used to report them: the first longest list wins a tie.
    for kind in ("cn", "paren", "circled"):
        cands = groups.get(kind)
        if cands is None:
            continue
        first = 1
        if allow_continue and cands[0].start == 0 and kind == "cn":
            first = cands[0].number
        seq = _sequence(cands, first)
        # A lone `（1）` or `①` is more often a citation than a list; a lone `一是` is a list.
        if kind in ("paren", "circled") and len(seq) < 2:
            continue
        if len(seq) > len(best) or (len(seq) == len(best) and seq and best and seq[0].start < best[0].start):
            best = seq
    return best


# `_RUNIN_ANY`'s forms, opening on their first characters alike.
_OPENER = lazy(
    rf"[{_CN_CHAR}（({_CIRCLED}]"
    rf"(?:(?<=[{_CN_CHAR}])[{_CN_CHAR}]{{0,2}}[是要]|(?<=[（(])\d{{1,2}}[）)]|(?<=[{_CIRCLED}]))"
)


def may_open_runin(text: str, stop: int, start: int = 0) -> bool:
    """Whether a run-in enumerator (of any number) occurs in text[start + 1:stop]: cheap, before
    `find_runins`."""
    return _OPENER.search(text, start + 1, stop) is not None


def split_runins(text: str, runins: list[RunIn]) -> list[str]:
    """Item texts: from after each enumerator to the next one (trailing `；，` dropped)."""
    items = []
    for i, r in enumerate(runins):
        stop = runins[i + 1].start if i + 1 < len(runins) else len(text)
        items.append(strip_item(text[r.end : stop]))
    return items


def strip_item(text: str) -> str:
    return text.strip().rstrip("；;，,、：: ").strip()


# Un-numbered run-in heads (PARSE.md §5.2): `强化项目保障。统筹用地指标…` opens with a short clause
# closed by `。`. A clause that opens a general statement (`2024年，我局将…`, `总之`) is no head.
_HEAD_MAX = 24
_PARALLEL_HEAD_MAX = 8
_HEAD_PUNCT = frozenset("，,；;：:、！？!?")
_GENERAL_OPENER = lazy(
    r"^(?:我们|我局|我委|我办|我县|我市|我区|我镇|我乡|我社|本局|总之|综上|总而言之|新的一年|今后|下一步|下步|"
    r"[\dxX]{4}年|今年|明年|全年|目前|当前|同时|此外|另外|其中)"
)


def runin_head(text: str) -> int:
    """Where the body of an un-numbered run-in item starts (after its head's `。`), or 0 if none."""
    stop = text.find("。", 0, _HEAD_MAX + 1)
    if stop < 2 or stop + 1 >= len(text):
        return 0
    head = text[:stop]
    if _HEAD_PUNCT.intersection(head) or _GENERAL_OPENER.match(head):
        return 0
    return stop + 1


def find_parallel(text: str) -> list[int]:
    """Starts of parallel run-in items strung in one paragraph (`稳粮。…。扩经。…。强链。…`).

    Parallel heads are short sentences of one length, the first opening the paragraph, each
    followed by a body of its own; fewer than two such heads is no list (empty result).
    """
    if text.count("。") < 3:
        return []
    sentences: list[tuple[int, int]] = []  # (start, length) of each sentence closed by `。`
    start = 0
    while True:
        stop = text.find("。", start)
        if stop < 0:
            if start < len(text):
                sentences.append((start, len(text) - start))
            break
        sentences.append((start, stop - start))
        start = stop + 1
    width = sentences[0][1]
    if not 1 <= width <= _PARALLEL_HEAD_MAX or _HEAD_PUNCT.intersection(text[:width]):
        return []
    heads: list[int] = []
    body = True
    for start, length in sentences:
        is_head = length == width and not _HEAD_PUNCT.intersection(text[start : start + length])
        if is_head and body:
            heads.append(start)
            body = False
        elif not is_head:
            body = True
        else:
            return []  # two heads in a row: a string of short sentences, not items
    if not body:
        return []  # the last head has no body
    return heads if len(heads) >= 2 else []


def split_parallel(text: str, starts: list[int]) -> list[str]:
    """Item texts of parallel run-in items: each head with its body."""
    ends = [*starts[1:], len(text)]
    return [strip_item(text[s:e]) for s, e in zip(starts, ends, strict=True)]
