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


# --- The second speed pass (issue 7 part 5): each shortcut reads what the slower form read. ------

# Pieces of report text that exercise the shortcuts: values, counts, masks, ordinals, lead words,
# run-in enumerators, problem words, odd spaces, paywall markers.
_PIECES = (
    "12家", "x个", "xx.x亿元", "+5件", "1,234项", "3余家", "５家", "x万，", "万人", "x%", "１２％",
    "个百分点", "第一", "第x批", "前三", "前期", "目前", "提前", "靠前", "首位", "居全市", "排名",
    "位列", "增长", "分别", "一是", "二要", "（1）", "(2)", "①", "②", "虽然", "但", "问题", "不足",
    "存在的主要问题", "主要表现为", "面临着", "差距和不足", "，", "。", "；", "、", "企业", "数量",
    " ", "  ", "\u3000", "\t", "##paid begin##", "X", "PM", "的",
)  # fmt: skip


def _generated_lines(count: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return [
        "".join(
            rng.choice(_PIECES) + "的" * rng.choice((0, 0, 1, 3, 20, 60)) for _ in range(rng.randrange(1, 12))
        )
        for _ in range(count)
    ]


def test_clean_lines_shortcut_cleans_each_line_as_clean_line_does() -> None:
    from taizhang.reports.clean import _ODD_SPACE_CHARS, clean_line, clean_lines

    # What the shortcut rests on: isprintable() is false for every odd space, and the plain space
    # is the only blank it lets through (so a printable line needs no more than strip()).
    assert not any(char.isprintable() for char in _ODD_SPACE_CHARS)
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()] == [" "]
    printable = ["  加强管理 ", "投资 x亿元", "获##paid begin##柴油", "总计"]
    assert clean_lines(printable) == [clean_line(line) for line in printable]
    assert clean_lines(["a", "b  c"]) == ["a", "b c"]  # a run of spaces: the whole-text path
    for lines in (_generated_lines(40, seed) for seed in range(50)):
        assert clean_lines(lines) == [clean_line(line) for line in lines]


def test_advert_words_are_found_behind_their_rarer_characters() -> None:
    from taizhang.reports.clean import is_advert

    words = ("素材库", "添加客服", "会员群", "网盘群", "代笔（润笔）")
    for text in [
        "更多素材库资源",
        "请添加客服",
        "进会员群",
        "网盘群分享",
        "代笔（润笔）服务",
        "素材",
        "客服",
        "群众",
    ]:
        assert is_advert(text) == any(word in text for word in words)


def test_enumerator_dispatch_by_first_character_finds_what_every_pattern_finds() -> None:
    from taizhang.reports import enumerators as E

    def every_pattern(text: str) -> tuple[int, int, bool, int] | None:
        m = E._L1.match(text)
        if m and E.cn_to_int(m.group(1)):
            return 1, E.cn_to_int(m.group(1)), m.group(2) == "、", m.end()
        m = E._L2.match(text)
        if m and E.cn_to_int(m.group(2)):
            return 2, E.cn_to_int(m.group(2)), m.group(1) == "（" and m.group(3) == "）", m.end()
        m = E._L3.match(text)
        if m and not text[m.end() :].startswith(("年", "月", "日", "%", "％", "万", "亿")):
            return 3, int(m.group(1)), m.group(2) != ".", m.end()
        m = E._L4.match(text)
        if m:
            return 4, int(m.group(2)), m.group(1) == "（" and m.group(3) == "）", m.end()
        return None

    heads = [
        "一、",
        "十二．",
        "（三）",
        "(4)",
        "（x）",
        "5.",
        "１２、",
        "6.5%",
        "7年",
        "(8",
        "九是",
        "（十一)",
    ]
    for head in heads:
        for text in (head + "加强管理", head, head + " 2024年"):
            got = E.match_enumerator(text)
            want = every_pattern(text) if text[:1] in E._ENUM_FIRST else None
            assert (tuple(got) if got else None) == want, text


def test_rewritten_patterns_match_what_their_first_forms_matched() -> None:
    """Patterns rewritten to open on a literal or a consumed class (so SRE skips to candidates)
    against the forms they replaced, on corpus-like text."""
    from taizhang.reports import enumerators as E
    from taizhang.reports import items as I
    from taizhang.reports import roles as R

    cn, circled = E._CN, E._CIRCLED
    first_runin = re.compile(
        rf"(?=[一二三四五六七八九十（({circled}])"
        rf"(?:(?P<cn>{cn})(?:是|要)|[（(](?P<paren>\d{{1,2}})[）)]|(?P<circled>[{circled}]))"
    )
    first_intro = re.compile(
        r"(?=[虽尽存面不差主])"
        r"(?:(?:虽然|虽|尽管).{0,120}(?:但|仍|还).{0,80}(?:问题|不足|差距|短板|困难|薄弱|弱项)"
        r"|(?:存在|面临)(?:的|着)?(?:一些|以下|如下|不少)?(?:问题|不足|困难|短板)"
        r"|不足之处|差距和不足|主要(?:体现|表现)(?:在|为))"
    )
    first_problem = re.compile(
        r"(?:问题|困难|不足|短板|差距|建议|挑战|弱项)$|存在.{0,6}(?:问题|困难|不足|短板)|(?:问题|困难|不足)(?:和|与|及)"
    )
    first_child = re.compile(
        r"(?:存在|主要|面临)的?(?:主要)?(?:问题|困难|不足|短板)|困难和问题|问题和不足|不足之处|问题与不足"
    )
    for text in _generated_lines(3000, 7):
        assert [(m.start(), m.end()) for m in E._RUNIN_ANY.finditer(text)] == [
            (m.start(), m.end()) for m in first_runin.finditer(text)
        ]
        for runin in E.find_runins(text):  # the numerals after the first are read with it
            assert runin.number >= 1
        assert E.may_open_runin(text, len(text)) == bool(first_runin.search(text, 1))
        assert I.is_problem_intro(text) == bool(first_intro.search(text))
        assert bool(R._PROBLEM.search(text)) == bool(first_problem.search(text))
        assert bool(R._CHILD_PROBLEM.search(text)) == bool(first_child.search(text))


def test_indicator_shortcuts_read_what_the_full_checks_read() -> None:
    from taizhang.reports import indicators as I

    for text in _generated_lines(3000, 11):
        # Ordinals found by str.find: the pattern's own scan.
        assert [m.span() for m in I._ordinals(text)] == [m.span() for m in I._ORD_ANCHOR.finditer(text)]
        # _usable's shortcut for two opening Chinese characters.
        for name in (text, text[:2], text[-3:]):
            want = bool(name) and name[-1] not in I._COUNT_NAME_BAD and I._TWO_CJK.search(name) is not None
            assert I._usable(name) == want
        # A line refused by _may_rank holds no indicator, in a summary or a plan.
        if not any(unit in text for unit in ("%", "％", "元", "百分点")) and not I._may_rank(text):
            assert I._line_indicators(text, 1, False) == []
            assert I._line_indicators(text, 1, True) == []


def test_a_value_cut_at_a_line_end_is_seen_from_the_end() -> None:
    from taizhang.reports.rejoin import _VALUE_TAIL, _mid_value

    for a in ["全年实现旅游收入x.x亿", "增长6", "共计12", "加强管理", "x.", "12万", "投资1", "1亿\n"]:
        assert bool(_VALUE_TAIL.search(a, max(len(a) - 3, 0))) == bool(_VALUE_TAIL.search(a))
    assert _mid_value("全年实现旅游收入x.x亿", "元，同比增长x%。")
    assert not _mid_value("加强管理", "元，同比增长x%。")


def test_reading_a_text_file_imports_no_package_or_table_reader() -> None:
    code = (
        "import sys, tempfile, pathlib\n"
        "from taizhang.reports import parse_file\n"
        "p = pathlib.Path(tempfile.mkdtemp()) / 'a.txt'\n"
        "p.write_text('县住建局2026年工作计划\\n一、重点工作\\n（一）加强监管。\\n', encoding='utf-8')\n"
        "doc = parse_file(p).documents[0]\n"
        "print(len(doc.tasks), 'zipfile' in sys.modules, 'taizhang.reports.tables' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False", "False"]


def test_json_in_pieces_is_the_json_of_the_whole() -> None:
    import json

    from taizhang.reports import ParseResult

    result = parse_text(
        "县住建局2025年工作总结和2026年工作计划\n一、工作开展情况\n全年完成投资x亿元，同比增长x%。\n"
        "二、2026年工作计划\n（一）加强监管。\n（二）“优化”服务\\t。\n"
    )
    whole = json.dumps(result.to_dict(), ensure_ascii=False)
    assert "".join(result.json_chunks()) == whole
    json.loads(whole)
    empty = ParseResult(source="空.txt")
    assert "".join(empty.json_chunks()) == json.dumps(empty.to_dict(), ensure_ascii=False)
    two = ParseResult(source="x", documents=result.documents * 2)
    assert "".join(two.json_chunks()) == json.dumps(two.to_dict(), ensure_ascii=False)


def test_a_line_opens_with_a_run_in_list_only_if_one_stands_at_its_start() -> None:
    from taizhang.reports.enumerators import find_runins, runin_at_start

    for text in [
        *_generated_lines(3000, 13),
        "一是加强监管，二是优化服务",
        "（1）落实；（2）检查",
        "①建账②销号",
    ]:
        runins = find_runins(text, allow_continue=True)
        if runins and runins[0].start == 0:
            assert runin_at_start(text)


def test_possessive_mask_runs_count_what_backtracking_runs_counted() -> None:
    import random

    from taizhang.reports import indicators as I

    rest = r"[xX]*(?:[.．,][xX]+)*(?![A-Za-z])"
    words = re.escape("".join(sorted(I._AFTER_DIGITS)))
    first_form = re.compile(
        rf"[xX](?<![A-Za-z].)(?:(?<=[第\-—~至].){rest}|{rest}(?=[{words}])"
        r"|[xX]*(?:[．][xX]+)*[.,][xX]+(?:[.．,][xX]+)*(?![A-Za-z]))"
    )
    rng = random.Random(3)
    pieces = [
        "x",
        "X",
        "x.",
        ".x",
        ",",
        "，",
        "．",
        "A",
        "年",
        "第",
        "-",
        "局",
        "xx",
        "。",
        "x,x",
        "万",
        "\n",
    ]
    for _ in range(20000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 10))) for _ in range(2)]
        assert I.count_placeholders(lines) == len(first_form.findall("\n".join(lines))), lines
