"""`taizhang lint`: a linter for report drafts (DOMAIN.md §3.1, PARSE.md §2 and §7).

Rules (stable codes; messages are one-line Chinese naming the fault and the fix):

- TZ101 unfilled placeholder: a run of x/X standing for digits or a name (`xx亿元`, `第x位`, `xxx局`),
  or the mark Taizhang's own drafts leave where the ledger lacks a fact (`【待补充：…】`, ``draft_hole``)
- TZ102 letter mask: a capital letter standing for a Chinese word (`D的二十大`, `A新时代`, `AAA公众号`, `DP`)
- TZ103 paywall marker or advert line (`##paidbegin##`, `【某某素材库】…`)
- TZ201 numbering gap or out of order (`（一）` then `（三）`)
- TZ202 numbering repeat (`（七）` twice)
- TZ203 level jump (`（1）` directly under `一、` with no `（一）`/`1.` between)
- TZ204 malformed enumerator (`(二)`, `（一)`, `五.`)
- TZ301 half-width punctuation in Chinese text; `%` and `％` mixed in one document
- TZ401 title year contradicts a summary/plan section heading, or the plan part's own `明年`/`下一年`
- TZ402 a plan title with no plan section

Line rules need only the input lines (`lint_lines`, used by the web app for drafts);
TZ401/TZ402 need the parser's documents (`lint_result`). One pass, precompiled regexes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .enumerators import match_enumerator
from .model import Document, ParseResult, Section
from .titles import looks_like_title

__all__ = [
    "RULES",
    "Finding",
    "RuleCount",
    "draft_hole",
    "lint_lines",
    "lint_result",
    "render_findings",
    "report_dict",
    "summarize",
]


# Each rule's short name, for the summary that heads the report.
RULES = {
    "TZ101": "未填写的占位符",
    "TZ102": "字母代称",
    "TZ103": "付费墙残留或广告",
    "TZ201": "编号不连续",
    "TZ202": "编号重复",
    "TZ203": "层级跳跃",
    "TZ204": "编号格式不规范",
    "TZ301": "标点全角半角混用",
    "TZ401": "年份与标题不符",
    "TZ402": "标题与正文不符",
}


@dataclass
class Finding:
    line: int  # 1-based line of the input
    code: str
    message: str
    excerpt: str = ""  # the first occurrence when `count` > 1
    count: int = 1  # occurrences of this rule in the paragraph, reported as one finding

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class RuleCount:
    code: str
    rule: str
    count: int  # occurrences
    lines: int  # paragraphs (findings) holding them

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# ---------------------------------------------------------------- characters

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# Full-width and CJK punctuation, curly quotes, dash and ellipsis.
_CJK_PUNCT = set("，。、；：！？“”‘’（）《》【】〔〕「」『』—…·")


def _is_han(c: str | None) -> bool:
    if not c:
        return False
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in _HAN_RANGES)


def _is_cjkish(c: str | None) -> bool:
    return c is not None and (_is_han(c) or c in _CJK_PUNCT)


def _at(s: str, i: int) -> str | None:
    return s[i] if 0 <= i < len(s) else None


def _excerpt(s: str, start: int, end: int, before: int = 2, after: int = 3) -> str:
    return s[max(0, start - before) : end + after]


# ---------------------------------------------------------------- noise (TZ103)

_PAYWALL = re.compile(r"#+\s*paid\s*(?:begin|end)\s*#+", re.IGNORECASE)
# Words that only advertising for material sites uses; two of them, or a 【brand】 lead plus one.
_AD_WORDS = re.compile(
    r"素材库|代笔|客服|会员群|网盘|s?vip|谨防假冒|接单|唯一平台|有意加入|欢迎加入|一键下载|一键极速下载",
    re.IGNORECASE,
)
_AD_BRAND = re.compile(r"^【[^】]{1,12}】")
_LEAD_SPACE = " \t\u3000\u2002\u2003\u00a0\ufeff"


def _is_advert(text: str) -> bool:
    hits = len(_AD_WORDS.findall(text))
    return hits >= 2 or (hits >= 1 and _AD_BRAND.match(text) is not None)


# ---------------------------------------------------------------- placeholders (TZ101)

_LATIN = re.compile(r"[A-Za-z]+")
_XRUN = re.compile(r"[xX]+")
# A masked number as written: runs of x and digits joined by a decimal point, range dash or slash.
_NUMSPAN = re.compile(r"[\dxX]+(?:[.．/—–\-~～][\dxX]+)*")
_NUM_UNIT = re.compile(
    r"个百分点|百分点|万美元|亿美元|美元|亿元|万元|千元|元|万吨|吨|万亩|亩|公顷|平方米|平方公里|公里|千米|"
    r"万人次|人次|万人|%|％|‰|年度|年|月份|月|日|时|号|位|名|倍|个|家|次|人|户|项|件|条|座|辆|处|场|台|"
    r"批|宗|例|起|篇|期|届|万|亿"
)
_NAME_SUFFIX = re.compile(r"街道|社区|集团|公司|中心|局|委|办|厅|科|部|省|市|县|区|乡|镇|村")
# Real X-terms: `X光`, `X射线`, `X型`, `X波段` (radar), `X染色体`.
_XRAY_NEXT = re.compile(r"光|射线|线|型|波段|染色体")


# What a generated draft writes where the ledger lacks a fact (taizhang.writing): one form, so that
# this linter finds every one of them.
_DRAFT_HOLE = re.compile(r"【待补充[：:][^】\n]*】")


def draft_hole(what: str) -> str:
    """The placeholder a generated draft leaves for a missing fact: 【待补充：what】."""
    return f"【待补充：{what}】"


def _x_is_placeholder(line: str, tok: str, t0: int, r0: int, r1: int) -> bool:
    """Whether the x-run line[r0:r1] inside the Latin token line[t0:t0+len(tok)] masks a value."""
    run = line[r0:r1]
    if len(run) == len(tok):  # the token is only x's
        if len(run) == 1:
            # `3x3`, `1920 x 1080`: a multiplication sign, not a mask.
            left = line[:r0].rstrip(" ")
            right = line[r1:].lstrip(" ")
            if left[-1:].isdigit() and right[:1].isdigit():
                return False
            if right[:1].isdigit() and not left[-1:].isdigit():  # `x86`
                return False
            if run == "X" and _XRAY_NEXT.match(line, r1):  # `X光`, `X射线`
                return False
        return True
    if run.islower() and len(run) >= 2:  # English words almost never hold `xx`: `topxx`, `PMxx`
        return True
    rest = tok[: r0 - t0] + tok[r1 - t0 :]
    # A lower-case x inside capitals masks a digit: `BxC` (B2C), `PMx.x` (PM2.5), `Cx-x` parcel codes.
    return run.islower() and rest.isupper()


def _placeholder(line: str, s: int, e: int) -> tuple[str, bool]:
    """The placeholder's text widened to its unit or name suffix, and whether it stands for a number."""
    numeric = any(c in ".．/—–-~～" or c.isdigit() for c in line[s:e])
    if s > 0 and line[s - 1] == "第":
        s -= 1
        numeric = True
    m = _NUM_UNIT.match(line, e)
    if m:
        e = m.end()
        numeric = True
        # A signed rate, `增速-x.x%`; elsewhere a dash before the span ends a range (`x月-xx月`).
        if s > 0 and line[s - 1] in "-－" and m.group() in ("%", "％", "个百分点", "百分点"):
            s -= 1
    else:
        m = _NAME_SUFFIX.match(line, e)
        if m:
            e = m.end()
    return line[s:e], numeric


_SHOWN = 5  # occurrences quoted in a grouped message


def _quoted(texts: list[str]) -> str:
    distinct = list(dict.fromkeys(texts))
    more = "等" if len(distinct) > _SHOWN else ""
    return "".join(f"“{t}”" for t in distinct[:_SHOWN]) + more


def _placeholders_finding(i: int, hits: list[tuple[str, bool]]) -> Finding:
    """One finding for all the placeholders of a paragraph (a draft may hold dozens per line)."""
    kinds = {numeric for _, numeric in hits}
    want = (
        "实际数值" if kinds == {True} else "实际内容（数字或名称）" if kinds == {False} else "实际数值或名称"
    )
    first = hits[0][0]
    if len(hits) == 1:
        return Finding(i + 1, "TZ101", f"未填写的占位符“{first}”，应填入{want}", first)
    texts = [t for t, _ in hits]
    message = f"本段有 {len(hits)} 处未填写的占位符：{_quoted(texts)}，应填入{want}"
    return Finding(i + 1, "TZ101", message, first, len(hits))


# ---------------------------------------------------------------- letter masks (TZ102)

# Chinese words a lone capital letter legitimately labels: `A级`, `B超`, `C区`, `A股`, `AB角`, `U盘`.
_LABEL_NEXT = re.compile(
    r"级|类|股|超|区|座|栋|幢|楼|层|号|型|档|轮|盘|口|版|款|证|照|字|点|位|端|站|馆|线|角|岗|面|套|户|段|"
    r"标|卡|恤|值|调|片|厂|库|组|队|列|排|班|票|罐|格|台|盾|世代|地块|方案|计划"
)
_COUNT_NEXT = re.compile(r"个|项|家|条|种|次|批|件|支|所|张|名|位|人|大")
# Labels a D may still carry; `D组`, `D校`, `D务` are 党组/党校/党务 in this genre, so fewer.
_LABEL_NEXT_D = re.compile(r"级|类|区|座|栋|幢|楼|层|号|型|档|轮|盘|口|版|款|端|站|线|角|地块")
# `创A`, `评A`, `一级A`: a rating or grade, not a mask.
_RATING_PREV = set("创评争晋获级")
# Verbs that take 党 as object: `建D`, `治D`, `管D`, `中国共产D`.
_PARTY_PREV = set("建治管入爱跟听兴强产")
_LIST_JOIN = set("、和或与及至到")
_XI_NEXT = re.compile(r"新时代|总书记|同志|经济思想|生态文明思想|法治思想|外交思想|文化思想|强军思想")
_WECHAT_NEXT = re.compile(r"公众号|视频号|小程序|朋友圈|群(?![众体岛落山])|号|支付|扫码")
_PINYIN_MASKS = {
    "XJP": "习近平",
    "ZSJ": "总书记",
    "GCD": "共产党",
    "ZGGCD": "中国共产党",
    "VX": "微信",
    "WX": "微信",
}
_TRUNCATED = {"DP": "GDP"}  # a known acronym with its first letter cut off by a word filter


def _prev_ok(c: str | None) -> bool:
    """A mask stands where a word starts: after Chinese, punctuation, a space or the line start."""
    return c is None or _is_cjkish(c) or c.isspace()


def _letter_mask(line: str, tok: str, s: int, e: int) -> tuple[str, str] | None:
    """(what the letters stand for, or "" if unknown; excerpt) when tok at line[s:e] is a mask."""
    prev, nxt = _at(line, s - 1), _at(line, e)
    excerpt = _excerpt(line, s, e)
    upper = tok.upper()
    if upper in _PINYIN_MASKS and (_is_cjkish(prev) or _is_cjkish(nxt)):
        return _PINYIN_MASKS[upper], excerpt
    if not (tok.isupper() and _prev_ok(prev)):
        return None
    if tok in _TRUNCATED and (_is_han(prev) or _is_han(nxt)):
        return _TRUNCATED[tok], excerpt
    if len(tok) >= 2 and len(set(tok)) == 1 and tok not in ("XX", "QQ") and "X" not in tok:
        if _WECHAT_NEXT.match(line, e):  # `AAA公众号`, `AAA群`; `AAA级`, `PPP项目` are real
            return "微信", excerpt
        return None
    if len(tok) != 1 or tok == "X":
        return None
    if tok == "D" and prev is not None and prev in _PARTY_PREV and not (nxt and nxt.isascii()):
        return "党", excerpt
    if not _is_han(nxt):
        return None
    assert nxt is not None
    if tok != "D" and prev is not None and prev in _RATING_PREV:  # `各级D委` is still 各级党委
        return None
    # A letter list `A、B地块`, `A和B两类` labels things.
    if prev is not None and prev in _LIST_JOIN and (_at(line, s - 2) or "").isupper():
        return None
    if nxt in _LIST_JOIN and (_at(line, e + 1) or "").isupper():
        return None
    if (_LABEL_NEXT_D if tok == "D" else _LABEL_NEXT).match(line, e):
        return None
    if tok == "D":
        return "党", excerpt
    if tok == "A" and _XI_NEXT.match(line, e):
        return "习近平", excerpt
    if tok == "N" and _COUNT_NEXT.match(line, e):  # `N个示范点`, `N项改革`: an open count, as in `1+N`
        return None
    return "", excerpt


def _masks_finding(i: int, hits: list[tuple[str, str, str]]) -> Finding:
    """One finding for the letter masks (token, guess, excerpt) of a paragraph, per letter."""
    by_letter: dict[tuple[str, str], list[str]] = {}
    for tok, guess, ex in hits:
        by_letter.setdefault((tok, guess), []).append(ex)
    parts = []
    for (tok, guess), exs in by_letter.items():
        want = f"应写作“{guess}”" if guess else "应写出被替代的原词"
        if len(hits) == 1:
            return Finding(i + 1, "TZ102", f"字母代称：“{exs[0]}”中的“{tok}”{want}", exs[0])
        where = f"{len(exs)} 处，如“{exs[0]}”" if len(exs) > 1 else f"“{exs[0]}”"
        parts.append(f"“{tok}”{want}（{where}）")
    message = f"本段有 {len(hits)} 处字母代称：" + "；".join(parts)
    return Finding(i + 1, "TZ102", message, hits[0][2], len(hits))


# ---------------------------------------------------------------- punctuation (TZ301)

_HALF_PUNCT = re.compile(r"[,;:!?.]")
_FULL_OF = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。", "(": "（", ")": "）"}
_HALF_PAREN = re.compile(r"\(([^()（）]{0,60})\)")
_MIXED_PAREN = re.compile(r"（[^()（）]{0,60}\)|\([^()（）]{0,60}）")


def _punct_finding(line: str, i: int, start: int) -> Finding | None:
    """Half-width punctuation glued to Chinese; `start` skips a line-start enumerator."""
    bad: list[str] = []
    first = -1
    for m in _HALF_PUNCT.finditer(line, start):
        c, p = m.group(), m.start()
        prev, nxt = _at(line, p - 1), _at(line, p + 1)
        if c == ".":
            hit = _is_han(prev) and _is_han(nxt)  # `.` is a decimal point or abbreviation elsewhere
        else:
            hit = (_is_cjkish(prev) and not (nxt or "x").isspace()) or (
                _is_cjkish(nxt) and prev is not None and not prev.isspace()
            )
        if hit:
            if c not in bad:
                bad.append(c)
            first = p if first < 0 else first
    for m in _HALF_PAREN.finditer(line, start):
        if any(_is_han(c) for c in m.group(1)) or _is_han(_at(line, m.start() - 1)):
            for c in "()":
                if c not in bad:
                    bad.append(c)
            first = m.start() if first < 0 else min(first, m.start())
    for m in _MIXED_PAREN.finditer(line, start):
        c = "(" if m.group().startswith("(") else ")"
        if c not in bad:
            bad.append(c)
        first = m.start() if first < 0 else min(first, m.start())
    if not bad:
        return None
    halves = "".join(f"“{c}”" for c in bad)
    fulls = "".join(f"“{_FULL_OF[c]}”" for c in bad)
    return Finding(
        i + 1,
        "TZ301",
        f"标点全角半角混用：中文中用了半角{halves}，应改为全角{fulls}",
        _excerpt(line, first, first + 1),
    )


# ---------------------------------------------------------------- enumerators (TZ201-TZ204)


def _cn_text(n: int) -> str:
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")


def _label(level: int, n: int) -> str:
    if level == 1:
        return f"{_cn_text(n)}、"
    if level == 2:
        return f"（{_cn_text(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


@dataclass
class _Enum:
    level: int
    number: int
    text: str  # as written
    counted: bool  # takes part in the numbering checks


def _enumerator(text: str) -> _Enum | None:
    """The heading enumerator as the engine reads it (PARSE.md §4), with the form as written."""
    en = match_enumerator(text)
    if en is None:
        return None
    written = text[: en.end].rstrip(" \u3000")
    # `五.`/`一，` are ambiguous (§4: structure wins), so reported but not counted in the sequence.
    return _Enum(en.level, en.number, written, en.level != 1 or en.standard)


def _form_finding(i: int, en: _Enum) -> Finding | None:
    if en.level == 1 and not en.counted:
        good = _label(1, en.number)
        return Finding(i + 1, "TZ204", f"编号格式不规范：“{en.text}”应写作“{good}”", en.text)
    if en.level in (2, 4) and ("(" in en.text or ")" in en.text):
        good = _label(en.level, en.number)
        kind = "全角半角括号混用" if ("（" in en.text or "）" in en.text) else "用了半角括号"
        return Finding(i + 1, "TZ204", f"编号格式不规范：“{en.text}”{kind}，应写作“{good}”", en.text)
    return None


class _Numbering:
    """Numbering state of one document: last number per level, and which levels are open."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.last = [0] * 5
        self.label = [""] * 5
        self.open = [False] * 5
        self.jump_reported = False

    def structure_break(self) -> None:
        """An un-numbered heading (`主要困难和问题`): deeper numbering restarts, no enclosing `一、`."""
        for j in range(2, 5):
            self.last[j], self.open[j] = 0, False
        self.open[1] = False

    def see(self, i: int, en: _Enum) -> list[Finding]:
        out: list[Finding] = []
        k, n = en.level, en.number
        prev = self.last[k]
        # A `1` always restarts (a new parent or a document we did not see begin); a first number
        # other than 1 under a fresh parent is left alone: drafts often number on across parents.
        if n != 1 and prev:
            if n == prev:
                out.append(
                    Finding(
                        i + 1,
                        "TZ202",
                        f"编号重复：{self.label[k]}之后又是{en.text}，应为{_label(k, prev + 1)}",
                        en.text,
                    )
                )
            elif n == prev + 2:
                out.append(
                    Finding(
                        i + 1,
                        "TZ201",
                        f"编号不连续：{self.label[k]}之后是{en.text}，缺少{_label(k, prev + 1)}",
                        en.text,
                    )
                )
            elif n != prev + 1:
                out.append(
                    Finding(
                        i + 1,
                        "TZ201",
                        f"编号不连续：{self.label[k]}之后是{en.text}，应为{_label(k, prev + 1)}",
                        en.text,
                    )
                )
        if k == 1:
            self.jump_reported = False
        # Skipping one level is common (`一、` then `1.`); skipping two (`一、` then `（1）`) is a slip.
        if k == 4 and self.open[1] and not self.open[2] and not self.open[3] and not self.jump_reported:
            out.append(
                Finding(
                    i + 1,
                    "TZ203",
                    f"层级跳跃：{self.label[1]}下直接出现{en.text}，中间缺少“（一）”或“1.”一级",
                    en.text,
                )
            )
            self.jump_reported = True
        self.last[k], self.label[k], self.open[k] = n, en.text, True
        for j in range(k + 1, 5):
            self.last[j], self.open[j] = 0, False
        return out


# ---------------------------------------------------------------- documents

_PIAN = re.compile(r"^篇\s*\d+\s*[：:]")


def _looks_like_title(text: str) -> bool:
    """A document (or compilation) title line, by the engine's title rule."""
    return looks_like_title(text) and match_enumerator(text) is None


def _clean(raw: str) -> str:
    return _PAYWALL.sub("", raw).strip(_LEAD_SPACE)


# ---------------------------------------------------------------- the line pass


def _lint_lines(lines: list[str], doc_starts: Iterable[int], breaks: Iterable[int]) -> list[Finding]:
    starts, brk = set(doc_starts), set(breaks)
    out: list[Finding] = []
    numbering = _Numbering()
    # `%`/`％` per document: (line index, count) of each form.
    pct: dict[str, list[tuple[int, int]]] = {"%": [], "％": []}

    def close_doc() -> None:
        out.extend(_percent_findings(lines, pct))
        pct["%"], pct["％"] = [], []

    for i, raw in enumerate(lines):
        markers = list(_PAYWALL.finditer(raw))
        if markers:
            m = markers[0]
            out.append(
                Finding(
                    i + 1,
                    "TZ103",
                    f"付费墙残留标记{_quoted([m.group() for m in markers])}，应删除",
                    _excerpt(raw, m.start(), m.end()),
                    len(markers),
                )
            )
        line = _clean(raw)
        if not line:
            continue
        if _is_advert(line):
            out.append(Finding(i + 1, "TZ103", "广告文字混入正文，应删除整行", line[:20]))
            continue
        title = _PIAN.sub("", line)
        if i in starts or _looks_like_title(title):
            close_doc()
            numbering.reset()
        elif i in brk:
            numbering.structure_break()

        # Latin tokens: placeholders and letter masks, each rule reported once per paragraph.
        spans = [(m.start(), m.end()) for m in _NUMSPAN.finditer(line)]
        span_starts = [s for s, _ in spans]
        done: set[int] = set()
        holes: list[tuple[str, bool]] = []
        masks: list[tuple[str, str, str]] = []
        for m in _LATIN.finditer(line):
            tok, t0 = m.group(), m.start()
            for r in _XRUN.finditer(tok):
                r0, r1 = t0 + r.start(), t0 + r.end()
                if not _x_is_placeholder(line, tok, t0, r0, r1):
                    continue
                k = bisect.bisect_right(span_starts, r0) - 1
                s, e = spans[k] if k >= 0 and spans[k][1] >= r1 else (r0, r1)
                if s not in done:
                    done.add(s)
                    holes.append(_placeholder(line, s, e))
            mask = _letter_mask(line, tok, t0, m.end())
            if mask:
                masks.append((tok, *mask))
        holes += [(m.group(), False) for m in _DRAFT_HOLE.finditer(line)]
        if holes:
            out.append(_placeholders_finding(i, holes))
        if masks:
            out.append(_masks_finding(i, masks))

        en = _enumerator(line)
        start = 0
        if en:
            start = len(en.text)
            bad_form = _form_finding(i, en)
            if bad_form:
                out.append(bad_form)
            if en.counted:
                out.extend(numbering.see(i, en))
        punct = _punct_finding(line, i, start)
        if punct:
            out.append(punct)
        for sign in ("%", "％"):
            c = line.count(sign)
            if c:
                pct[sign].append((i, c))
    close_doc()
    return out


def _percent_findings(lines: list[str], pct: dict[str, list[tuple[int, int]]]) -> list[Finding]:
    half, full = pct["%"], pct["％"]
    if not half or not full:
        return []
    nh, nf = sum(c for _, c in half), sum(c for _, c in full)
    # The majority form is the document's standard; a tie goes to the form used first.
    if nh > nf or (nh == nf and half[0][0] <= full[0][0]):
        major, minor, n_major, where = "%", "％", nh, full
    else:
        major, minor, n_major, where = "％", "%", nf, half
    out = []
    for i, _ in where:
        p = _clean(lines[i]).find(minor)
        out.append(
            Finding(
                i + 1,
                "TZ301",
                f"百分号全角半角混用：本文多用“{major}”（{n_major}处），此处用了“{minor}”，应统一为“{major}”",
                _excerpt(_clean(lines[i]), p, p + 1, 4, 2),
            )
        )
    return out


# ---------------------------------------------------------------- document rules (TZ401, TZ402)

# A single year; not one end of a range (`2021-2035年`) nor a starting point (`2022年以来`).
_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d\d)\s*年(?!\s*[-—–~～至到]|以来|来)")
_PLAN_KW = re.compile(r"计划|打算|思路|安排|谋划|要点|下一步|下步|明年|来年")
_SUMMARY_KW = re.compile(r"总结|成效|开展情况|完成情况|工作情况|落实情况|执行情况|主要工作|回顾|述职")
_DONE_KW = re.compile(r"完成情况|落实情况|执行情况|开展情况")  # `工作计划完成情况` is a summary
_HALF_KW = re.compile(r"上半年|下半年|季度|前\S?个月")
_TITLE_JOIN = re.compile(r"以及|及|和|暨|与|并")


def _heading_kind(heading: str) -> str | None:
    if _DONE_KW.search(heading):
        return "summary"
    if _PLAN_KW.search(heading):
        return "plan"
    if _SUMMARY_KW.search(heading):
        return "summary"
    return None


def _title_years(title: str) -> tuple[int | None, int | None, bool, bool]:
    """(summary year, plan year, has summary part, has plan part) as the title states them."""
    summary: int | None = None
    plan: int | None = None
    has_summary = has_plan = False
    last: int | None = None
    for part in _TITLE_JOIN.split(title):
        m = _YEAR.search(part)
        year = int(m.group(1)) if m else None
        kind = _heading_kind(part)
        if kind == "summary":
            has_summary = True
            summary = year if year is not None else summary
        elif kind == "plan":
            has_plan = True
            if year is not None:
                plan = year
            elif last is not None and "下半年" in part:
                plan = last  # `2023年上半年工作总结和下半年工作思路`
            elif last is not None and re.search(r"下一步|下步|明年|来年", part):
                plan = last + 1
        last = year if year is not None else last
    return summary, plan, has_summary, has_plan


def _section_kind(sec: Section) -> str | None:
    """summary/plan by the parser's role; headings it left `other` are read by their words."""
    if sec.role in ("summary", "plan"):
        return sec.role
    return _heading_kind(sec.heading) if sec.role == "other" else None


def _body_plan_year(doc: Document) -> tuple[int, str] | None:
    """The plan year the body states, as the parser settled it (PARSE.md §3: the body wins over the
    title; the rule lives in the parser only), with the body's own words for the message."""
    period = doc.plan_period or ""
    if not period.isdigit():
        return None
    return int(period), doc.plan_period_word or f"{period}年"


def _doc_findings(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    summary, plan, has_summary, has_plan = _title_years(doc.title)
    halfyear = _HALF_KW.search(doc.title) is not None
    body_year: int | None = None
    if summary is not None and plan is not None and not halfyear:
        stated = _body_plan_year(doc)
        if stated and stated[0] != plan:
            body_year, words = stated
            out.append(
                Finding(
                    doc.line,
                    "TZ401",
                    f"标题年份与正文不符：标题的计划写“{plan}年”，正文计划部分说“{words}”（即{body_year}年），"
                    f"标题应改为“{body_year}年”",
                    doc.title,
                )
            )
    for sec in doc.sections:
        m = _YEAR.search(sec.heading)
        kind = _section_kind(sec)
        if not m or kind is None:
            continue
        year = int(m.group(1))
        if kind == "plan" and year == body_year:  # the title is wrong, already reported
            continue
        if kind == "summary" and summary is not None and year != summary:
            out.append(
                Finding(
                    sec.line,
                    "TZ401",
                    f"年份与标题不符：标题为{summary}年工作总结，总结部分标题却写“{year}年”，应为“{summary}年”",
                    sec.heading,
                )
            )
        elif kind == "plan":
            if plan is not None:
                want, said = {plan}, f"标题为{plan}年工作计划"
            elif summary is not None:
                # `下一步`/`明年` plans take the year after the summary year; a half-year report plans
                # the rest of the same year.
                half = halfyear or _HALF_KW.search(sec.heading) is not None
                want = {summary, summary + 1} if half else {summary + 1}
                said = f"标题总结的是{summary}年"
            else:
                continue
            if year not in want:
                good = "或".join(f"“{y}年”" for y in sorted(want))
                out.append(
                    Finding(
                        sec.line,
                        "TZ401",
                        f"年份与标题不符：{said}，计划部分标题却写“{year}年”，应为{good}",
                        sec.heading,
                    )
                )
    if has_plan and doc.sections:
        kinds = {_section_kind(s) for top in doc.sections for s in top.walk()}
        # A pure plan has no summary part either; only a plan title over summary material is wrong.
        if "plan" not in kinds and (has_summary or "summary" in kinds):
            kw = _PLAN_KW.search(doc.title)
            word = kw.group() if kw else "计划"
            out.append(
                Finding(
                    doc.line,
                    "TZ402",
                    f"标题含“{word}”，但正文没有计划部分，应补写（如“三、下一年工作{word}”）或改标题",
                    doc.title,
                )
            )
    return out


# ---------------------------------------------------------------- API


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.code))  # stable: same line/code keep text order


def lint_lines(lines: list[str]) -> list[Finding]:
    """Line rules only (TZ1xx, TZ2xx, TZ301): for drafts that were never parsed."""
    return _sorted(_lint_lines(list(lines), (), ()))


def lint_result(result: ParseResult, raw_lines: list[str] | None = None) -> list[Finding]:
    """All rules: line rules over the lines, plus title/section checks over `result.documents`.

    The rules read the lines as given (`result.raw_lines`, or `raw_lines`), since cleaning removes
    the paywall markers they report; cleaned lines are the fallback.
    """
    starts = [d.line - 1 for d in result.documents]
    breaks = [
        s.line - 1
        for d in result.documents
        for top in d.sections
        for s in top.walk()
        if s.level == 1 and not _enumerator(s.heading.strip(_LEAD_SPACE))
    ]
    if raw_lines is None:
        raw_lines = result.raw_lines
    lines = raw_lines if raw_lines and len(raw_lines) == len(result.lines) else result.lines
    out = _lint_lines(list(lines), starts, breaks)
    for doc in result.documents:
        out.extend(_doc_findings(doc))
    return _sorted(out)


def summarize(findings: list[Finding]) -> list[RuleCount]:
    """Occurrences and paragraphs per rule, in rule order: the head of every report."""
    counts: dict[str, list[int]] = {}
    for f in findings:
        c = counts.setdefault(f.code, [0, 0])
        c[0] += f.count
        c[1] += 1
    return [RuleCount(code, RULES.get(code, code), n, k) for code, (n, k) in sorted(counts.items())]


def report_dict(source: str, findings: list[Finding]) -> dict[str, object]:
    """The JSON of `taizhang lint --json`: the per-rule summary first, then the findings."""
    return {
        "source": source,
        "total": sum(f.count for f in findings),
        "summary": [r.to_dict() for r in summarize(findings)],
        "findings": [f.to_dict() for f in findings],
    }


def render_findings(source: str, findings: list[Finding]) -> str:
    """A count per rule on top (so a rare real fault shows among many placeholders), then
    compiler-style lines `file:line: CODE message`, one per paragraph and rule."""
    if not findings:
        return f"{source}：未发现问题\n"
    total = sum(f.count for f in findings)
    rows = [f"{source}：共 {total} 处问题，分布在 {len({f.line for f in findings})} 段"]
    for r in summarize(findings):
        paras = f"（{r.lines} 段）" if r.lines != r.count else ""
        rows.append(f"  {r.code} {r.rule} {r.count} 处{paras}")
    rows.append("")
    rows.extend(f"{source}:{f.line}: {f.code} {f.message}" for f in findings)
    return "\n".join(rows) + "\n"
