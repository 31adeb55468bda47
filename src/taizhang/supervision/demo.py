"""Supervision's part of the demo: runs after the ledger's demo (``front``'s ``demo`` command).

Each helper below adds one kind of record to the demo county and returns a line for the summary.
"""

from __future__ import annotations

import datetime as dt

from taizhang.ledger.models import Task
from taizhang.supervision.notices_demo import load_notices
from taizhang.supervision.problems_demo import load_problems
from taizhang.supervision.refresh import refresh
from taizhang.supervision.reminders import demo as demo_messages


def colours(as_of: dt.date) -> str:
    refresh(Task.objects.all(), as_of)
    return "四色状态已计算"


def load_demo(as_of: dt.date) -> list[str]:
    """Add supervision's demo records; one summary line each."""
    return [colours(as_of), load_problems(as_of), load_notices(as_of), demo_messages(as_of)]
