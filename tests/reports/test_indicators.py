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
    assert [i.kind for i in _read("力争营业收入增长xx%。")] == ["target"]


def test_placeholders_count_masked_values_not_masked_names() -> None:
    assert count_placeholders(["xx局完成投资x.x亿元，同比增长xx%，居全市第x位。"]) == 3
    assert count_placeholders(["2025年x—x月，xxxx年度目标完成。"]) == 3


def test_names_lose_leading_verbs_predicates_and_time_words() -> None:
    assert _named("全年营业收入再创新高，达xx亿元。") == [("营业收入", "xx", "亿元")]
    assert _named("发放困难群众补贴xxx万元。") == [("困难群众补贴", "xxx", "万元")]
    assert _named("争取到上级资金xxxx万元。") == [("上级资金", "xxxx", "万元")]
    assert _named("累计完成投资x.x亿元。") == [("投资", "x.x", "亿元")]
    assert _named("今年社会消费品零售总额突破xx.x亿元。") == [("社会消费品零售总额", "xx.x", "亿元")]
    assert _named("实现营收xx亿元，利润总额突破x亿元。") == [
        ("营收", "xx", "亿元"),
        ("利润总额", "x", "亿元"),
    ]


def test_names_are_never_cut_inside_a_word() -> None:
    assert _named("政务数据共享率达xx%，在线办理率达到xx%，使用率xx%。") == [
        ("政务数据共享率", "xx", "%"),
        ("在线办理率", "xx", "%"),
        ("使用率", "xx", "%"),
    ]
    assert _named("在校生资助资金xx万元，对外贸易额xx亿元，兑付金额x.x万元。") == [
        ("在校生资助资金", "xx", "万元"),
        ("对外贸易额", "xx", "亿元"),
        ("兑付金额", "x.x", "万元"),
    ]


def test_amounts_spent_on_their_own_uses_are_named_by_the_use() -> None:
    assert _named("安排资金xx万元用于道路修复，xx万元用于路灯改造。") == [
        ("道路修复资金", "xx", "万元"),
        ("路灯改造资金", "xx", "万元"),
    ]
    assert _named("下达专项经费x万元用于人员培训，x万元用于设备购置等。") == [
        ("人员培训经费", "x", "万元"),
        ("设备购置经费", "x", "万元"),
    ]


def test_obtained_and_expected_figures_of_a_summary_are_actual() -> None:
    assert [i.kind for i in _read("争取到上级资金xxxx万元，预计全年实现地区生产总值xxx亿元。")] == [
        "actual",
        "actual",
    ]


def test_target_words_make_targets_in_any_part() -> None:
    assert [i.kind for i in _read("力争网上办理率达到xx%，确保税收收入达到xx亿元。")] == ["target", "target"]
    assert [i.kind for i in _read("年度目标为营业收入xx亿元。")] == ["target"]
    assert [i.kind for i in _read("争取上级资金xx万元。", plan=True)] == ["target"]


def test_placeholder_count_takes_each_mask_once_with_its_context() -> None:
    assert count_placeholders(["xx.xxxA型号，xx领域，Dxx"]) == 0
    assert count_placeholders(["xx．xx亿元，第xx名，-x.x%，x,xxx人次"]) == 4


def test_a_count_without_growth_or_rank_is_skipped_but_one_qualified_later_is_kept() -> None:
    assert _named("新建基站xx个，改造管网xx公里。") == []
    inds = _read("签约项目xx个，总投资xx亿元，分别增长x%和xx%。")
    assert [(i.name, i.unit) for i in inds] == [("签约项目", "个"), ("总投资", "亿元")]
