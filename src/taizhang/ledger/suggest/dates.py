"""Deadlines and dates written in words.

**deadline** (``guess_deadline``): the latest date the text sets ("6月底前", "2027年3月15日前", "上半年",
"三季度末", "10月中旬"); "年底前" / "年内" / "全年" only when no date is named; dates before the plan
year are ignored. The import falls back to 31 December of the plan year. ``parse_date_text`` reads
one date from a cell or a form field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(\d{4})年)?"
_MONTH_END = re.compile(rf"{_YEAR}{_MONTH}月份?(?:底|末)")
_MONTH_PART = re.compile(rf"{_YEAR}{_MONTH}月(上旬|中旬|下旬)")
_MONTH_PLAIN = re.compile(rf"{_YEAR}{_MONTH}月份?(?=完成|内|$)")
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_HALF = re.compile(rf"{_YEAR}(上|下)半年")
_QUARTER = re.compile(rf"{_YEAR}第?([一二三四1-4])季度")
_YEAR_END = re.compile(r"年底|年内|年末|全年")


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _dates_in(text: str, year: int) -> list[dt.date]:
    found: list[dt.date | None] = []
    for m in _MONTH_END.finditer(text):
        found.append(_month_end(int(m[1] or year), _month_number(m[2])))
    for m in _MONTH_PLAIN.finditer(text):
        found.append(_month_end(int(m[1] or year), _month_number(m[2])))
    for m in _MONTH_PART.finditer(text):
        y, month = int(m[1] or year), _month_number(m[2])
        end = _month_end(y, month)
        if end is not None:
            found.append(end if m[3] == "下旬" else end.replace(day=10 if m[3] == "上旬" else 20))
    for m in _HALF.finditer(text):
        y = int(m[1] or year)
        found.append(dt.date(y, 6, 30) if m[2] == "上" else dt.date(y, 12, 31))
    for m in _QUARTER.finditer(text):
        y, q = int(m[1] or year), _month_number(m[2])
        found.append(_month_end(y, q * 3))
    for y_text, m_text, d_text in [*_DAY.findall(text), *_ISO_DAY.findall(text)]:
        try:
            found.append(dt.date(int(y_text or year), int(m_text), int(d_text)))
        except ValueError:
            continue
    return [d for d in found if d is not None]


def guess_deadline(text: str, year: int) -> dt.date | None:
    """The last date the text sets ("6月底前" → 30 June of ``year``); ``None`` when it names none.

    Dates before the plan year (a baseline such as "较2025年6月底") are not deadlines."""
    dates = [d for d in _dates_in(text, year) if year <= d.year <= year + 5]
    if not dates and _YEAR_END.search(text):
        dates.append(dt.date(year, 12, 31))
    return max(dates) if dates else None


_DATE_WORDS = re.compile(r"^(?:于|在)?(.*?)(?:前|以前|之前)?(?:完成|办结)?$")


def parse_date_text(text: str, year: int) -> dt.date | None:
    """A date written in a cell: "2026年6月30日", "2026-06-30", "2026/6/30", "6月底", "6月30日前",
    "2026年6月", "上半年", "三季度", "年底", "长期", "持续推进" (→ 31 December of ``year``).

    Returns ``None`` when the text is not one date."""
    raw = re.sub(r"\s+", "", text or "")
    if not raw:
        return None
    core = _DATE_WORDS.match(raw)
    body = core.group(1) if core else raw
    for pattern in (_DAY, _ISO_DAY, _MONTH_END, _MONTH_PART, _HALF, _QUARTER):
        m = pattern.fullmatch(body)
        if m:
            dates = _dates_in(body, year)
            return dates[0] if dates else None
    m = re.fullmatch(rf"{_YEAR}{_MONTH}月份?", body)
    if m:
        return _month_end(int(m[1] or year), _month_number(m[2]))
    m = re.fullmatch(r"(\d{4})年(?:底|末)?", body)
    if m:
        return dt.date(int(m[1]), 12, 31)
    if re.fullmatch(r"(?:年底|年内|年末|全年|长期(?:坚持)?|持续(?:推进)?|常态化(?:推进)?)", body):
        return dt.date(year, 12, 31)
    return None
