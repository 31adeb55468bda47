"""对账: which passages of a summary report on which tasks of a plan. Pure Python, no Django.

The method, chosen by measurement on the hand-labelled set in ``tests/reconcile/eval_set.json``
(``benchmarks/reconcile_eval.py`` prints the figures of it and of the alternatives):

- every text becomes jieba words (domain stop words such as 推进 / 加强 / 工作 / 进一步 and
  placeholders such as ``xx`` dropped) plus the character bigrams of its Chinese runs, so a word
  jieba cuts differently in the two documents (``垃圾分类`` / ``垃圾 分类``) still meets;
- TF-IDF weights (scikit-learn) learned over the two documents only — the plan's tasks and the
  summary's passages — so a word every task uses (``安全``, ``服务``) counts little, a word only
  one task and one passage share counts much;
- a passage is scored whole and item by item (``一是…二是…``, clauses ending in ``。；``): a
  summary paragraph that reports on three tasks meets each of them in one of its items;
- an item reports on a task when their cosine reaches ``THRESHOLD`` and at least ``RELATIVE`` of
  the item's best cosine with any task (so one item is not spread over every task sharing a word).

A task that no passage reports on is 未提及; a passage that reports on no task is 计划外.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from taizhang.core import segment

# Measured on the evaluation set (benchmarks/reconcile_eval.py prints the table around them).
THRESHOLD = 0.12
RELATIVE = 0.7
EVIDENCE_TERMS = 6

# Words every plan and summary of the genre uses for any task: they say that something is done,
# not what (and the measures of any figure: 公里, 人次). Dropped before weighting (the IDF of two
# documents is too small to learn them all).
_STOP = """
的 了 和 与 及 以及 等 在 对 为 将 是 把 从 并 又 也 中 上 下 其 之 我 我们
我局 本局 各 各类 一批 年 全年 年度 以 于 由 按 按照 通过 进行 相关 有关 重点 主要
工作 推进 加强 进一步 持续 全面 深入 开展 积极 完成 提升 做好 强化 扎实 不断 大力
继续 实现 推动 落实 确保 全力 切实 有效 着力 加快 加大 力度 建立 健全 完善 提高 水平
深化 坚持 努力 形成 发挥 作用 及时 严格 新增 同比 增长 达到 达 累计 万元 亿元 万 亿
一是 二是 三是 四是 五是 六是 七是 八是 九是 十是
公里 平方米 立方米 公顷 万亩 人次 户次 台次 余处 余家
"""
STOP_WORDS = frozenset(_STOP.split())


_PLACEHOLDER = re.compile(r"[xX]+(?:[.．][xX]+)?|\d+(?:[.．]\d+)?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# Items of a summary paragraph: clauses ending in 。；！？ and run-in enumerations (一是…, （1）…).
_ITEM_BREAK = re.compile(r"[。；;！？!?]|(?=[一二三四五六七八九十]+是)|(?=[（(]\d{1,2}[）)])|(?=[①-⑳])")
_MIN_ITEM_HAN = 6  # shorter pieces (a bare run-in head, `二是`) say too little to be scored alone
_BIGRAM = "·"  # marks a character bigram apart from a two-character word


@dataclass(frozen=True)
class Text:
    """A plan task or a summary passage: its line in its file, and its text."""

    line: int
    text: str


@dataclass(frozen=True)
class Match:
    """A passage that reports on a task: its score (cosine, 0–1) and the terms they share."""

    line: int
    text: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskResult:
    line: int
    text: str
    matches: tuple[Match, ...]

    @property
    def mentioned(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True)
class PassageResult:
    """A summary passage and the tasks it reports on (indexes into ``Reconciliation.tasks``)."""

    line: int
    text: str
    tasks: tuple[int, ...]

    @property
    def unplanned(self) -> bool:
        return not self.tasks


@dataclass(frozen=True)
class Reconciliation:
    tasks: tuple[TaskResult, ...]
    passages: tuple[PassageResult, ...]
    threshold: float = THRESHOLD

    @property
    def unplanned(self) -> list[PassageResult]:
        return [p for p in self.passages if p.unplanned]

    @property
    def mentioned_count(self) -> int:
        return sum(1 for t in self.tasks if t.mentioned)

    @property
    def not_mentioned_count(self) -> int:
        return len(self.tasks) - self.mentioned_count

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `taizhang reconcile --json` (issue 11)."""
        return {
            "tasks": [
                {
                    "line": t.line,
                    "text": t.text,
                    "matches": [{"line": m.line, "score": m.score, "text": m.text} for m in t.matches],
                }
                for t in self.tasks
            ],
            "unplanned": [{"line": p.line, "text": p.text} for p in self.unplanned],
        }


# --- features ---------------------------------------------------------------------------------


def _tokenizer() -> Any:
    """jieba's tokenizer, shared with the archive's search (``core.segment``: one dictionary in memory)."""
    return segment.jieba()


def _plain(text: str) -> str:
    return _PLACEHOLDER.sub(" ", text)


def words(text: str) -> list[str]:
    """jieba words of ``text`` that say what it is about (no stop words, figures, punctuation)."""
    return list(_words(text))


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    # jieba is the slow step (pure Python): a text is cut once, for its features and its evidence.
    return tuple(
        w
        for w in _tokenizer().lcut(_plain(text), HMM=False)
        if len(w) > 1 and w not in STOP_WORDS and _WORDLIKE.search(w)
    )


def features(text: str) -> list[str]:
    """Words plus the character bigrams of the Chinese runs (marked, so `垃圾` the word and `垃圾`
    the bigram are two features: a shared word is worth more than a shared pair of characters)."""
    grams = [_BIGRAM + run[i : i + 2] for run in _HAN_RUN.findall(_plain(text)) for i in range(len(run) - 1)]
    return words(text) + grams


def items(text: str) -> list[str]:
    """The passage itself, then its items when it has more than one."""
    parts = [p.strip(" ，,、") for p in _ITEM_BREAK.split(text)]
    parts = [p for p in parts if len(re.findall(r"[\u4e00-\u9fff]", p)) >= _MIN_ITEM_HAN]
    return [text, *parts] if len(parts) > 1 else [text]


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class Scores:
    """Cosines of every task with every item of every passage, and the features behind them.
    Kept per item and only where not 0 (``columns[k]``: {task: cosine}): most pairs share nothing,
    and a large plan against a long summary would otherwise hold millions of zeros."""

    tasks: Sequence[Text]
    passages: Sequence[Text]
    item_owner: list[int] = field(default_factory=list)  # the passage of each item
    item_text: list[str] = field(default_factory=list)
    columns: list[dict[int, float]] = field(default_factory=list)
    _weights: Any = None  # (task rows, item rows, vocabulary) for the evidence

    def value(self, i: int, k: int) -> float:
        """Task ``i`` with item ``k``."""
        return self.columns[k].get(i, 0.0)

    def passage_score(self, i: int, j: int) -> float:
        """Task ``i`` with passage ``j``: the best of the passage's items."""
        return max((self.value(i, k) for k, owner in enumerate(self.item_owner) if owner == j), default=0.0)

    def set_dense(self, rows: Sequence[Sequence[float]]) -> None:
        """Cosines given as one row per task (a similarity computed some other way)."""
        self.columns = [
            {i: float(row[k]) for i, row in enumerate(rows) if row[k]} for k in range(len(self.item_owner))
        ]


def split_items(passages: Sequence[Text], split: bool = True) -> tuple[list[int], list[str]]:
    """(the passage of each item, the item's text): every passage, then its items."""
    owner: list[int] = []
    texts: list[str] = []
    for j, passage in enumerate(passages):
        for piece in items(passage.text) if split else [passage.text]:
            owner.append(j)
            texts.append(piece)
    return owner, texts


def score(tasks: Sequence[Text], passages: Sequence[Text], split: bool = True, floor: float = 0.0) -> Scores:
    """TF-IDF cosines, the IDF learned over these tasks and whole passages; cosines under ``floor``
    are dropped (``reconcile`` drops those under its threshold: they can make no link)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = Scores(tasks, passages)
    out.item_owner, out.item_text = split_items(passages, split)
    out.columns = [{} for _ in out.item_owner]
    if not tasks or not passages:
        return out
    cache: dict[str, list[str]] = {}

    def analyse(text: str) -> list[str]:
        if text not in cache:
            cache[text] = features(text)
        return cache[text]

    vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
    try:
        vectorizer.fit([t.text for t in tasks] + [p.text for p in passages])
    except ValueError:  # not one feature in either document (figures and punctuation only)
        return out
    task_rows = vectorizer.transform([t.text for t in tasks])
    item_rows = vectorizer.transform(out.item_text)
    # Rows are L2-normalised: the product is the cosine (sparse, one column per item).
    product = (item_rows @ task_rows.T).tocsr()
    if floor > 0:
        product.data[product.data < floor] = 0
        product.eliminate_zeros()
    out.columns = [_row(product, k) for k in range(product.shape[0])]
    out._weights = (task_rows, item_rows, vectorizer.get_feature_names_out())
    return out


def evidence(scores: Scores, i: int, k: int, limit: int = EVIDENCE_TERMS) -> tuple[str, ...]:
    """The words task ``i`` and item ``k`` share, heaviest first. A shared character pair counts as
    a word when either text has it as a word (`扩建` beside `扩建项目`); other pairs (`桥项`,
    straddling two words) only when the texts share nothing else."""
    if scores._weights is None:
        return ()
    task_rows, item_rows, vocabulary = scores._weights
    a, b = _row(task_rows, i), _row(item_rows, k)
    shared = a.keys() & b.keys()
    ranked = [str(vocabulary[n]) for n in sorted(shared, key=lambda n: (-a[n] * b[n], str(vocabulary[n])))]
    known = set(words(scores.tasks[i].text)) | set(words(scores.item_text[k]))
    chosen: list[str] = []
    for term in ranked:
        pair = term.removeprefix(_BIGRAM)
        if (term == pair or pair in known) and not any(pair in c for c in chosen):
            chosen.append(pair)
    if not chosen:
        chosen = [term.removeprefix(_BIGRAM) for term in ranked]
    return tuple(chosen[:limit])


def _row(matrix: Any, n: int) -> dict[int, float]:
    """Row ``n`` of a CSR matrix as {column: value}, read from its arrays (indexing a sparse
    matrix element by element costs a validation each time)."""
    start, end = matrix.indptr[n], matrix.indptr[n + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))


def links(
    scores: Scores, threshold: float = THRESHOLD, relative: float = RELATIVE
) -> dict[tuple[int, int], int]:
    """{(task, passage): the item that carries the link} for every link the rule makes."""
    found: dict[tuple[int, int], int] = {}
    for k, owner in enumerate(scores.item_owner):
        column = scores.columns[k]
        best = max(column.values(), default=0.0)
        for i, value in sorted(column.items()):
            if value >= threshold and value >= relative * best:
                held = found.get((i, owner))
                if held is None or value > scores.value(i, held):
                    found[(i, owner)] = k
    return found


def reconcile(
    tasks: Sequence[Text],
    passages: Sequence[Text],
    threshold: float = THRESHOLD,
    relative: float = RELATIVE,
) -> Reconciliation:
    """Each task with the passages that report on it (best first), each passage with its tasks."""
    scores = score(tasks, passages, floor=threshold)
    found = links(scores, threshold, relative)
    per_task: list[list[Match]] = [[] for _ in tasks]
    per_passage: list[list[int]] = [[] for _ in passages]
    for (i, j), k in sorted(found.items()):
        p = passages[j]
        value = round(scores.value(i, k), 2)
        per_task[i].append(Match(p.line, p.text, value, evidence(scores, i, k)))
        per_passage[j].append(i)
    return Reconciliation(
        tasks=tuple(
            TaskResult(t.line, t.text, tuple(sorted(m, key=lambda x: (-x.score, x.line))))
            for t, m in zip(tasks, per_task, strict=True)
        ),
        passages=tuple(
            PassageResult(p.line, p.text, tuple(ts)) for p, ts in zip(passages, per_passage, strict=True)
        ),
        threshold=threshold,
    )
