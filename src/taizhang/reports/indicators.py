"""Indicators and placeholders (PARSE.md §7).

An indicator is a named metric whose value is a percentage, an amount of money or a
rank. Growth and rank that qualify a value belong to it; a count (`xx家`) becomes an
indicator only when a growth or a rank qualifies it. Values may be masked (`xx.x`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lazyre import lazy
from .model import Indicator

_PLACEHOLDER = lazy(r"(?<![A-Za-z])[xX]+(?:[.．,][xX]+)*(?![A-Za-z])")

_NUM = r"(?:[\dxX]+(?:,[\dxX]{3})*(?:\.[\dxX]+)?)"
# A value: digits or an x-mask, not glued to Latin letters (`PMx.x`, `BxC`, `topxx`).
_VALUE = lazy(
    r"(?P<num>[-+\dxX](?<![A-Za-z\d.第].)(?:(?<=[-+])[\dxX]+|(?<=[\dxX])[\dxX]*+)(?:,[\dxX]{3})*(?:\.[\dxX]+)?)"
    r"(?P<approx>余|多)?"
    r"(?P<unit>个百分点|%|％|万亿元|亿元|万元|千元|元(?![素旦宵年月代气])|亿美元|万美元|美元|万(?=[，。；、,;）)\s]|$)"
    r"|家|个|场|件|项|户|人次|宗|台|辆|所|处|批次|起|分)(?:人民币)?"
)
_MONEY_OR_RATE = {
    "%",
    "％",
    "个百分点",
    "万亿元",
    "亿元",
    "万元",
    "千元",
    "元",
    "亿美元",
    "万美元",
    "美元",
    "万",
}
_CHANGE_WORD = (
    r"(?:同比|比去年同期|较去年同期|较去年全年|较去年|比上年|较上年|环比|比去年)?"
    r"(?:增长|下降|增加|减少|提升|提高|降低|上升|回落|增速|增幅)(?:为|达|了)?"
)
_PCT = rf"[-+]?{_NUM}(?:%|％|个百分点)"
# The patterns read after a value are matched at its end (`.match(text, end)`): no `^`, no slice.
_CHANGE = lazy(
    rf"[，,、]?\s*(?P<chg>{_CHANGE_WORD}{_PCT}"
    rf"(?:[，,]\s*(?:高于|低于|快于|慢于|超过|超)(?:全国|全省|全市|全县|全区|平均)[^，。；]{{0,6}}?{_PCT})?)"
)
_SPREAD_CHANGE = lazy(rf"[，,、]?\s*分别{_CHANGE_WORD}(?P<a>{_PCT})(?:和|、)(?P<b>{_PCT})")
_SCOPE = r"(?:全国|全省|全市|全县|全区|全州|xx|[^，。；、]{0,12}?)"
_ORDINAL = (
    r"(?:第[\dxX一二三四五六七八九十]+(?:位|名)?|前[\dxX一二三四五六七八九十]+(?:位|名)?|前列|靠前|靠后|首位)"
)
_RANK = lazy(
    rf"[，,、]?\s*(?!分别)(?P<rank>(?:预计)?[^，。；、\dxX]{{0,8}}?"
    rf"(?:居|位居|位列|列|排名|排在|排|名列)(?:全国|全省|全市|全县|全区|xx)?{_SCOPE}{_ORDINAL}"
    rf"|(?:全国|全省|全市|全县|全区)(?:排名)?{_ORDINAL})"
)
_SPREAD_RANK = lazy(
    rf"[，,、]?\s*分别(?:居|位居|位列|排名|排)?(?:全国|全省|全市|全县)?(?P<list>{_ORDINAL}(?:[、和]{_ORDINAL})+)"
)
_BOUNDARY = "，。；;：:！？!?,（）()【】"
# Words that open a clause before a metric's name: connectives, time and place words, and the verbs
# that spend or reach the amount (`完成`, `实现`, `发放`, `争取到`, `累计`). Longest first within each run.
_LEAD = lazy(
    r"^(?:其中|此外|另外|同时|共计|合计|共同|共|已|预计全年|预计|全年|今年以来|今年|年内|目前|当前|截至目前|截止目前|"
    r"(?:截至|截止|至)?(?:[\dxX]{4}年(?:度)?)?(?:[\dxX]{1,2}(?:[-—–~至到][\dxX]{1,2})?月(?:份)?(?:底|末)?"
    r"|上半年|下半年|前三季度|[一二三四]季度|年底|年初)(?:以来|底|末)?|"
    r"全市|全县|全区|全镇|全乡|全省|我市|我县|我区|我局|[xX]+[市县区镇乡]|市县两级|市本级|在|为|对|向|其|的|是|了|"
    r"但是|但|而|并|且|使|将|分别为|分别|均|[一二三四五六七八九十]+是|提前完成|累计完成|累计实现|累计|完成了|完成|"
    r"实现了|实现|力争|再争取|争取到|争取|确保|通过|约计|取得|预计完成|发放|兑现|兑付|拨付|下达|安排|落实|筹集|"
    r"募集|获得|支付|实施)"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _in_order(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# What closes a clause after the name: a predicate (`再创新高`, `突破`, `达到`) or a time word.
# Literal words, so a name's end is looked up in a set (longest first), not searched for.
_TRAIL_WORDS = frozenset(
    (
        *_words(
            "为 达 达到 达到了 约 超 超过 突破 首次突破 近 共 合计 累计 均为 均达 提高至 提高到 保持在 "
            "不低于 不少于 已达 实现 仅有 仅 是 了 的 于 中 原则上 获得 分别为 分别是 总计 高达 稳中有升 "
            "稳中有进 全年 今年 年内 上半年 同期"
        ),
        *(f"{again}创{ever}新高" for again in ("", "再", "又", "屡") for ever in ("", "历史")),
        *(
            f"{how}{rise}"
            for how in ("稳步", "持续", "大幅", "快速", "显著")
            for rise in ("增长", "提升", "提高", "攀升")
        ),
    )
)
_TRAIL_LONGEST = max(map(len, _TRAIL_WORDS))
_TRAIL_LAST = frozenset(word[-1] for word in _TRAIL_WORDS)  # most names end in none of these


# One character read as a lead or trail word may begin or end a word of the name (`在线办理率`,
# `使用率`, `签约额`): these pairs are words, so the character stays.
_WORD_AT_START = _words(
    "在校 在线 在建 在营 在岗 在册 在园 在库 在职 在途 在读 在用 为民 对外 对口 向上 "
    "其他 使用 并网 并购 均衡 均等 共享 共建 共同 共有 已建 是否 的士 将来 新增"
)
_WORD_AT_END = _words(
    "作为 行为 认为 到达 送达 下达 直达 抵达 发达 表达 节约 签约 履约 集约 合约 预约 "
    "公约 最近 附近 公共 总共 目的 集中 其中 高中 初中 空中 关于 对于 用于 属于 处于 "
    "位于 至于 终于 等于"
)
# Target words (§7): in a summary part `争取到` and `预计全年` report what was achieved.
_TARGET_CUE = lazy(r"力争|目标|确保|不低于|不少于")
# A verb before a bare generic noun is part of the name (`兑付金额`, `安排资金`), except the verbs
# that only say the amount was reached (`争取资金` -> `资金`).
_GENERIC_NOUN = _words("金额 资金 总额 额度 数额 规模 总量 数量 经费")
_REACHING_VERB = _words("完成 完成了 实现 实现了 争取 争取到 再争取 累计 累计完成 累计实现 发放 获得 取得")
_COUNT_NAME_BAD = frozenset("个项家次0123456789xX")
_HAS_DIGIT = lazy(r"[\dxX]")
_LOCATIVE_END = ("内", "前", "后")  # `(?:内|前|后)$`, tested by `_ends`
_AFTER_LEAD = ("的", "以上", "以下")  # one of them opening what follows a value is dropped
_AFTER_STOP = lazy(r"支持|补助|用于|惠及")
_CLAUSE_AFTER = lazy(f"[^{re.escape(_BOUNDARY)}、]*")
# Matched at a value's end (`.match(text, end)`).
_QUALIFIED_NOUN = lazy(r"(?:以上|以下)的?[\u4e00-\u9fff]|(?:以上|以下)?的?(?:项目|企业|工程)")
_QUALIFIED_NOUN_FIRST = frozenset("以的项企工")
_COUNT_BEFORE = lazy(r"[\dxX]个$")
_THRESHOLD_BEFORE = lazy(r"(?:超过|超|高于|低于|不足|单笔|每)$")
_OWNERSHIP_VERBS = ("转让", "出让", "持有", "控股", "参股")  # tested by `_ends`
_TWO_CJK = lazy(r"[\u4e00-\u9fffA-Za-z][^\u4e00-\u9fffA-Za-z]*[\u4e00-\u9fffA-Za-z]")
_CJK = lazy(r"[\u4e00-\u9fffA-Za-z]")


@dataclass
class _Found:
    start: int
    end: int
    ind: Indicator
    is_count: bool
    use: str = ""  # `…x万元用于道路修复`: what the amount is spent on


# A mask stands for digits when a unit, a date word or a range follows it, `第` precedes it, or it
# has a decimal point; `xx局`, `xx领域` mask names instead and are not values to fill.
_AFTER_DIGITS = set(
    "年月日号%％个家户人次场项条件起宗亩元万亿吨辆台所处名位批篇份天周岁米度分倍千百十余多—-~至：:、，。；）)"
)


# A masked value to fill: a mask with a decimal point or thousands comma, one after `第` or a range
# sign, or one followed by a unit, a date word or a range. One pass over the text counts them.
# The runs of x are possessive: giving one back leaves an x next, which nothing after a run accepts
# (a separator, a point, a non-letter), so it never helped and only cost backtracking.
_REST = r"[xX]*+(?:[.．,][xX]++)*(?![A-Za-z])"
_DIGIT_WORDS = re.escape("".join(sorted(_AFTER_DIGITS)))
# Opens on the mask's first `x` (so the scan skips ahead to it), then looks back past it.
_MASK_AFTER_FIRST = (
    rf"(?<![A-Za-z].)(?:(?<=[第\-—~至].){_REST}|{_REST}(?=[{_DIGIT_WORDS}])"
    r"|[xX]*+(?:[．][xX]++)*[.,][xX]++(?:[.．,][xX]++)*(?![A-Za-z]))"
)
_COUNTED_MASK = lazy(rf"[xX]{_MASK_AFTER_FIRST}")
# In a text without a capital X the same pattern opens on the letter `x`: the scan then looks for one
# character (a memchr-like loop) instead of testing a class at every position, twice as fast.
_COUNTED_MASK_LOWER = lazy(rf"x{_MASK_AFTER_FIRST}")


def count_placeholders(lines: list[str]) -> int:
    """Masked values still to be filled (PARSE.md §7)."""
    text = "\n".join(lines)
    if "X" in text:
        return len(_COUNTED_MASK.findall(text))
    return len(_COUNTED_MASK_LOWER.findall(text)) if "x" in text else 0


_DATE_IN_NAME = lazy(
    r"(?:[\dxX]{4}年(?:度)?)?[\dxX]{1,2}(?:[-—–~至到][\dxX]{1,2})?月(?:份)?(?:底|末)?|[\dxX]{4}年(?:度)?"
)
# Amounts that qualify a noun inside a name: `xx亿元以上优强项目进资率` -> `优强项目进资率`.
_QUALIFIER_IN_NAME = lazy(
    r"^.*[\dxX]+(?:[.,][\dxX]+)*(?:余|多)?(?:(?:个|亿元|万元|元|%|家|项|户)+(?:以上|以下)?的?|以上的?|以下的?|的)"
)
# A clause that is only verbs (`累计发放`) names nothing. It ends with a verb of the list, tested first.
_VERBS = _in_order(
    "发放 争取 获得 筹募 筹集 募集 兑现 兑付 拨付 下达 投入 安排 落实 完成 实现 新增 "
    "累计 带动 拉动 支付 节约 追回 减免 支持 提供 奖补 补助 转让 植入 超过 达到 共 其中"
)
_VERB_ONLY = lazy(rf"(?:.{{0,8}}?(?:期间|时))?(?:分别|共|已|累计)?(?:{'|'.join(_VERBS)})+")
_BAD_NAMES = _words("人民币 左右 以上 以下 同比 其中 合计 累计")  # a whole name that is none


def _ends(text: str, words: tuple[str, ...]) -> str:
    """The word of `words` that `text` ends with, as `(?:w1|w2…)$` finds it (also before a final line
    end), else "". A suffix test: the pattern's search would try every position of the text."""
    if text[-1:] == "\n":
        text = text[:-1]
    if not text.endswith(words):
        return ""
    return next(w for w in words if text.endswith(w))


def _strip_lead(name: str) -> str:
    """Strip lead words, but never inside a word nor down to less than two characters."""
    while True:
        m = _LEAD.match(name)
        if m is None or not m.end():
            return name
        out = name[m.end() :].lstrip()
        if not out:
            return ""
        if (
            not _TWO_CJK.search(out)
            or (m.end() == 1 and name[:2] in _WORD_AT_START)
            or (out in _GENERIC_NOUN and m.group() not in _REACHING_VERB)
        ):
            return name
        name = out


def _strip_trail(name: str) -> str:
    while name and name[-1] in _TRAIL_LAST:
        size = min(_TRAIL_LONGEST, len(name))
        while size and name[-size:] not in _TRAIL_WORDS:
            size -= 1
        if not size:
            return name
        out = name[:-size].rstrip()
        if not out:
            return ""
        if not _TWO_CJK.search(out) or (size == 1 and name[-2:] in _WORD_AT_END):
            return name
        name = out
    return name


def _clean_name(raw: str) -> str:
    name = raw.strip().strip("“”\"'《》 ")
    digits = _HAS_DIGIT.search(name)
    if digits and ("年" in name or "月" in name):
        name = _DATE_IN_NAME.sub("", name)
    name = name.replace("至少", "")
    if digits and _HAS_DIGIT.search(name):
        cut = _QUALIFIER_IN_NAME.sub("", name)
        if _TWO_CJK.search(cut):
            name = cut
    for _ in range(3):
        before = name
        name = _strip_trail(_strip_lead(name))
        if name == before:
            break
    name = name.strip("“”\"' ")
    return "" if (name[:-1] if name[-1:] == "\n" else name) in _BAD_NAMES else name


_reversed: tuple[str, str] = ("", "")  # the last line read and its reverse
_STOPS: dict[str, re.Pattern[str]] = {}


def _clause_before(text: str, pos: int, stops: str = _BOUNDARY + "、") -> tuple[str, int]:
    """The clause that ends at `pos` and its start, read backwards on the reversed line in one match."""
    global _reversed
    if _reversed[0] is not text:
        _reversed = (text, text[::-1])
    pattern = _STOPS.get(stops)
    if pattern is None:
        pattern = _STOPS[stops] = re.compile(f"[^{re.escape(stops)}]*")
    m = pattern.match(_reversed[1], len(text) - pos)
    assert m is not None
    start = pos - (m.end() - m.start())
    return text[start:pos], start


def _usable(name: str) -> bool:
    if not name or name[-1] in _COUNT_NAME_BAD:
        return False
    # Most names open with two Chinese characters, which is what `_TWO_CJK` asks: no search then.
    return ("\u4e00" <= name[0] <= "\u9fff" and "\u4e00" <= name[1:2] <= "\u9fff") or (
        _TWO_CJK.search(name) is not None
    )


def _name_before(text: str, pos: int, clause: tuple[str, int] | None = None) -> str:
    """The metric named before the value at `pos`; `clause` is `_clause_before(text, pos)` if known."""
    raw, start = clause or _clause_before(text, pos)
    if "均" in raw and start > 0 and text[start - 1] == "、":
        # `转运、处置率均达xx%`: the list before 、 shares the value.
        head, _ = _clause_before(text, start - 1)
        if len(head) <= 8 and not _HAS_DIGIT.search(head):
            raw = head + "、" + raw
    bare = raw.strip()
    if bare.endswith(_VERBS) and _VERB_ONLY.fullmatch(bare):
        return ""
    name = _clean_name(raw)
    if _ends(name, _LOCATIVE_END):
        # `在x个工作日内xxx%上网公示`: a time phrase, the metric follows the value.
        return ""
    if not _usable(name) and start > 0 and text[start - 1] in "（(":
        # `外贸出口数据（约x亿元）`: the name stands before the bracket.
        name = _clean_name(_clause_before(text, start - 1)[0])
    return name


def _previous_clause_name(text: str, pos: int) -> str:
    """`一是社会消费品零售总额，三季度xxx万元`: the name is the clause before a bare time phrase."""
    raw, start = _clause_before(text, pos)
    if _clean_name(raw) or start == 0 or text[start - 1] not in "，,":
        return ""
    prev, _ = _clause_before(text, start - 1)
    if _VALUE.search(prev):
        return ""
    return _clean_name(prev)


def _name_after(text: str, pos: int) -> str:
    """`发放xxx万元电子消费券` names the metric after the value."""
    clause = _CLAUSE_AFTER.match(text, pos)
    assert clause is not None
    tail = clause.group()
    if tail.startswith(_AFTER_LEAD):
        tail = tail[len(next(w for w in _AFTER_LEAD if tail.startswith(w))) :]
    stop = _AFTER_STOP.search(tail)
    return _clean_name(tail[: stop.start()] if stop else tail)


_QUALIFIER_AHEAD = lazy(
    r"增长|下降|增加|减少|提升|提高|降低|上升|回落|增速|增幅|分别|居|位列|排名|排在|排|名列|第|前[一二三四五六七八九十\dxX]|首位"
)


def _count_may_qualify(text: str, end: int, following: re.Match[str] | None) -> bool:
    """Whether what follows a count can qualify it (what `_qualify`, `_spread` and a later growth
    figure would attach): checked before the count's name is looked for. `following` is the next
    value of the line (`_VALUE.search(text, end)`)."""
    stop = end + 80
    if not _QUALIFIER_AHEAD.search(text, end, stop):
        return False
    if text.find("分别", end, stop) >= 0:
        return True  # `…，分别增长a%和b%` may qualify this count together with the next value
    # (Without `分别` neither spread pattern can match.)
    if _CHANGE.match(text, end, stop) or _RANK.match(text, end, stop):
        return True
    tail = _CLAUSE_TO_COMMA.match(text, end, stop)
    if tail and _RANK.match(text, tail.end(), stop):
        return True
    return following is not None and following.group("unit") in ("%", "％", "个百分点")


_TARGET_AFTER = lazy(r"(?:以上)?的?(?:考核)?目标")
# The lookahead names the first characters a change word may open with: the search skips to them.
_CHANGE_AT_END = lazy(rf"(?=[同比较环增下减提降上回]){_CHANGE_WORD}$")
_CLAUSE_TO_COMMA = lazy(r"[^，。；]{0,40}?(?=，)")
_SPREAD_WORD = lazy(r"^[，,、\s]*分别")
_LIST_SEP = lazy(r"[、和]")
_RANK_NAME_LEAD = lazy(r"^(?:取得|在)")
_RANK_NAME_TRAIL = lazy(r"(?:中|获得|两次|x次|\d次)$")
_SHARED = lazy(r"(.+?)(?:和|、|及|与)(.+?率)")


def _is_target(text: str, pos: int, end: int, in_plan: bool) -> bool:
    if in_plan:
        return True
    sentence_start = max(text.rfind("。", 0, pos), text.rfind("；", 0, pos)) + 1
    if _TARGET_CUE.search(text, sentence_start, pos):
        return True
    return bool(_TARGET_AFTER.match(text, end, end + 12))


def _is_qualifier(text: str, start: int, end: int) -> bool:
    """`xxxx万元以上项目`, `超过xxx万元的货物…`: an amount that qualifies a noun is no metric."""
    # What `_QUALIFIED_NOUN` opens with, checked first (most values are followed by none).
    if text[end : end + 1] in _QUALIFIED_NOUN_FIRST and _QUALIFIED_NOUN.match(text, end):
        return True
    before = text[max(0, start - 3) : start]
    if before.endswith("含"):
        return True
    # `x个xxx%` is a slogan (`落实“x个xxx%”`), not a value.
    if "个" in before and _COUNT_BEFORE.search(before):
        return True
    return text.startswith("的", end) and _THRESHOLD_BEFORE.search(before) is not None


def _line_indicators(text: str, line: int, in_plan: bool) -> list[Indicator]:
    found: list[_Found] = []
    pos = 0
    consumed: list[tuple[int, int]] = []
    last_fenbie = text.rfind("分别")
    values = list(_VALUE.finditer(text))
    for i, m in enumerate(values):
        if m.start() < pos:
            continue
        # (`num` always holds a digit or an x: the pattern opens on one or needs one after a sign;
        # it holds only digits, x, a sign, commas and a point, so it is the value as written.)
        num, unit = m.group("num", "unit")
        is_count = unit not in _MONEY_OR_RATE
        end = m.end()
        # The next value is the next match: `_VALUE` never matches empty, so the scan goes on at `end`.
        if is_count and not _count_may_qualify(text, end, values[i + 1] if i + 1 < len(values) else None):
            # A count is an indicator only with a growth or rank, which would follow it.
            continue
        if not is_count and _is_qualifier(text, m.start(), end):
            continue
        clause = _clause_before(text, m.start())
        before_clause = clause[0]
        # A change word is at most 8 characters: look for one at the clause's end only.
        window = max(0, len(before_clause) - 12)
        is_rate = unit in ("%", "％", "个百分点")
        change_word = _CHANGE_AT_END.search(before_clause, window) if is_rate else None
        if change_word:
            # A growth figure: of the metric just read (`…亿元，同比增长x%`), or the metric itself
            # when it is stated only by its growth (`规模工业增加值同比增长xx.x%`).
            name = _clean_name(before_clause[: change_word.start()])
            chg = change_word.group() + num + unit.replace("％", "%")
            prev = found[-1] if found else None
            usable = _usable(name)
            if prev is not None and (not usable or name in prev.ind.name):
                if not prev.ind.change:
                    prev.ind.change = chg
                    pos = _qualify(text, end, prev)
                    consumed.append((m.start(), pos))
                continue
            if not usable:
                continue
            f = _Found(m.start(), end, Indicator(line, name, num, "%", change=chg), False)
        else:
            # `x家企业入选…试点企业`: what is counted follows the count.
            following = text[end : end + 1]
            counted_after = is_count and "\u4e00" <= following <= "\u9fff"
            name = "" if counted_after else _name_before(text, m.start(), clause)
            noun_after = "\u4e00" <= following <= "\u9fff" or following == "“"
            after = _name_after(text, end) if noun_after else None
            verb = _ends(before_clause, _OWNERSHIP_VERBS)
            if verb and after and _usable(after):
                # `转让x%股权`: the metric is the verb with its object.
                name = verb + after
            # The first usable name of these, each looked for only when the one before is not.
            usable = _usable(name)
            if not usable:
                name = after if after is not None else _name_after(text, end)
                usable = _usable(name)
            if not usable:
                name = _previous_clause_name(text, m.start())
                usable = _usable(name)
            if not usable and found and m.start() - found[-1].end < 40:
                # `…现汇进资xxxx万美元（其中xxxxx万美元…）`: a part of the metric just named.
                name = found[-1].ind.name
                usable = _usable(name)
            if not usable:
                continue
            unit_text = "%" if unit in ("%", "％") else unit
            f = _Found(m.start(), end, Indicator(line, name, num, unit_text), is_count)
            if not is_count:
                use = _USE.match(text, end)
                f.use = use.group(1) if use else ""
        found.append(f)
        pos = _spread(text, _qualify(text, end, f), found, last_fenbie)
        consumed.append((m.start(), pos))

    _name_by_use(text, found)
    out = [f for f in found if not f.is_count or f.ind.change or f.ind.rank]
    ranks = _rank_only(text, line, consumed, out)
    if ranks:  # `found` is in text order already
        out.extend(ranks)
        out.sort(key=lambda f: f.start)
    result = []
    for f in out:
        target = _is_target(text, f.start, f.end, in_plan)
        ind = f.ind
        # Only a rate named …率 can name two indicators: the cheap test first.
        for part in _split_shared(ind) if ind.unit == "%" and ind.name.endswith("率") else (ind,):
            part.kind = "target" if target else "actual"
            result.append(part)
    return result


_USE = lazy(r"(?:专项)?用于([^，。；、,;（()）]{2,16}?)(?:等方面|等|方面|工作)?(?=[，。；、,;（()）]|$)")
_MONEY_NOUN = lazy(r"(?:专项资金|资金|经费|补助|补贴|奖补|投资)$")


def _name_by_use(text: str, found: list[_Found]) -> None:
    """`安排资金x万元用于道路修复，x万元用于路灯改造`: amounts of one sentence each spent on its own use
    are named by it (`道路修复资金`, `路灯改造资金`), not all by the first name."""
    i = 0
    while i < len(found):
        j = i
        while (
            j + 1 < len(found)
            and found[j].use
            and found[j + 1].use
            and "。" not in text[found[j].end : found[j + 1].start]
        ):
            j += 1
        if j > i:
            noun = _MONEY_NOUN.search(found[i].ind.name)
            suffix = noun.group() if noun else "资金"
            for f in found[i : j + 1]:
                f.ind.name = f.use if f.use.endswith(suffix) else f.use + suffix
        i = j + 1


_VERSUS = lazy(
    rf"[，,]\s*(?:高于|低于|快于|慢于|超过|超出|领先)(?:全国|全省|全市|全县|全区|平均)[^，。；]{{0,6}}?{_PCT}"
)


def _qualify(text: str, end: int, f: _Found) -> int:
    """Attach a following growth figure and rank to the indicator just read."""
    for _ in range(4):
        m = _CHANGE.match(text, end) if not f.ind.change else None
        if m:
            f.ind.change = m.group("chg").replace("％", "%")
            end = m.end()
            continue
        v = _VERSUS.match(text, end) if f.ind.change else None
        if v and f.ind.change:
            f.ind.change += v.group().replace("％", "%")
            end = v.end()
            continue
        r = _RANK.match(text, end)
        if r and r.group("rank"):
            rank = r.group("rank")
            f.ind.rank = rank if not f.ind.rank else f.ind.rank + "，" + rank
            end = r.end()
            continue
        if f.is_count and not f.ind.rank:
            # `x个项目入选…名单，数量居全市第x位`: the rank closes the count's clause.
            tail = _CLAUSE_TO_COMMA.match(text, end)
            if (
                tail
                and not _VALUE.search(tail.group())
                and (_RANK.match(text, tail.end()) or _SPREAD_RANK.match(text, tail.end()))
            ):
                end = tail.end()
                continue
        break
    f.end = end
    return end


def _spread(text: str, end: int, found: list[_Found], last_fenbie: int) -> int:
    """`…，分别增长a%和b%` and `…，分别居全市第x位、第x位` qualify the metrics just read, in order.
    `last_fenbie` is `text.rfind("分别")`: the line is searched for 分别 once, not after each value."""
    if last_fenbie < end:
        return end  # what both patterns need
    m = _SPREAD_CHANGE.match(text, end)
    if m and len(found) >= 2:
        word = _SPREAD_WORD.sub("", text[end : m.start("a")])
        for f, pct in zip(found[-2:], (m.group("a"), m.group("b")), strict=True):
            f.ind.change = f.ind.change or (word + pct).replace("％", "%")
            f.end = max(f.end, m.end())
        return m.end()
    r = _SPREAD_RANK.match(text, end)
    if r:
        ranks = _LIST_SEP.split(r.group("list"))
        targets = found[-len(ranks) :]
        if len(targets) == len(ranks):
            head = text[end : r.start("list")].lstrip("，,、 ")
            for f, rank in zip(targets, ranks, strict=True):
                f.ind.rank = f.ind.rank or head + rank
            return r.end()
    return end


_ORD_ANCHOR = lazy(
    r"(?P<ord>第[\dxX一二三四五六七八九十]+|前[一二三四五六七八九十\dxX]+)(?P<unit>位|名)?(?![\u4e00-\u9fff])"
)
# What stands before a rank with no value: a scope (`居全国…第二名`) or a ranking verb (`两次蝉联第一`).
_RANK_VERBS = _in_order("蝉联 位居 位列 排名 居")
_RANK_LEAD = (
    lazy(r"(?:居|位居|位列|排名|排在|保持|蝉联|获得)?(?:全国|全省|全市|全县|全区)[^，。；]{0,12}?$"),
    lazy(rf"(?:两次|[\dxX一二三]次)?(?:{'|'.join(_RANK_VERBS)})$"),
)


def _ordinals(text: str) -> Iterator[re.Match[str]]:
    """`_ORD_ANCHOR.finditer(text)`, the scan done by `str.find`: the pattern opens with 第 or 前,
    which most lines hold once or twice, and a character search is far faster than the pattern's
    scan of every position."""
    di, qian = text.find("第"), text.find("前")
    after = 0  # where the last match ended: finditer goes on from there
    while di >= 0 or qian >= 0:
        if qian < 0 or 0 <= di < qian:
            at, di = di, text.find("第", di + 1)
        else:
            at, qian = qian, text.find("前", qian + 1)
        if at >= after:
            m = _ORD_ANCHOR.match(text, at)
            if m is not None:
                after = m.end()
                yield m


def _rank_only(text: str, line: int, consumed: list[tuple[int, int]], have: list[_Found]) -> list[_Found]:
    """A rank with no value before it: `…影响力居全国应急管理系统第二名`, `…安薪指数保持全市前三`.

    Anchored on the ordinal and read backwards, so a line costs one pass however long it is.
    """
    out: list[_Found] = []
    for m in _ordinals(text):
        if any(a < m.end() <= b for a, b in consumed):
            continue  # the rank of a value already read
        clause, _ = _clause_before(text, m.start(), "，。；：、")
        clause = clause[-42:]
        if "全" not in clause and not _ends(clause, _RANK_VERBS):
            continue  # what the scope lead needs, and what the verb lead ends with
        for pattern in _RANK_LEAD:
            lead = pattern.search(clause)
            if lead is None:
                continue
            rank_start = m.start() - (len(clause) - lead.start())
            raw_name = clause[: lead.start()][-30:]
            if any(a <= rank_start < b or a < m.end() <= b for a, b in consumed):
                break
            name = _clean_name(raw_name)
            name = _RANK_NAME_LEAD.sub("", name)
            name = _RANK_NAME_TRAIL.sub("", name)
            if not _usable(name) or raw_name.endswith("为"):
                continue
            if not any(f.ind.name and (name in f.ind.name or f.ind.name in name) for f in have + out):
                ind = Indicator(line, name, m.group("ord"), "名", rank=text[rank_start : m.end()])
                out.append(_Found(rank_start, m.end(), ind, False))
            break
    return out


def _split_shared(ind: Indicator) -> list[Indicator]:
    """`办件准确率和按时办结率均为xxx%` and `转运、处置率均达xx%` name two indicators."""
    # Only a rate's name ending in `率` can match: the cheap checks go first.
    m = _SHARED.fullmatch(ind.name) if ind.unit == "%" and ind.name.endswith("率") else None
    if not m:
        return [ind]
    first, second = m.group(1), m.group(2)
    if not first.endswith("率"):
        first += "率"
    return [
        Indicator(ind.line, first, ind.value, ind.unit, ind.change, ind.rank, ind.kind),
        Indicator(ind.line, second, ind.value, ind.unit, ind.change, ind.rank, ind.kind),
    ]


def find_indicators(cleaned: list[str], start: int, end: int, plan_lines: set[int]) -> list[Indicator]:
    """Indicators of lines start..end (1-based, inclusive); lines of plan parts give targets."""
    out: list[Indicator] = []
    for n in range(start, end + 1):
        text = cleaned[n - 1]
        # A line without `%％元第前` or `百分点` holds no indicator (`in` is far faster than a search,
        # and for one character faster than for a word).
        if text and (
            "%" in text
            or "％" in text
            or "元" in text
            or ("百" in text and "百分点" in text)
            or (("第" in text or "前" in text) and _may_rank(text))
        ):
            out.extend(_line_indicators(text, n, n in plan_lines))
    return out


_ORDINAL_AT = lazy(_ORDINAL)  # matched where 第 or 前 stands


def _may_rank(text: str) -> bool:
    """Whether a line with no rate or money unit (no %, ％, 元 or 百分点) may hold an indicator: a bare
    万 amount, a 分别 list or an ordinal (a ranked count, a rank with no value). Without any of these
    its values are all counts, which no growth (it needs a rate) or rank (it needs an ordinal) can
    qualify, and no rank stands by itself: the line's scan would find nothing. Half the lines that
    hold 第 or 前 (目前, 提前, 前期) are passed over so."""
    if "万" in text or "分别" in text or "靠前" in text or "靠后" in text or "首位" in text:
        return True
    for char in "第前":
        at = text.find(char)
        while at >= 0:
            if _ORDINAL_AT.match(text, at):
                return True
            at = text.find(char, at + 1)
    return False
