"""The engine against the hand-made gold of every corpus document (../shared/spec/gold).

Thresholds are those of issue 2; the scorer is the shared one, imported as is.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from taizhang.reports import parse_file

from .conftest import CORPUS, GOLD, SCHEMA, SCORER, require_shared

THRESHOLDS = {"titles": 1.0, "sections": 0.98, "tasks": 0.95, "problems": 0.95, "indicators": 0.92}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_parse", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pairs() -> list[tuple[Path, Path]]:
    require_shared()
    pairs = []
    for gold in sorted(GOLD.glob("*.gold.json")):
        prefix = gold.name.split(".")[0]
        sources = sorted(CORPUS.glob(f"{prefix}_*.txt"))
        assert sources, f"no corpus file for {gold.name}"
        pairs.append((sources[0], gold))
    assert pairs
    return pairs


def _pooled(pairs: list[tuple[Path, Path]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """All documents in one gold/prediction pair; line numbers offset per file so none collide."""
    gold_all: dict[str, Any] = {"documents": []}
    pred_all: dict[str, Any] = {"documents": []}
    for offset, (source, gold_path) in enumerate(pairs):
        shift = offset * 100_000
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = parse_file(source).to_dict()
        for target, docs in ((gold_all, gold["documents"]), (pred_all, pred["documents"])):
            for doc in docs:
                target["documents"].append(_shift(doc, shift))
    return gold_all, pred_all


def _shift(doc: dict[str, Any], by: int) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    doc["line"] += by

    def move(section: dict[str, Any]) -> None:
        section["line"] += by
        for child in section["children"]:
            move(child)

    for section in doc["sections"]:
        move(section)
    for field in ("tasks", "problems", "indicators"):
        for item in doc.get(field) or []:
            item["line"] += by
    return doc


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    gold, pred = _pooled(_pairs())
    result: dict[str, dict[str, float]] = _scorer().score(gold, pred)
    return result


@pytest.mark.parametrize("kind", sorted(THRESHOLDS))
def test_f1_meets_threshold(scores: dict[str, dict[str, float]], kind: str) -> None:
    assert scores[kind]["f"] >= THRESHOLDS[kind], scores[kind]


def test_section_roles(scores: dict[str, dict[str, float]]) -> None:
    assert scores["sections"]["role_acc"] >= 0.97
    assert scores["subsections"]["f"] >= 0.95


def test_unit_and_periods(scores: dict[str, dict[str, float]]) -> None:
    assert scores["titles"]["unit_acc"] >= 0.95
    assert scores["titles"]["period_acc"] >= 0.95


def test_every_corpus_file_validates_against_the_schema() -> None:
    require_shared()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for source in sorted(CORPUS.glob("*.txt")):
        out = parse_file(source).to_dict()
        errors = list(validator.iter_errors(out))
        assert not errors, f"{source.name}: {errors[0].message}"
        assert out["documents"], source.name


def test_cli_json_is_one_object_that_validates(capsys: pytest.CaptureFixture[str]) -> None:
    require_shared()
    from taizhang.cli import main

    source = sorted(CORPUS.glob("*.txt"))[0]
    assert main(["parse", str(source), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert out["source"] == source.name
