"""Engine tests touch no database: mark them so the PostgreSQL pass of `make test` skips them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "spec" / "gold"
SCHEMA = SHARED / "spec" / "parse-output.schema.json"
SCORER = SHARED / "tools" / "score_parse.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.nodb)


def require_shared() -> None:
    """Skip where ../shared is absent (a user's machine); under CI it must be there."""
    if CORPUS.is_dir() and GOLD.is_dir():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the shared corpus is missing at {CORPUS}")
    pytest.skip(f"../shared/corpus not found at {CORPUS}: corpus tests need the project's shared folder")


@pytest.fixture
def shared() -> Path:
    require_shared()
    return SHARED
