"""Chinese words for the index and for a query, by jieba.

The index holds every word jieba's search mode finds (``cut_for_search``: the words of a sentence
and the dictionary words inside the longer ones, 交通运输 → 交通 运输 交通运输), the query the words
of its accurate cut (``cut``): so 营商环境 finds 优化营商环境, 交通运输局 finds 县交通运输局. The HMM
guesser of unknown words is off on both sides: it may glue the same characters differently in
different sentences, the dictionary never does. Only word characters are kept (letters, digits,
Chinese), lowercased; punctuation and a full-text engine's syntax (quotes, `*`, `-`, `:`, NEAR) are
never passed on as syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from taizhang.core import segment

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """A query that cannot be searched, with the Chinese message to show."""


def _jieba() -> Any:
    """jieba, its dictionary loaded once per process (shared with 对账: ``core.segment``)."""
    return segment.jieba()


def _pieces(tokens: Iterator[str]) -> Iterator[str]:
    for token in tokens:
        yield from _WORD.findall(token.lower())


def index_words(text: str) -> str:
    """The words the index keeps for ``text``, separated by spaces."""
    cut: Callable[..., Iterator[str]] = _jieba().cut_for_search
    return " ".join(_pieces(cut(text, HMM=False)))


def query_terms(query: str) -> list[str]:
    """The words a query looks for (all must be present), or QueryError with a Chinese message."""
    text = (query or "").strip()
    if not text:
        raise QueryError("请输入要检索的词语")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"检索词过长（{len(text)} 个字符），请控制在 {MAX_QUERY_CHARS} 个字符以内")
    cut: Callable[..., Iterator[str]] = _jieba().cut
    terms = list(dict.fromkeys(_pieces(cut(text, HMM=False))))
    if not terms:
        raise QueryError("检索词中没有可检索的文字（标点和符号不参与检索），请换一个词语")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"检索词包含的词语过多（{len(terms)} 个），请精简到 {MAX_TERMS} 个以内")
    return terms
