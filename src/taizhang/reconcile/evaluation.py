"""The 对账 evaluation set and its figures (precision, recall, F1 of task↔passage links). Pure Python.

The set (``tests/reconcile/eval_set.json``) names plan documents of the shared corpus by file and
title line and holds no corpus text: the tasks are read from the corpus by the engine when the set
is loaded, each checked against the hash of its text recorded with the labels (a task the engine
now reads differently must be re-labelled by hand, not silently scored). The summary passages and
their labels — which tasks each reports on, none for a distractor or unplanned work — were written
by hand.

A task is named by its line, and by ``LINE#N`` for the N-th task of one paragraph (``一是…二是…``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from taizhang.reports import ParseResult, parse_file

from .matching import RELATIVE, THRESHOLD, Scores, Text, links, score


class EvalSetError(ValueError):
    """The set and the corpus disagree (a missing file, document or task, a changed task text)."""


@dataclass
class Case:
    name: str  # file:title line
    tasks: list[Text]
    keys: list[str]
    passages: list[Text]
    kinds: list[str]
    gold: set[tuple[int, int]]  # (task index, passage index)


@dataclass(frozen=True)
class Figures:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def task_keys(tasks: Sequence[Text]) -> list[str]:
    """``LINE`` for the first task of a line, ``LINE#N`` for the N-th."""
    seen: dict[int, int] = {}
    keys = []
    for t in tasks:
        seen[t.line] = seen.get(t.line, 0) + 1
        keys.append(str(t.line) if seen[t.line] == 1 else f"{t.line}#{seen[t.line]}")
    return keys


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def load(path: Path, corpus: Path) -> list[Case]:
    data = json.loads(path.read_text(encoding="utf-8"))
    parsed: dict[str, ParseResult] = {}
    cases = []
    for raw in data["cases"]:
        file, title_line = raw["plan"]["file"], raw["plan"]["document"]
        name = f"{file}:{title_line}"
        if file not in parsed:
            if not (corpus / file).is_file():
                raise EvalSetError(f"{name}: no such corpus file in {corpus}")
            parsed[file] = parse_file(corpus / file)
        doc = next((d for d in parsed[file].documents if d.line == title_line), None)
        if doc is None:
            raise EvalSetError(f"{name}: the engine finds no document titled on that line")
        tasks = [Text(t.line, t.text) for t in doc.tasks]
        keys = task_keys(tasks)
        hashes = {k: text_hash(t.text) for k, t in zip(keys, tasks, strict=True)}
        if hashes != raw["tasks"]:
            changed = sorted(set(hashes.items()) ^ set(raw["tasks"].items()))
            raise EvalSetError(f"{name}: the engine reads other tasks than were labelled: {changed[:4]}")
        index = {k: i for i, k in enumerate(keys)}
        passages = [Text(j + 1, p["text"]) for j, p in enumerate(raw["passages"])]
        gold = {(index[k], j) for j, p in enumerate(raw["passages"]) for k in p["reports"]}
        kinds = [p["kind"] for p in raw["passages"]]
        cases.append(Case(name, tasks, keys, passages, kinds, gold))
    return cases


def figures(case: Case, predicted: Iterable[tuple[int, int]]) -> Figures:
    found = set(predicted)
    return Figures(len(found & case.gold), len(found - case.gold), len(case.gold - found))


Scorer = Callable[[Sequence[Text], Sequence[Text]], Scores]


@dataclass
class Run:
    """The scores of every case under one scorer, measured at any threshold without rescoring."""

    cases: list[Case]
    scores: list[Scores] = field(default_factory=list)

    @classmethod
    def of(cls, cases: list[Case], scorer: Scorer = score) -> Run:
        return cls(cases, [scorer(c.tasks, c.passages) for c in cases])

    def at(
        self, threshold: float = THRESHOLD, relative: float = RELATIVE, only: Sequence[int] = ()
    ) -> Figures:
        total = Figures(0, 0, 0)
        for n, (case, scores) in enumerate(zip(self.cases, self.scores, strict=True)):
            if only and n not in only:
                continue
            total += figures(case, links(scores, threshold, relative))
        return total

    def best(
        self, grid: Iterable[tuple[float, float]], only: Sequence[int] = ()
    ) -> tuple[Figures, float, float]:
        """The grid point with the best F1 (ties: the lower threshold)."""
        found = [(self.at(t, r, only), t, r) for t, r in grid]
        return max(found, key=lambda x: (x[0].f1, -x[1], -x[2]))

    def leave_one_out(self, grid: Sequence[tuple[float, float]]) -> Figures:
        """Each case scored at the grid point the other cases choose: the figure a new plan can
        expect, not the one tuned on it."""
        total = Figures(0, 0, 0)
        everyone = range(len(self.cases))
        for n in everyone:
            _, t, r = self.best(grid, [m for m in everyone if m != n])
            total += self.at(t, r, [n])
        return total
