"""对账 on the hand-labelled evaluation set: precision, recall and F1 of task↔passage links.

    .venv/bin/python benchmarks/reconcile_eval.py

Reads tests/reconcile/eval_set.json and the plan tasks it names from ../shared/corpus. Prints the
chosen method (taizhang.reconcile.matching) at its threshold, a table over thresholds, the figures
by kind of passage, and the alternatives measured against it — each at the grid point best on the
whole set (optimistic) and leave-one-plan-out (the point chosen on the other plans, so the figure
a new plan can expect).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from taizhang.reconcile import matching
from taizhang.reconcile.evaluation import Figures, Run, load
from taizhang.reconcile.matching import RELATIVE, THRESHOLD, Scores, Text, features, links, split_items, words

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "tests" / "reconcile" / "eval_set.json"
CORPUS = ROOT.parent / "shared" / "corpus"

GRID = [(t / 100, r) for t in range(2, 80) for r in (0.0, 0.5, 0.6, 0.7, 0.8)]

Similarity = Callable[[list[str], list[str], list[str]], list[list[float]]]


def scorer(similarity: Similarity, split: bool = True) -> Callable[[Sequence[Text], Sequence[Text]], Scores]:
    """A Scores maker from a similarity of (task texts, item texts, whole passages for the IDF)."""

    def make(tasks: Sequence[Text], passages: Sequence[Text]) -> Scores:
        out = Scores(tasks, passages)
        out.item_owner, out.item_text = split_items(passages, split)
        out.set_dense(similarity([t.text for t in tasks], out.item_text, [p.text for p in passages]))
        return out

    return make


def tfidf(**options: object) -> Similarity:
    from sklearn.feature_extraction.text import TfidfVectorizer

    def similarity(tasks: list[str], item_texts: list[str], passages: list[str]) -> list[list[float]]:
        vectorizer = TfidfVectorizer(sublinear_tf=True, **options)  # type: ignore[arg-type]
        vectorizer.fit(tasks + passages)
        a, b = vectorizer.transform(tasks), vectorizer.transform(item_texts)
        return (a @ b.T).toarray().tolist()  # type: ignore[no-any-return]

    return similarity


def characters(low: int, high: int) -> Similarity:
    return tfidf(analyzer="char", ngram_range=(low, high), preprocessor=_plain)


def _plain(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fffA-Za-z]+", " ", re.sub(r"[xX]+(?:\.[xX]+)?|\d+", " ", text))


def rapidfuzz_ratio(kind: str) -> Similarity:
    from rapidfuzz import fuzz

    def similarity(tasks: list[str], item_texts: list[str], passages: list[str]) -> list[list[float]]:
        if kind == "token_set":
            ta, tb = [" ".join(words(t)) for t in tasks], [" ".join(words(p)) for p in item_texts]
            return [[fuzz.token_set_ratio(a, b) / 100 for b in tb] for a in ta]
        ta, tb = [_plain(t) for t in tasks], [_plain(p) for p in item_texts]
        return [[fuzz.partial_ratio(b, a) / 100 for b in tb] for a in ta]

    return similarity


def bm25(tasks: list[str], item_texts: list[str], passages: list[str]) -> list[list[float]]:
    """BM25 (k1 1.2, b 0.75) of each item as the query against each task as the document, the IDF
    over tasks and passages, divided by the item's best possible score so it reads 0–1."""
    docs = [features(t) for t in tasks]
    df = Counter(w for d in [*docs, *(features(p) for p in passages)] for w in set(d))
    n = len(tasks) + len(passages)
    idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
    avg = sum(len(d) for d in docs) / max(len(docs), 1)
    out = []
    for d in docs:
        tf, length, row = Counter(d), len(d), []
        for q in (set(features(p)) for p in item_texts):
            top = sum(idf.get(w, 0.0) for w in q) * 2.2
            norm = 1.2 * (0.25 + 0.75 * length / avg)
            got = sum(idf[w] * tf[w] * 2.2 / (tf[w] + norm) for w in q if w in tf)
            row.append(got / top if top else 0.0)
        out.append(row)
    return out


def line(name: str, f: Figures, extra: str = "") -> str:
    return f"{name:<52} P {f.precision:.3f}  R {f.recall:.3f}  F1 {f.f1:.3f}  {extra}"


def main() -> int:
    if not CORPUS.is_dir():
        sys.exit(f"reconcile_eval: corpus not found at {CORPUS} (the project's ../shared folder is missing)")
    cases = load(EVAL_SET, CORPUS)
    n_tasks = sum(len(c.tasks) for c in cases)
    reported = sum(len({i for i, _ in c.gold}) for c in cases)
    n_passages = sum(len(c.passages) for c in cases)
    print(
        f"evaluation set: {len(cases)} plans, {n_tasks} tasks ({reported} reported on, "
        f"{n_tasks - reported} 未提及), {n_passages} passages, {sum(len(c.gold) for c in cases)} links"
    )
    kinds = Counter(k for c in cases for k in c.kinds)
    print("passages by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

    chosen = Run.of(cases)
    f = chosen.at()
    print()
    print("chosen: TF-IDF of jieba words + character bigrams, passages item by item")
    print(line(f"  at threshold {THRESHOLD}, relative {RELATIVE}", f, f"(tp {f.tp}, fp {f.fp}, fn {f.fn})"))
    print(line("  leave-one-plan-out", chosen.leave_one_out(GRID)))

    print()
    print("threshold   P      R      F1     (relative 0.7)   P      R      F1     (no relative rule)")
    for t in (0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.25, 0.30):
        a, b = chosen.at(t, RELATIVE), chosen.at(t, 0.0)
        print(
            f"  {t:.2f}     {a.precision:.3f}  {a.recall:.3f}  {a.f1:.3f}                    "
            f"{b.precision:.3f}  {b.recall:.3f}  {b.f1:.3f}"
        )

    print()
    print("by kind of passage, at the chosen threshold:")
    found: Counter[str] = Counter()
    wanted: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for case, scores in zip(chosen.cases, chosen.scores, strict=True):
        predicted = set(links(scores))
        for i, j in case.gold:
            wanted[case.kinds[j]] += 1
            found[case.kinds[j]] += (i, j) in predicted
        for _, j in predicted - case.gold:
            false[case.kinds[j]] += 1
    for kind in sorted(kinds):
        recall = f"{found[kind]}/{wanted[kind]} links found" if wanted[kind] else "no links to find"
        print(f"  {kind:<11} {recall:<22} {false[kind]} false links")

    alternatives: list[tuple[str, Callable[[Sequence[Text], Sequence[Text]], Scores]]] = [
        ("TF-IDF jieba + bigrams, whole passages", lambda t, p: matching.score(t, p, split=False)),
        ("TF-IDF jieba words only, items", scorer(tfidf(analyzer=words))),
        (
            "TF-IDF character 1-2-grams, items",
            scorer(characters(1, 2)),
        ),
        (
            "TF-IDF character 2-3-grams, items",
            scorer(characters(2, 3)),
        ),
        ("BM25 jieba + bigrams, items", scorer(bm25)),
    ]
    try:
        import rapidfuzz  # noqa: F401

        alternatives += [
            ("rapidfuzz token_set_ratio (jieba words), items", scorer(rapidfuzz_ratio("token_set"))),
            ("rapidfuzz partial_ratio (characters), items", scorer(rapidfuzz_ratio("partial"))),
        ]
    except ImportError:
        print("(rapidfuzz is not installed: its two alternatives are left out)")

    print()
    print("alternatives: best grid point on the whole set | leave-one-plan-out")
    best, t, r = chosen.best(GRID)
    print(line("chosen method", best, f"th {t:.2f} rel {r:.1f} | LOO F1 {chosen.leave_one_out(GRID).f1:.3f}"))
    for name, make in alternatives:
        run = Run.of(cases, make)
        best, t, r = run.best(GRID)
        print(line(name, best, f"th {t:.2f} rel {r:.1f} | LOO F1 {run.leave_one_out(GRID).f1:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
