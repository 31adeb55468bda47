"""Tasks (PARSE.md §5) and problems (§6) on examples written for the tests."""

from __future__ import annotations

from taizhang.reports import Document, parse_text

TITLE = "县住建局2025年工作总结及2026年工作计划\n"


def _doc(body: str) -> Document:
    return parse_text(TITLE + body).documents[0]


def test_each_run_in_item_is_one_task_with_its_path() -> None:
    doc = _doc("一、2026年工作计划\n（一）抓好城市更新。一是改造老旧小区xx个；二是新建停车位xxx个。\n")
    assert [(t.line, t.text) for t in doc.tasks] == [(3, "改造老旧小区xx个"), (3, "新建停车位xxx个。")]
    assert doc.tasks[0].path == ["一、2026年工作计划", "（一）抓好城市更新"]


def test_mixed_yao_and_shi_enumerators_form_one_list() -> None:
    doc = _doc("一、2026年工作计划\n1.推进农房改造，一要摸清底数。二要分类施策。三是加强验收。\n")
    assert [t.text for t in doc.tasks] == ["摸清底数。", "分类施策。", "加强验收。"]


def test_run_in_heading_with_plain_body_is_one_task() -> None:
    doc = _doc("一、2026年工作计划\n（一）强化项目保障。统筹用地指标，保障重点项目落地。\n")
    assert [(t.line, t.text, t.path) for t in doc.tasks] == [
        (3, "强化项目保障。统筹用地指标，保障重点项目落地。", ["一、2026年工作计划"])
    ]


def test_standalone_heading_and_its_body_are_one_task_at_the_heading() -> None:
    doc = _doc(
        "一、2026年工作计划\n（一）建设智慧工地平台\n年内完成平台验收，接入在建工地。\n（二）完成安全检查。\n"
    )
    assert [(t.line, t.text) for t in doc.tasks] == [
        (3, "建设智慧工地平台。年内完成平台验收，接入在建工地。"),
        (5, "完成安全检查。"),
    ]


def test_heading_with_enumerated_children_is_not_a_task() -> None:
    doc = _doc("一、2026年工作计划\n（一）提升物业管理\n一是开展星级评定。\n二是建立红黑榜。\n")
    assert [(t.line, t.text) for t in doc.tasks] == [(4, "开展星级评定。"), (5, "建立红黑榜。")]
    assert doc.tasks[0].path == ["一、2026年工作计划", "（一）提升物业管理"]


def test_preamble_and_closing_paragraphs_are_not_tasks() -> None:
    doc = _doc(
        "一、2026年工作计划\n2026年，我局将坚持稳中求进，重点抓好以下工作。\n"
        "（一）抓好燃气安全。开展隐患排查。\n全年工作任务艰巨，我们将攻坚克难。\n"
    )
    assert [t.text for t in doc.tasks] == ["抓好燃气安全。开展隐患排查。"]


def test_no_tasks_outside_plan_parts() -> None:
    doc = _doc("一、2025年工作总结\n（一）完成棚户区改造。一是签约xx户；二是拆除xx户。\n")
    assert doc.tasks == []


def test_problems_in_a_problem_section() -> None:
    doc = _doc(
        "一、存在的问题\n虽然取得一定成效，但问题仍然存在，主要体现在：\n"
        "（一）资金保障不足。部分项目资金缺口较大。\n（二）人才队伍薄弱。\n专业技术人员偏少。\n"
    )
    assert [(p.line, p.text) for p in doc.problems] == [
        (4, "资金保障不足。部分项目资金缺口较大。"),
        (5, "人才队伍薄弱。专业技术人员偏少。"),
    ]


def test_unheaded_problem_passage_in_a_summary_part() -> None:
    doc = _doc(
        "一、2025年工作总结\n（一）完成保障房建设。\n"
        "虽然全年工作取得了一些成绩，但是离群众期盼还有差距。\n一是服务还不够精细；二是监管还有短板。\n"
        "二、2026年工作计划\n（一）加强监管。\n"
    )
    assert [(p.line, p.text) for p in doc.problems] == [(5, "服务还不够精细"), (5, "监管还有短板。")]
    assert [t.text for t in doc.tasks] == ["加强监管。"]


def test_problem_passage_inside_a_plan_section_gives_problems_not_tasks() -> None:
    doc = _doc(
        "一、存在问题及下一年工作打算\n我局虽然做了大量工作，但还存在一些不足之处：一是宣传不够深入；二是方法不够灵活。\n"
        "（一）创新宣传方式。开设专栏。\n"
    )
    assert [p.text for p in doc.problems] == ["宣传不够深入", "方法不够灵活。"]
    assert [t.text for t in doc.tasks] == ["创新宣传方式。开设专栏。"]


def test_numbered_list_continues_into_the_next_paragraph() -> None:
    doc = _doc(
        "一、2026年工作计划\n（一）做好旅游工作。一是培育特色村。\n二是打造精品线路。三是规范市场秩序。\n"
    )
    assert [t.text for t in doc.tasks] == ["培育特色村。", "打造精品线路。", "规范市场秩序。"]
    assert {t.line for t in doc.tasks} == {3, 4}


def test_plain_run_in_paragraph_among_numbered_items_is_a_task() -> None:
    doc = _doc(
        "一、2026年工作计划\n（一）加快项目建设\n1.推进国道改造。完成国道改造工程。\n"
        "强化资金保障。积极争取上级资金支持。\n2.完善农村公路。新改建农村公路。\n"
    )
    assert [(t.line, t.text) for t in doc.tasks] == [
        (4, "推进国道改造。完成国道改造工程。"),
        (5, "强化资金保障。积极争取上级资金支持。"),
        (6, "完善农村公路。新改建农村公路。"),
    ]
    assert doc.tasks[1].path == doc.tasks[0].path == ["一、2026年工作计划", "（一）加快项目建设"]


def test_run_in_paragraphs_directly_under_the_plan_part_are_tasks() -> None:
    doc = _doc(
        "一、2026年工作计划\n2026年，我局将坚持稳中求进，抓好以下工作。\n"
        "总体思路。以高质量发展为主线。\n稳增长。抓好项目投资，扩大有效需求。\n"
        "惠民生。办好十件民生实事。\n"
    )
    assert [(t.line, t.text) for t in doc.tasks] == [
        (5, "稳增长。抓好项目投资，扩大有效需求。"),
        (6, "惠民生。办好十件民生实事。"),
    ]


def test_standalone_heading_over_several_paragraphs_gives_one_task_each() -> None:
    doc = _doc(
        "一、2026年工作计划\n（一）强化安全监管\n开展汛期隐患排查。对在建工地逐一排查，建立台账。\n"
        "完善应急预案体系。修订各类专项预案。\n（二）建设智慧平台\n年内完成平台验收。\n"
    )
    assert [(t.line, t.text) for t in doc.tasks] == [
        (4, "开展汛期隐患排查。对在建工地逐一排查，建立台账。"),
        (5, "完善应急预案体系。修订各类专项预案。"),
        (6, "建设智慧平台。年内完成平台验收。"),
    ]
    assert doc.tasks[0].path == ["一、2026年工作计划", "（一）强化安全监管"]


def test_standalone_heading_body_broken_mid_sentence_is_still_one_task() -> None:
    doc = _doc("一、2026年工作计划\n（一）建设智慧工地平台\n年内完成平台验收，\n接入全部在建工地。\n")
    assert [(t.line, t.text) for t in doc.tasks] == [
        (3, "建设智慧工地平台。年内完成平台验收，接入全部在建工地。")
    ]


def test_parallel_run_in_items_in_one_paragraph_are_one_task_each() -> None:
    doc = _doc(
        "一、2026年工作计划\n（一）推进乡村振兴\n"
        "稳粮。粮食播种面积稳定在xx万亩。扩经。发展特色经济作物，壮大茶产业。强链。延伸农产品加工链条。\n"
        "（二）抓好三件大事。抓项目。新开工项目xx个。优环境。深化放管服改革。\n"
    )
    assert [(t.line, t.text) for t in doc.tasks] == [
        (4, "稳粮。粮食播种面积稳定在xx万亩。"),
        (4, "扩经。发展特色经济作物，壮大茶产业。"),
        (4, "强链。延伸农产品加工链条。"),
        (5, "抓项目。新开工项目xx个。"),
        (5, "优环境。深化放管服改革。"),
    ]


def test_short_sentences_without_bodies_are_not_parallel_items() -> None:
    doc = _doc("一、2026年工作计划\n（一）加强组织领导。成立专班。明确责任。压实责任。\n")
    assert [t.text for t in doc.tasks] == ["加强组织领导。成立专班。明确责任。压实责任。"]


def test_plain_paragraph_after_an_enumerated_problem_list_is_a_problem() -> None:
    doc = _doc(
        "一、2025年工作总结\n（一）完成保障房建设。\n二、存在问题\n"
        "存在问题：一是资金缺口较大；二是人员不足。\n人才储备不足，专业人员缺乏。\n"
        "以上问题，我们将在今后工作中认真加以解决。\n三、2026年工作计划\n（一）加强监管。\n"
    )
    assert [(p.line, p.text) for p in doc.problems] == [
        (5, "资金缺口较大"),
        (5, "人员不足。"),
        (6, "人才储备不足，专业人员缺乏。"),
    ]


def test_a_summing_up_sentence_is_cut_from_the_last_problem() -> None:
    doc = _doc(
        "一、2025年工作总结\n（一）完成保障房建设。\n"
        "虽然全年工作取得了一些成绩，但是离群众期盼还有差距。一是服务还不够精细；二是监管还有短板。"
        "上述问题，我们将认真研究解决。\n二、存在的问题\n一是资金不足。二是人员偏少。针对以上问题，我们将加以解决。\n"
    )
    assert [(p.line, p.text) for p in doc.problems] == [
        (4, "服务还不够精细"),
        (4, "监管还有短板。"),
        (6, "资金不足。"),
        (6, "人员偏少。"),
    ]
