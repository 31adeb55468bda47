"""Indicators and placeholders (PARSE.md §7) on sentences written for the tests."""

from __future__ import annotations

from taizhang.reports.indicators import count_placeholders, find_indicators
from taizhang.reports.model import Indicator


def _read(text: str, plan: bool = False) -> list[Indicator]:
    return find_indicators([text], 1, 1, {1} if plan else set())


def _named(text: str) -> list[tuple[str, str, str]]:
    return [(i.name, i.value, i.unit) for i in _read(text)]


def test_growth_and_rank_belong_to_the_value() -> None:
    [ind] = _read("完成规上企业工业总产值xx亿元，同比增长x%，居全市第x位。")
    assert (ind.name, ind.value, ind.unit) == ("规上企业工业总产值", "xx", "亿元")
    assert ind.change == "同比增长x%"
    assert ind.rank == "居全市第x位"
    assert ind.kind == "actual"


def test_rates_and_money_are_indicators_counts_are_not() -> None:
    assert _named("检查企业xx家，整改率98.5％，罚款xx万元。") == [
        ("整改率", "98.5", "%"),
        ("罚款", "xx", "万元"),
    ]


def test_count_qualified_by_growth_or_rank_is_an_indicator() -> None:
    assert _named("全县新增规上企业xx家，居全市第x位。") == [("新增规上企业", "xx", "家")]
    assert _named("开展宣传活动x次。") == []


def test_metric_stated_by_its_growth_alone() -> None:
    [ind] = _read("全县规上工业增加值同比增长x.x%，高于全市x.x个百分点。")
    assert (ind.name, ind.value, ind.unit) == ("规上工业增加值", "x.x", "%")
    assert ind.change == "同比增长x.x%，高于全市x.x个百分点"


def test_amount_that_qualifies_a_noun_is_not_a_metric() -> None:
    assert _named("新签约xxxx万元以上项目xx个。") == []


def test_metric_named_after_the_amount() -> None:
    assert _named("春节期间发放xxx万元文旅消费券。") == [("文旅消费券", "xxx", "万元")]


def test_shared_value_names_two_indicators() -> None:
    assert _named("办件准确率和按时办结率均为100%。") == [
        ("办件准确率", "100", "%"),
        ("按时办结率", "100", "%"),
    ]


def test_rank_without_a_value() -> None:
    [ind] = _read("政务新媒体影响力居全省同类部门第二名。")
    assert (ind.name, ind.value, ind.unit) == ("政务新媒体影响力", "第二", "名")


def test_spread_growth_qualifies_the_metrics_just_read() -> None:
    inds = _read("签约项目xx个，总投资xx亿元，分别增长x%和xx%。")
    assert [(i.name, i.change) for i in inds] == [("签约项目", "增长x%"), ("总投资", "增长xx%")]


def test_targets_in_plan_parts_and_after_target_words() -> None:
    assert [i.kind for i in _read("城镇登记失业率控制在x%以内。", plan=True)] == ["target"]
    assert [i.kind for i in _read("预计全年营业收入增长xx%。")] == ["target"]


def test_placeholders_count_masked_values_not_masked_names() -> None:
    assert count_placeholders(["xx局完成投资x.x亿元，同比增长xx%，居全市第x位。"]) == 3
    assert count_placeholders(["2025年x—x月，xxxx年度目标完成。"]) == 3
