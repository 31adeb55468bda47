"""Word's automatic numbering, rendered as Word shows it (ECMA-376 §17.9, §17.18.59).

`Numbering` reads numbering.xml (abstract definitions, `w:num` instances with their level
overrides) and styles.xml (numbering given by a paragraph style, through `basedOn`), and
`Numbering.label(pPr)` returns the number text of each numbered paragraph in document
order, keeping the counters as Word does: one list per abstract definition, shared by every
`w:num` that points to it; a `startOverride` restarts its level the first time its `w:num` is
used; a level restarts when a higher level advances (or only after the level `lvlRestart`
names; never when it is 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VAL = f"{{{W}}}val"
MAX_LEVELS = 9
MAX_STYLE_DEPTH = 20  # basedOn chains are short; a cycle must not loop forever
MAX_START = 32767  # Word's largest start value; also bounds what a hostile file can make us render

# --- number formats -----------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_ZH_DIGITS = "零一二三四五六七八九"
_LEGAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_FULL_WIDTH = "０１２３４５６７８９"
_ROMAN: tuple[tuple[int, str], ...] = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"))
_ROMAN += ((90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _positional(n: int, digits: str) -> str:
    return "".join(digits[int(d)] for d in str(n))


def _group(n: int, digits: str, units: tuple[str, str, str], elide_one: bool, lead: bool) -> str:
    """0 < n < 10000 read out: 1234 一千二百三十四, 1005 一千零五; a number that starts with
    十 (`lead`) drops its 一 as Chinese is read (十二, but 一百一十); Japanese drops every such 一."""
    out: list[str] = []
    pending_zero = False
    places = ((n // 1000 % 10, units[2]), (n // 100 % 10, units[1]), (n // 10 % 10, units[0]), (n % 10, ""))
    for digit, unit in places:
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        if digit == 1 and unit and (elide_one or (lead and not out and unit == units[0])):
            out.append(unit)
        else:
            out.append(digits[digit] + unit)
    return "".join(out)


def _counting(n: int, digits: str, units: tuple[str, str, str], myriad: str, elide_one: bool = False) -> str:
    """Chinese/Japanese counting with myriads: 10 十, 21 二十一, 101 一百零一, 10001 一万零一."""
    if n <= 0:
        return digits[0]
    if n >= 100_000_000:
        return str(n)
    high, low = divmod(n, 10_000)
    out = _group(high, digits, units, elide_one, True) + myriad if high else ""
    if low:
        if high and low < 1000:
            out += digits[0]
        out += _group(low, digits, units, elide_one, not high)
    return out


def _chinese_counting(n: int) -> str:
    """`chineseCounting`: 十 for two-digit numbers (十, 二十一), digit by digit from 100 (一〇〇)."""
    if n < 10:
        return _CN_DIGITS[max(n, 0)]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return _positional(n, _CN_DIGITS)


def chinese_numeral(n: int) -> str:
    """一, 十一, 二十一: the numbers of Chinese headings (`一、`, `（一）`), as Word's chineseCounting."""
    return _chinese_counting(n)


def _letters(n: int, upper: bool) -> str:
    """A … Z, AA, BB … (Word repeats the letter rather than counting in base 26)."""
    if not 0 < n <= 780:
        return str(n)
    letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return letter if upper else letter.lower()


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    text = "".join(out)
    return text if upper else text.lower()


def _enclosed(n: int, first: int, size: int) -> str:
    """A character from a block of enclosed numbers (①, ⑴, ⒈, ㈠), decimal past its end."""
    return chr(first + n - 1) if 1 <= n <= size else str(n)


def _cyclic(n: int, glyphs: str) -> str:
    return glyphs[(n - 1) % len(glyphs)] if n >= 1 else str(n)


_ZH_UNITS = ("十", "百", "千")
_LEGAL_UNITS = ("拾", "佰", "仟")

_FORMATS: dict[str, Any] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}" if 0 <= n < 10 else str(n),
    "decimalFullWidth": lambda n: _positional(n, _FULL_WIDTH),
    "decimalFullWidth2": lambda n: _positional(n, _FULL_WIDTH),
    "decimalEnclosedCircle": lambda n: _enclosed(n, 0x2460, 20),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(n, 0x2460, 20),
    "decimalEnclosedParen": lambda n: _enclosed(n, 0x2474, 20),
    "decimalEnclosedFullstop": lambda n: _enclosed(n, 0x2488, 20),
    "ideographEnclosedCircle": lambda n: _enclosed(n, 0x3220, 10),
    "upperLetter": lambda n: _letters(n, True),
    "lowerLetter": lambda n: _letters(n, False),
    "upperRoman": lambda n: _roman(n, True),
    "lowerRoman": lambda n: _roman(n, False),
    "chineseCounting": _chinese_counting,
    "taiwaneseCounting": _chinese_counting,
    "chineseCountingThousand": lambda n: _counting(n, _ZH_DIGITS, _ZH_UNITS, "万"),
    "taiwaneseCountingThousand": lambda n: _counting(n, _ZH_DIGITS, _ZH_UNITS, "萬"),
    "japaneseCounting": lambda n: _counting(n, "〇" + _CN_DIGITS[1:], _ZH_UNITS, "万", elide_one=True),
    "ideographDigital": lambda n: _positional(n, _CN_DIGITS),
    "japaneseDigitalTenThousand": lambda n: _positional(n, _CN_DIGITS),
    "taiwaneseDigital": lambda n: _positional(n, "○" + _CN_DIGITS[1:]),
    "chineseLegalSimplified": lambda n: _counting(n, _LEGAL_SIMPLIFIED, _LEGAL_UNITS, "万"),
    "ideographLegalTraditional": lambda n: _counting(n, _LEGAL_TRADITIONAL, _LEGAL_UNITS, "萬"),
    "japaneseLegal": lambda n: _counting(n, "零壱弐参四伍六七八九", ("拾", "百", "阡"), "萬"),
    "ideographTraditional": lambda n: _cyclic(n, _HEAVENLY_STEMS),
    "ideographZodiac": lambda n: _cyclic(n, _EARTHLY_BRANCHES),
    "ideographZodiacTraditional": lambda n: _cyclic(n, _HEAVENLY_STEMS) + _cyclic(n, _EARTHLY_BRANCHES),
    "numberInDash": lambda n: f"- {n} -",
    "ordinal": lambda n: f"{n}{_ordinal_suffix(n)}",
    "hex": lambda n: f"{n:X}",
}


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def format_number(n: int, fmt: str) -> str:
    """`n` in Word's number format `fmt`; formats without a rendering here fall back to decimal,
    as Word does for a format it does not know. `none` and `bullet` show no number."""
    if fmt in ("none", "bullet"):
        return ""
    if fmt.startswith("decimalZero") and fmt[11:].isdigit():  # a custom `001, 002, …` sample
        return str(n).zfill(int(fmt[11:]))
    render = _FORMATS.get(fmt, str)
    return str(render(n))


_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z０-９]")

# --- definitions ---------------------------------------------------------------------------------


def _child(el: Any, name: str) -> Any:
    return None if el is None else el.find(f"{{{W}}}{name}")


def _val(el: Any, name: str) -> str | None:
    child = _child(el, name)
    return None if child is None else child.get(_VAL)


def _int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        return default
    return min(max(number, 0), MAX_START)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None when absent (Word then shows nothing)
    restart: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False  # isLgl: every level shown in decimal
    suffix: str = "tab"
    style: str | None = None  # the paragraph style this level is linked to


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CUSTOM_FIRST = {
    "一": "chineseCountingThousand",
    "①": "decimalEnclosedCircle",
    "壹": "chineseLegalSimplified",
}


def _number_format(lvl: Any) -> str:
    """The level's numFmt. Word 2010+ writes newer formats as `custom` with a sample
    (`w:format="001, 002, 003, ..."`), often inside mc:AlternateContent with a plain fallback."""
    num_fmt = _child(lvl, "numFmt")
    if num_fmt is None:
        num_fmt = lvl.find(f"{{{_MC}}}AlternateContent/{{{_MC}}}Fallback/{{{W}}}numFmt")
    if num_fmt is None:
        return "decimal"
    fmt = str(num_fmt.get(_VAL) or "decimal")
    if fmt != "custom":
        return fmt
    sample = str(num_fmt.get(f"{{{W}}}format") or "").split(",")[0].strip()
    if sample.isdigit() and len(sample) > 1:
        return f"decimalZero{len(sample)}"
    return _CUSTOM_FIRST.get(sample[:1], "decimal")


def _read_level(lvl: Any) -> Level:
    level = Level()
    level.start = _int(_val(lvl, "start"), 1)
    level.fmt = _number_format(lvl)
    text = _child(lvl, "lvlText")
    level.text = None if text is None else (text.get(_VAL) or "")
    restart = _val(lvl, "lvlRestart")
    level.restart = None if restart is None else _int(restart, 0)
    legal = _child(lvl, "isLgl")
    level.legal = legal is not None and legal.get(_VAL) not in ("0", "false", "off")
    level.suffix = _val(lvl, "suff") or "tab"
    level.style = _val(lvl, "pStyle")
    return level


def _read_levels(parent: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in parent.iterfind(f"{{{W}}}lvl"):
        ilvl = _int(lvl.get(f"{{{W}}}ilvl"), -1)
        if 0 <= ilvl < MAX_LEVELS:
            levels[ilvl] = _read_level(lvl)
    return levels


@dataclass
class _Abstract:
    levels: dict[int, Level]
    style_link: str | None  # numStyleLink: the definition lives with a numbering style


@dataclass
class _Num:
    abstract: str
    levels: dict[int, Level]  # full level overrides
    starts: dict[int, int]  # startOverride per level


@dataclass
class _Style:
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    page_break_before: bool | None = None  # None: as the style it is based on


@dataclass
class _ListState:
    counters: list[int | None] = field(default_factory=lambda: [None] * MAX_LEVELS)


class Numbering:
    """Numbering definitions of one document and the running counters of its lists."""

    def __init__(self, numbering_root: Any | None, styles_root: Any | None) -> None:
        self._abstracts: dict[str, _Abstract] = {}
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, _Style] = {}
        self._default_style: str | None = None
        self._lists: dict[str, _ListState] = {}
        self._overridden: set[tuple[str, int]] = set()  # (numId, ilvl) whose startOverride was applied
        if numbering_root is not None:
            self._read_numbering(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_numbering(self, root: Any) -> None:
        for el in root.iterfind(f"{{{W}}}abstractNum"):
            key = el.get(f"{{{W}}}abstractNumId")
            if key is not None:
                self._abstracts[key] = _Abstract(_read_levels(el), _val(el, "numStyleLink"))
        for el in root.iterfind(f"{{{W}}}num"):
            key = el.get(f"{{{W}}}numId")
            abstract = _val(el, "abstractNumId")
            if key is None or abstract is None:
                continue
            levels: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for override in el.iterfind(f"{{{W}}}lvlOverride"):
                ilvl = _int(override.get(f"{{{W}}}ilvl"), -1)
                if not 0 <= ilvl < MAX_LEVELS:
                    continue
                start = _val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = _child(override, "lvl")
                if lvl is not None:
                    levels[ilvl] = _read_level(lvl)
            self._nums[key] = _Num(abstract, levels, starts)

    def _read_styles(self, root: Any) -> None:
        for el in root.iterfind(f"{{{W}}}style"):
            style_id = el.get(f"{{{W}}}styleId")
            if style_id is None:
                continue
            kind = el.get(f"{{{W}}}type")
            num_pr = _child(_child(el, "pPr"), "numPr")
            ilvl = _val(num_pr, "ilvl")
            page = _child(_child(el, "pPr"), "pageBreakBefore")
            self._styles[style_id] = _Style(
                _val(el, "basedOn"),
                _val(num_pr, "numId"),
                None if ilvl is None else _int(ilvl, 0),
                None if page is None else page.get(_VAL) not in ("0", "false", "off"),
            )
            default = el.get(f"{{{W}}}default")
            if kind == "paragraph" and default in ("1", "true", "on"):
                self._default_style = style_id

    def _abstract_of(self, num_id: str) -> tuple[str, _Abstract] | None:
        """The abstract definition of a `w:num`, following one numStyleLink to a numbering style."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        abstract = self._abstracts.get(num.abstract)
        if abstract is None:
            return None
        if abstract.style_link:
            style = self._styles.get(abstract.style_link)
            linked = self._nums.get(style.num_id) if style and style.num_id else None
            target = self._abstracts.get(linked.abstract) if linked else None
            if linked is not None and target is not None and not target.style_link:
                return linked.abstract, target
        return num.abstract, abstract

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, id of the style giving it) along the style's basedOn chain."""
        seen = 0
        while style_id is not None and seen < MAX_STYLE_DEPTH:
            style = self._styles.get(style_id)
            if style is None:
                break
            if style.num_id is not None:
                return style.num_id, style.ilvl, style_id
            style_id = style.based_on
            seen += 1
        return None, None, None

    def page_break_before(self, p_pr: Any | None) -> bool:
        """`w:pageBreakBefore` (段前分页) on the paragraph or along its style's basedOn chain."""
        direct = _child(p_pr, "pageBreakBefore")
        if direct is not None:
            return direct.get(_VAL) not in ("0", "false", "off")
        style_id = _val(p_pr, "pStyle") or self._default_style
        for _ in range(MAX_STYLE_DEPTH):
            style = self._styles.get(style_id) if style_id is not None else None
            if style is None:
                return False
            if style.page_break_before is not None:
                return style.page_break_before
            style_id = style.based_on
        return False

    def _level(self, num_id: str, abstract: _Abstract, ilvl: int) -> Level | None:
        num = self._nums[num_id]
        return num.levels.get(ilvl) or abstract.levels.get(ilvl)

    def label(self, p_pr: Any | None, empty: bool = False) -> str:
        """The number Word shows before the paragraph whose `w:pPr` is `p_pr`, "" for none.

        Call it for every paragraph in document order (body and table cells): it advances
        the counters. An empty numbered paragraph counts (Word shows its number) but gets "".
        """
        if not self._nums:
            return ""
        num_pr = _child(p_pr, "numPr")
        num_id = _val(num_pr, "numId")
        ilvl_text = _val(num_pr, "ilvl")
        ilvl = None if ilvl_text is None else _int(ilvl_text, 0)
        style_id = _val(p_pr, "pStyle") or self._default_style
        via_style = None
        if num_id is None:
            num_id, style_ilvl, via_style = self._style_numbering(style_id)
            if ilvl is None:
                ilvl = style_ilvl
        if num_id is None or num_id == "0":
            return ""
        found = self._abstract_of(num_id)
        if found is None:
            return ""
        abstract_id, abstract = found
        if ilvl is None:
            # A style's numbering without a level: the level linked to that style, else the first.
            ilvl = next((i for i, lv in abstract.levels.items() if via_style and lv.style == via_style), 0)
        ilvl = min(max(ilvl, 0), MAX_LEVELS - 1)
        level = self._level(num_id, abstract, ilvl)
        if level is None:
            return ""
        counters = self._lists.setdefault(abstract_id, _ListState()).counters
        start_override = self._nums[num_id].starts.get(ilvl)
        if start_override is not None and (num_id, ilvl) not in self._overridden:
            self._overridden.add((num_id, ilvl))
            counters[ilvl] = start_override
        elif counters[ilvl] is None:
            counters[ilvl] = level.start
        else:
            counters[ilvl] = (counters[ilvl] or 0) + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            lower = self._level(num_id, abstract, deeper)
            restart_after = deeper if lower is None or lower.restart is None else lower.restart
            if restart_after and ilvl < restart_after:
                counters[deeper] = None
        if empty or level.text is None:
            return ""
        return self._render(num_id, abstract, level, counters)

    def _render(self, num_id: str, abstract: _Abstract, level: Level, counters: list[int | None]) -> str:
        assert level.text is not None
        if level.fmt == "bullet":
            return ""  # a bullet is not a number: the paragraph reads as typed
        text = level.text
        out: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                k = int(text[i + 1]) - 1
                ref = self._level(num_id, abstract, k) or Level()
                value = counters[k] if counters[k] is not None else ref.start
                fmt = "decimal" if level.legal and ref.fmt not in ("none", "bullet") else ref.fmt
                out.append(format_number(value or 0, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        label = "".join(out)
        # Word puts a tab after the number: `1.1` + tab reads `1.1 目的` (else `1.12023年…`);
        # after `一、`, `（1）` or `第1章` Chinese needs no space.
        if label and level.suffix != "nothing" and _LATIN_OR_DIGIT.match(label[-1]):
            label += " "
        return label
