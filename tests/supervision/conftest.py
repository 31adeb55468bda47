from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture
def problem(ledger: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace) -> Any:
    """A problem of the county plan, 住建局 responsible, 整改中, registered by the root's 督查."""
    from taizhang.supervision import problems

    draft = problems.ProblemDraft(
        title="老旧小区改造资金缺口较大",
        unit=org.housing,
        deadline=dt.date(2026, 9, 30),
        measures="积极争取上级资金，统筹县级配套",
        task=ledger.housing,
    )
    return problems.create_problem(ledger.plan, people.supervisor, draft)
