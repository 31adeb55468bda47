"""Derived figures against hand-computed tables (``indicators.figures``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from taizhang.indicators import figures
from taizhang.indicators.figures import Point, Spec, summarize


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2026-01", "8.3333"),
        ("2026-03", "25"),
        ("2026-06", "50"),
        ("2026-12", "100"),
        ("2026-Q1", "25"),
        ("2026-Q3", "75"),
    ],
)
def test_time_progress_counts_whole_months(period: str, expected: str) -> None:
    assert figures.rounded(figures.time_progress(period), 4) == D(expected).quantize(D("0.0001"))


# value, same period last year, last year annual, accumulation, period -> YoY % (None = "—") , reason part
YOY = [
    (D("110"), D("100"), None, "cumulative", "2026-03", D("10"), ""),
    (D("90"), D("100"), D("999"), "period", "2026-03", D("-10"), ""),  # same period wins over annual
    (D("30"), None, D("100"), "cumulative", "2026-03", D("20"), ""),  # base 100 × 25% = 25 → +20%
    (D("30"), None, D("100"), "period", "2026-03", None, "无上年同期数"),
    (D("30"), None, None, "cumulative", "2026-03", None, "无上年同期数"),
    (D("5"), D("0"), None, "cumulative", "2026-03", None, "为零"),
    (D("5"), D("-4"), None, "cumulative", "2026-03", None, "为负数"),
    (D("5"), None, D("0"), "cumulative", "2026-06", None, "为零"),
    (D("-5"), D("10"), None, "level", "2026-03", D("-150"), ""),  # a negative value is fine
]


@pytest.mark.parametrize(("value", "same", "annual", "acc", "period", "expected", "reason"), YOY)
def test_yoy(
    value: D, same: D | None, annual: D | None, acc: str, period: str, expected: D | None, reason: str
) -> None:
    got = figures.yoy(
        value, same_period_last_year=same, last_year_annual=annual, accumulation=acc, period=period
    )
    assert got.value == expected
    assert reason in got.reason
    assert got.text() == ("—" if expected is None else f"{figures.rounded(expected)}%")
    assert got.estimated == (same is None and expected is not None)


COMPLETION = [
    (D("30"), D("120"), "higher", D("25")),
    (D("150"), D("120"), "higher", D("125")),
    (D("4"), D("5"), "lower", D("125")),  # 5 allowed, 4 used: within the ceiling
    (D("10"), D("5"), "lower", D("50")),  # twice the ceiling
    (D("0"), D("5"), "lower", D("100")),  # nothing used: met, no division by zero
    (D("30"), None, "higher", None),
    (D("30"), D("0"), "higher", None),
    (D("30"), D("-3"), "lower", None),
]


@pytest.mark.parametrize(("achieved", "target", "direction", "expected"), COMPLETION)
def test_completion(achieved: D, target: D | None, direction: str, expected: D | None) -> None:
    assert figures.completion(achieved, target=target, direction=direction).value == expected


GAP = [
    # cumulative: completion − time progress (March = 25%)
    (D("24"), D("120"), "higher", "cumulative", "2026-03", D("-5")),  # 20% done vs 25%: behind
    (D("36"), D("120"), "higher", "cumulative", "2026-03", D("5")),
    (D("3"), D("10"), "lower", "cumulative", "2026-03", D("-5")),  # 30% of ceiling used by 25%: behind
    (D("2"), D("10"), "lower", "cumulative", "2026-03", D("5")),
    # per-period: against target / 12 (or / 4)
    (D("9"), D("120"), "higher", "period", "2026-03", D("-10")),  # 9 vs 10 a month
    (D("33"), D("120"), "higher", "period", "2026-Q1", D("10")),  # 33 vs 30 a quarter
    (D("11"), D("120"), "lower", "period", "2026-03", D("-10")),  # 11 vs a ceiling of 10
    # level: against the target itself
    (D("95"), D("100"), "higher", "level", "2026-03", D("-5")),
    (D("3"), D("4"), "lower", "level", "2026-06", D("25")),
    (D("3"), None, "higher", "cumulative", "2026-03", None),
    (D("3"), D("0"), "higher", "period", "2026-03", None),
]


@pytest.mark.parametrize(("value", "target", "direction", "acc", "period", "expected"), GAP)
def test_gap_to_time_progress(
    value: D, target: D | None, direction: str, acc: str, period: str, expected: D | None
) -> None:
    got = figures.gap(value, target=target, direction=direction, accumulation=acc, period=period)
    assert got.value == expected
    assert figures.behind(got) == (expected is not None and expected < 0)


@pytest.mark.parametrize(
    ("value", "previous", "direction", "arrow", "better"),
    [
        (D("5"), D("4"), "higher", "up", True),
        (D("5"), D("4"), "lower", "up", False),
        (D("3"), D("4"), "lower", "down", True),
        (D("3"), D("4"), "higher", "down", False),
        (D("4"), D("4.0"), "higher", "flat", None),
    ],
)
def test_trend(value: D, previous: D, direction: str, arrow: str, better: bool | None) -> None:
    got = figures.trend(value, previous, direction=direction)
    assert got is not None and (got.arrow, got.better) == (arrow, better)
    assert figures.trend(value, None, direction=direction) is None


def spec(**kw: object) -> Spec:
    base: dict[str, object] = {
        "target": D("120"),
        "last_year": D("100"),
        "accumulation": "cumulative",
        "direction": "higher",
        "periodicity": "monthly",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
    }
    base.update(kw)
    return Spec(**base)  # type: ignore[arg-type]


def test_cumulative_summary_with_a_missing_period() -> None:
    points = {"2026-01": Point(D("8")), "2026-03": Point(D("24"), last_year=D("20"))}
    got = summarize(spec(), points, dt.date(2026, 4, 3))
    assert got.period == "2026-03" and got.value == D("24")
    assert got.missing == ["2026-02"]  # January and March entered; April has not ended
    assert got.yoy.value == D("20")  # 24 vs 20 of last March, not the pro-rata 25
    assert got.completion.value == D("20")  # latest cumulative value / target
    assert got.gap.value == D("-5") and got.behind
    assert got.trend is not None and got.trend.arrow == "up"


def test_per_period_summary_sums_the_periods_for_completion() -> None:
    points = {"2026-01": Point(D("10")), "2026-02": Point(D("12")), "2026-03": Point(D("8"))}
    got = summarize(spec(accumulation="period"), points, dt.date(2026, 4, 3))
    assert got.completion.value == D("25")  # (10 + 12 + 8) / 120
    assert got.gap.value == D("-20")  # March: 8 against 10 a month
    assert got.yoy.value is None  # no same-period value, no annual baseline for a flow
    assert got.trend is not None and (got.trend.arrow, got.trend.better) == ("down", False)
    assert got.missing == []


def test_lower_is_better_summary() -> None:
    points = {"2026-05": Point(D("2")), "2026-06": Point(D("3"))}
    got = summarize(spec(direction="lower", target=D("10"), last_year=D("8")), points, dt.date(2026, 7, 2))
    assert got.completion.value == D("10") / D("3") * 100
    assert got.gap.value == D("20")  # 50% of the year, 30% of the ceiling: ahead
    assert not got.behind
    assert got.missing == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert got.yoy.value == (D("3") - D("4")) / D("4") * 100  # vs 8 × 50%


def test_summary_without_values() -> None:
    got = summarize(spec(), {}, dt.date(2026, 2, 10))
    assert got.period is None and got.value is None
    assert got.completion.text() == "—" and "尚无" in got.completion.reason
    assert got.missing == ["2026-01"]


def test_display_rounds_half_up_only_for_display() -> None:
    figure = figures.Figure(D("12.25"))
    assert figure.text() == "12.3%"
    assert figures.Figure(D("-0.04")).points() == "0.0个百分点"
    assert figures.Figure(D("3.25")).points() == "+3.3个百分点"
    assert figures.number_text(D("1200.5000")) == "1200.5"
    assert figure.value == D("12.25")
