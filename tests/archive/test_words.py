"""Chinese words for the index and for queries (jieba), and the queries refused with a message."""

from __future__ import annotations

import pytest

from taizhang.archive.search.words import MAX_QUERY_CHARS, QueryError, index_words, query_terms

pytestmark = pytest.mark.nodb


def test_a_query_is_cut_into_the_words_the_index_holds() -> None:
    assert query_terms("营商环境") == ["营商", "环境"]
    assert set(query_terms("营商环境")) <= set(index_words("持续优化营商环境").split())


def test_the_index_also_holds_the_words_inside_longer_words() -> None:
    words = index_words("县交通运输局").split()
    assert {"交通运输", "交通", "运输", "局"} <= set(words)
    # so both the long word and its parts find it
    assert set(query_terms("交通运输局")) <= set(words)
    assert set(query_terms("运输")) <= set(words)


def test_punctuation_and_case_are_not_words() -> None:
    words = index_words("推进“放管服”改革，ABC系统！").split()
    assert "abc" in words and "ABC" not in words and "改革" in words
    assert not [w for w in words if set(w) & set("“”，！")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请输入要检索的词语"),
        ("   ", "请输入要检索的词语"),
        ("营" * 10_000, f"检索词过长（10000 个字符），请控制在 {MAX_QUERY_CHARS} 个字符以内"),
        ('"*:-', "检索词中没有可检索的文字（标点和符号不参与检索），请换一个词语"),
        ("“”（）——", "检索词中没有可检索的文字（标点和符号不参与检索），请换一个词语"),
    ],
)
def test_queries_that_cannot_be_searched_get_a_chinese_message(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        query_terms(query)
    assert str(caught.value) == message


def test_search_syntax_is_only_words() -> None:
    # FTS5 operators and quotes come out as plain words or not at all
    assert query_terms('营商 NEAR "环境" -改革 title:审批*') == [
        "营商",
        "near",
        "环境",
        "改革",
        "title",
        "审批",
    ]


def test_too_many_words_are_refused() -> None:
    with pytest.raises(QueryError, match="词语过多"):
        query_terms(" ".join(f"词{n}" for n in range(20)))
