"""What 对账 reads from a parse: a plan's tasks, and the passages of a summary's summary part only."""

from __future__ import annotations

import pytest

from taizhang.reconcile.reading import ReadError, plan_tasks, read_plan, read_summary, summary_passages
from taizhang.reports import parse_text

pytestmark = pytest.mark.nodb

SUMMARY = """县城管局2025年工作总结及2026年工作计划
2025年，我局在县委县政府领导下扎实推进各项工作。
一、2025年工作总结
（一）环境卫生持续改善
完成垃圾中转站提升改造x座。
新建口袋公园x个。
（二）执法效能提升。拆除违法建设xx处。
二、工作亮点
获评全省城市管理示范单位。
三、存在的问题
执法力量不足。
四、2026年工作计划
（一）推进垃圾分类。新增“四分类”达标小区x个。
"""


def test_passages_are_the_summary_part_s_paragraphs_without_bare_headings() -> None:
    passages = summary_passages(parse_text(SUMMARY))
    assert [(p.line, p.text) for p in passages] == [
        (5, "完成垃圾中转站提升改造x座。"),
        (6, "新建口袋公园x个。"),
        (7, "（二）执法效能提升。拆除违法建设xx处。"),
        (9, "获评全省城市管理示范单位。"),
    ]


def test_a_summary_without_headings_is_all_passages() -> None:
    text = "县城管局2025年工作总结\n全年完成垃圾中转站改造x座。\n新建口袋公园x个。\n"
    assert [p.line for p in summary_passages(parse_text(text))] == [2, 3]


def test_tasks_are_the_engine_s_tasks_with_their_lines() -> None:
    tasks = plan_tasks(parse_text(SUMMARY))
    assert [(t.line, t.text) for t in tasks] == [(13, "推进垃圾分类。新增“四分类”达标小区x个。")]


def test_files_without_tasks_or_summary_are_refused_in_chinese(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    plan_only = tmp_path / "plan.txt"
    plan_only.write_text("县城管局2026年工作要点\n一、推进垃圾分类。新增达标小区x个。\n", encoding="utf-8")
    assert [t.line for t in read_plan(plan_only)] == [2]
    with pytest.raises(ReadError, match="未从总结文件中识别出总结部分的段落"):
        read_summary(plan_only)
    notes = tmp_path / "notes.txt"
    notes.write_text("会议记录\n", encoding="utf-8")
    with pytest.raises(ReadError, match="未从计划文件中识别出任务"):
        read_plan(notes)
    with pytest.raises(ReadError, match="文件不存在"):
        read_summary(tmp_path / "missing.txt")


def test_a_plan_or_summary_past_the_limits_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from taizhang.reconcile import reading

    monkeypatch.setattr(reading, "MAX_TASKS", 0)
    monkeypatch.setattr(reading, "MAX_PASSAGES", 3)
    from taizhang.reconcile.reading import require_passages, require_tasks

    with pytest.raises(ReadError, match="计划文件中有 1 项任务，超过 0 项"):
        require_tasks(parse_text(SUMMARY))
    with pytest.raises(ReadError, match="总结文件中有 4 段总结，超过 3 段"):
        require_passages(parse_text(SUMMARY))


def test_a_plan_and_a_summary_of_other_years_are_told_apart() -> None:
    from taizhang.reconcile.reading import plan_years, summary_years, year_warning

    document = parse_text(SUMMARY)
    assert (plan_years(document), summary_years(document)) == ({2026}, {2025})
    assert year_warning({2026}, {2026}) is None
    assert year_warning({2026}, {2025, 2026}) is None
    assert year_warning(set(), {2025}) is None  # a plan that names no year: nothing to compare
    assert (
        year_warning({2026}, {2025})
        == "总结的年度（2025年）与计划的年度（2026年）不同，请确认两份文件是否对应同一年"
    )
