"""对账 tests read the shared corpus for the evaluation set: skip where ../shared is absent (a
user's machine), fail under CI=true, as the engine's corpus tests do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.conftest import CORPUS, require_shared

EVAL_SET = Path(__file__).parent / "eval_set.json"


@pytest.fixture
def corpus() -> Path:
    require_shared()
    return CORPUS
