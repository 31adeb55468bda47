"""What the parse does for speed changes nothing it reads: lazy patterns, first-character checks, gc."""

from __future__ import annotations

import gc
import re
import subprocess
import sys

from taizhang.reports import parse_text
from taizhang.reports.enumerators import match_enumerator
from taizhang.reports.lazyre import lazy


def test_lazy_pattern_matches_like_the_compiled_one() -> None:
    pattern = lazy(r"(?P<n>\d+)万元")
    compiled = re.compile(r"(?P<n>\d+)万元")
    text = "安排资金12万元，另有3万元"
    assert [m.group("n") for m in pattern.finditer(text)] == [m.group("n") for m in compiled.finditer(text)]
    assert pattern.sub("", text) == compiled.sub("", text)
    assert pattern.pattern == compiled.pattern


def test_full_width_digits_still_open_a_heading() -> None:
    enum = match_enumerator("１．加强项目管理")
    assert enum is not None and (enum.level, enum.number) == (3, 1)
    assert match_enumerator("加强项目管理") is None


def test_parse_pauses_the_cyclic_collector_and_resumes_it() -> None:
    assert gc.isenabled()
    doc = parse_text("县住建局2026年工作计划\n一、重点工作\n（一）加强监管。\n").documents[0]
    assert [t.text for t in doc.tasks] == ["加强监管。"]
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text("县住建局2026年工作计划\n")
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_importing_the_package_loads_the_engine_on_first_use() -> None:
    code = (
        "import sys, taizhang.reports as r\n"
        "print('taizhang.reports.indicators' in sys.modules)\n"
        "r.parse_text('x')\n"
        "print('taizhang.reports.indicators' in sys.modules, r.ParseResult.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "ParseResult"]


def test_cleaning_the_whole_text_at_once_cleans_each_line_alike() -> None:
    from taizhang.reports.clean import clean_line, clean_lines

    lines = [
        "\u3000\u3000一、工作开展情况",
        "全年完成  投资\u00a0\u2003x亿元 ",
        "获柴油xx##paid begin##吨，##PAID END##同比增长",
        "\t\ufeff",
        "",
        "共 \u3000 \u200b 计",
    ]
    assert clean_lines(lines) == [clean_line(line) for line in lines]
    assert clean_lines(lines)[1] == "全年完成 投资 x亿元"
    assert clean_lines(lines)[2] == "获柴油xx吨，同比增长"
    assert clean_lines([]) == []
    # A line holding a line end of its own is cleaned by itself, its number kept.
    assert clean_lines(["a\nb  c", "d"]) == ["a\nb c", "d"]


def test_one_scan_finds_the_run_ins_of_every_form() -> None:
    from taizhang.reports.enumerators import find_runins, runin_candidates

    text = "一是加强监管（1）落实；（2）检查。二是完善制度①建账②销号，三是统一是非"
    groups = runin_candidates(text)
    assert [r.number for r in groups["cn"]] == [1, 2, 3]  # `统一是` follows no boundary
    assert [r.number for r in groups["paren"]] == [1, 2]
    assert [r.number for r in groups["circled"]] == [1, 2]
    assert [text[r.start : r.end] for r in find_runins(text)] == ["一是", "二是", "三是"]
    assert [r.number for r in find_runins("二是扩大消费，三是稳定就业", allow_continue=True)] == [2, 3]
    assert find_runins("二是扩大消费，三是稳定就业") == []


def test_advert_words_and_bracketed_shop_names_are_adverts() -> None:
    from taizhang.reports.clean import is_advert

    assert is_advert("【公文素材库】更多范文")
    assert is_advert("更多资料请添加客服领取")
    assert is_advert("【xx公文】精选")
    assert not is_advert("【重点任务】加强项目管理")
    assert not is_advert("加强项目资料管理")


def test_trail_words_are_stripped_from_a_name_end_longest_first() -> None:
    from taizhang.reports.indicators import _clean_name

    assert _clean_name("社会消费品零售总额再创历史新高") == "社会消费品零售总额"
    assert _clean_name("规上工业增加值稳步增长") == "规上工业增加值"
    assert _clean_name("一般公共预算收入达到了") == "一般公共预算收入"
    assert _clean_name("项目签约") == "项目签约"  # `约` ends the word `签约`: kept


def test_the_heading_tree_walks_in_document_order() -> None:
    from taizhang.reports.structure import build_tree, find_documents

    lines = [
        "县住建局2026年工作计划",
        "一、重点工作",
        "（一）加强监管。",
        "1.抓安全。",
        "（二）优化服务。",
        "二、保障措施",
        "（一）强化组织。",
    ]
    spans, _ = find_documents(lines)
    root = build_tree(lines, spans[0])
    assert [n.section.line if n.section else 0 for n in root.walk()] == [0, 2, 3, 4, 5, 6, 7]
    assert root.children[0].walk()[-1].title_text == "优化服务"
