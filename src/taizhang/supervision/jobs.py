"""The periodic work of ``taizhang supervise``: a list of steps, each claiming its own work.

Each step takes the "as of" day and the moment, does what is due and returns a line for the log.
Steps must be safe to run from two processes at once (compare-and-swap or row claims), as
healthchecks' ``sendalerts`` is: a reminder is sent by whichever process claims it, never twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.db.models import Q

from taizhang.ledger.models import CLOSED_STATUSES, Task
from taizhang.notify.delivery import deliver_step
from taizhang.supervision import notices
from taizhang.supervision.models import Colour
from taizhang.supervision.refresh import refresh
from taizhang.supervision.reminders import reminders_step

Step = Callable[[dt.date, dt.datetime], str]


def refresh_colours(as_of: dt.date, now: dt.datetime) -> str:
    """Recompute the colour of every task but those closed and already white (dates move the rest)."""
    tasks = Task.objects.exclude(Q(status__in=CLOSED_STATUSES) & Q(colour__colour=Colour.WHITE))
    changed = refresh(tasks, as_of, now)
    return f"四色：{changed} 项任务颜色变化"


def escalate_notices(as_of: dt.date, now: dt.datetime) -> str:
    """Notices owing a reply past their deadline move up a kind (提示 → 警示 → 督办), each once."""
    made = notices.escalate_overdue(as_of, now)
    return f"督办通知：{len(made)} 份逾期未回复的通知已升级"


# Reminders read the colour changes just recorded; deliveries send what the steps before queued.
STEPS: list[Step] = [refresh_colours, escalate_notices, reminders_step, deliver_step]


def run_once(as_of: dt.date, now: dt.datetime) -> list[str]:
    """Run every step; each line ends with the step's time, so a slow step shows in the log."""
    lines = []
    for step in STEPS:
        started = time.perf_counter()
        line = step(as_of, now)
        lines.append(f"{line}（{time.perf_counter() - started:.1f} 秒）")
    return lines
