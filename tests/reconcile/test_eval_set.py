"""The quality contract of 对账: F1 ≥ 0.90 of task↔passage links on the hand-labelled evaluation set
(benchmarks/reconcile_eval.py prints the full figures). The set names corpus tasks by file and
line and carries no corpus text; its passages and labels were written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taizhang.reconcile.evaluation import EvalSetError, Run, load

from .conftest import EVAL_SET

pytestmark = pytest.mark.nodb

F1_CONTRACT = 0.90
# Passages may name what the plan names (`“大走访大调研大服务大解题”活动`, 19 characters), never
# carry a sentence of it: no run this long is shared with the corpus.
LONGEST_SHARED_RUN = 20


def test_f1_on_the_evaluation_set_is_at_least_0_90(corpus: Path) -> None:
    figures = Run.of(load(EVAL_SET, corpus)).at()
    assert figures.f1 >= F1_CONTRACT, (figures.precision, figures.recall, figures.f1)


def test_the_set_is_large_enough_and_holds_every_kind_of_passage(corpus: Path) -> None:
    cases = load(EVAL_SET, corpus)
    reported = sum(len({i for i, _ in c.gold}) for c in cases)
    assert reported >= 60
    assert sum(len(c.tasks) for c in cases) - reported >= 20  # tasks no passage reports on
    kinds = {k for c in cases for k in c.kinds}
    assert kinds == {"paraphrase", "partial", "multi", "distractor", "unplanned"}
    for case in cases:  # a distractor or unplanned passage has no label, every other one has
        for j, kind in enumerate(case.kinds):
            labelled = any(p == j for _, p in case.gold)
            assert labelled == (kind not in ("distractor", "unplanned")), (case.name, j)


def test_the_set_carries_no_corpus_text(corpus: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    for case in data["cases"]:
        for passage in case["passages"]:
            body = passage["text"]
            runs = {body[i : i + LONGEST_SHARED_RUN] for i in range(len(body) - LONGEST_SHARED_RUN + 1)}
            assert not [r for r in runs if r in text], body
        assert set(case) == {"plan", "tasks", "passages"}  # names and hashes, no task text


def test_a_task_the_engine_now_reads_differently_stops_the_evaluation(corpus: Path, tmp_path: Path) -> None:
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    first = data["cases"][0]
    key = next(iter(first["tasks"]))
    first["tasks"][key] = "000000000000"
    changed = tmp_path / "eval_set.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EvalSetError, match="other tasks than were labelled"):
        load(changed, corpus)


def test_dropping_cosines_under_the_threshold_changes_no_link(corpus: Path) -> None:
    from taizhang.reconcile.matching import RELATIVE, THRESHOLD, links, score

    for case in load(EVAL_SET, corpus):
        whole = links(score(case.tasks, case.passages), THRESHOLD, RELATIVE)
        pruned = links(score(case.tasks, case.passages, floor=THRESHOLD), THRESHOLD, RELATIVE)
        assert whole == pruned, case.name
