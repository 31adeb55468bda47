"""Dates as Chinese documents and messages write them (no Django: the writing pipeline uses it)."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """``2024年1月8日``: Arabic numerals, full year, no leading zero (GB/T 9704's 成文日期 too)."""
    return f"{day.year}年{day.month}月{day.day}日"
