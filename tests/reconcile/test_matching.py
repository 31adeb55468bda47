"""对账 matching on small examples written for the tests: exact, paraphrase, no mention, unplanned,
a paragraph reporting on several tasks, a distractor sharing a word; the JSON's shape."""

from __future__ import annotations

import pytest

from taizhang.reconcile.matching import (
    STOP_WORDS,
    Text,
    items,
    reconcile,
    words,
)

pytestmark = pytest.mark.nodb

PLAN = [
    Text(10, "完成污水处理厂三期扩建项目建设，确保污水处理提质增效。"),
    Text(11, "提升生活垃圾分类成效，新增x个“四分类”达标小区；开展生活垃圾分类处理终端处置单位督查。"),
    Text(12, "推进“口袋公园”建设，实施古树名木抢救复壮和后备资源普查。"),
    Text(13, "开展住宅小区业主公共收益专项执法检查，聚焦物业“小切口”办好群众身边事。"),
    Text(14, "扎实开展“安全生产月”活动，提高安全生产水平。"),
]


def linked(result: object, task_line: int) -> list[int]:
    from taizhang.reconcile.matching import Reconciliation

    assert isinstance(result, Reconciliation)
    task = next(t for t in result.tasks if t.line == task_line)
    return [m.line for m in task.matches]


def test_a_passage_repeating_the_task_matches_it_and_only_it() -> None:
    result = reconcile(PLAN, [Text(3, PLAN[0].text)])
    assert linked(result, 10) == [3]
    assert result.tasks[0].matches[0].score > 0.9
    assert [t.line for t in result.tasks if t.mentioned] == [10]


def test_a_paraphrase_matches_its_task_with_the_shared_words_as_evidence() -> None:
    result = reconcile(PLAN, [Text(5, "污水处理厂三期扩建工程通过验收投入运行，日处理能力提高到x万吨。")])
    assert linked(result, 10) == [5]
    evidence = result.tasks[0].matches[0].evidence
    assert "污水" in evidence and "扩建" in evidence
    assert not set(evidence) & STOP_WORDS


def test_a_task_no_passage_reports_on_is_not_mentioned() -> None:
    result = reconcile(PLAN, [Text(5, "新增“四分类”达标小区x个，对各终端处置单位开展垃圾分类督查x轮。")])
    assert linked(result, 11) == [5]
    assert [t.line for t in result.tasks if not t.mentioned] == [10, 12, 13, 14]
    assert (result.mentioned_count, result.not_mentioned_count) == (1, 4)


def test_a_passage_on_no_task_is_unplanned() -> None:
    passages = [
        Text(5, "举办月季花展等园事花事活动x场，招募园林志愿者xxx人次。"),
        Text(6, "完成冬季供暖管网改造xx公里，保障xx户居民温暖过冬。"),
    ]
    result = reconcile(PLAN, passages)
    assert [p.line for p in result.unplanned] == [5, 6]
    assert not any(t.mentioned for t in result.tasks)


def test_a_distractor_sharing_a_word_is_not_a_report_on_the_task() -> None:
    # 小区 and 检查 are the task's words too, but the passage reports on parking, not shared income.
    result = reconcile(
        PLAN, [Text(7, "城区老旧小区新增停车泊位xxxx个，智慧停车平台上线运行，开展停车收费检查x次。")]
    )
    assert linked(result, 13) == []
    assert [p.line for p in result.unplanned] == [7]


def test_a_paragraph_of_items_reports_on_each_task_it_names() -> None:
    paragraph = (
        "（一）环境卫生持续改善。一是新增“四分类”达标小区x个，开展终端处置单位督查x次；"
        "二是污水处理厂三期扩建项目建成投运；三是组织“安全生产月”活动，开展应急演练x场。"
    )
    result = reconcile(PLAN, [Text(20, paragraph)])
    assert linked(result, 10) == linked(result, 11) == linked(result, 14) == [20]
    assert linked(result, 12) == linked(result, 13) == []
    assert result.passages[0].tasks == (0, 1, 4)


def test_matches_are_best_first_and_every_score_reaches_the_threshold() -> None:
    passages = [
        Text(30, "垃圾分类宣传进小区x场。"),
        Text(31, "新增“四分类”达标小区x个，生活垃圾分类成效明显，对终端处置单位开展督查。"),
    ]
    result = reconcile(PLAN, passages)
    matches = next(t for t in result.tasks if t.line == 11).matches
    assert matches[0].line == 31
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.score >= result.threshold for t in result.tasks for m in t.matches)


def test_the_json_has_exactly_the_issue_s_shape() -> None:
    result = reconcile(PLAN, [Text(3, PLAN[0].text), Text(4, "完成冬季供暖管网改造xx公里。")])
    data = result.to_dict()
    assert set(data) == {"tasks", "unplanned"}
    assert [t["line"] for t in data["tasks"]] == [10, 11, 12, 13, 14]
    first = data["tasks"][0]
    assert set(first) == {"line", "text", "matches"} and first["text"] == PLAN[0].text
    assert [set(m) for m in first["matches"]] == [{"line", "score", "text"}]
    assert first["matches"][0]["line"] == 3 and isinstance(first["matches"][0]["score"], float)
    assert data["tasks"][1]["matches"] == []
    assert data["unplanned"] == [{"line": 4, "text": "完成冬季供暖管网改造xx公里。"}]


def test_nothing_to_match_is_no_error() -> None:
    assert reconcile([], [Text(1, "完成冬季供暖管网改造。")]).to_dict() == {
        "tasks": [],
        "unplanned": [{"line": 1, "text": "完成冬季供暖管网改造。"}],
    }
    result = reconcile(PLAN, [])
    assert result.not_mentioned_count == 5 and result.unplanned == []
    # Figures and punctuation only: no feature at all, nothing matched.
    assert reconcile([Text(1, "xx%，x.x亿元。")], [Text(2, "100%。")]).mentioned_count == 0


def test_stop_words_placeholders_and_figures_are_no_words() -> None:
    got = words("进一步加强垃圾分类工作，新增xx个达标小区，完成率98.5%。")
    assert "垃圾" in got or "垃圾分类" in got
    assert not {"进一步", "加强", "工作", "xx", "98.5", "新增"} & set(got)


def test_a_paragraph_splits_into_its_items_and_a_sentence_stays_whole() -> None:
    paragraph = "（二）执法效能提升。一是拆除违法建设xx处；二是查处渣土运输违规车辆xx辆。"
    assert items(paragraph) == [
        paragraph,
        "（二）执法效能提升",
        "一是拆除违法建设xx处",
        "二是查处渣土运输违规车辆xx辆",
    ]
    assert items("完成冬季供暖管网改造xx公里。") == ["完成冬季供暖管网改造xx公里。"]
