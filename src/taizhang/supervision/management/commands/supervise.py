"""`taizhang supervise`: the periodic job — recompute colours, send what is due, escalate.

Run it from cron or a systemd timer on a shared deployment (README), or let `taizhang serve` run
it in-process. Every step claims its work, so two processes at once never do a thing twice.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from taizhang.ledger.periods import today
from taizhang.supervision.jobs import run_once


class Command(BaseCommand):
    help = "督查定时任务：重算四色、发送到期提醒、升级逾期通知（--loop 持续运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒执行一次")
        parser.add_argument("--interval", type=int, default=300, help="--loop 的间隔秒数（默认 300）")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            started = time.monotonic()
            for line in run_once(today(), timezone.now()):
                self.stdout.write(line)
            self.stdout.write(f"督查任务完成，用时 {time.monotonic() - started:.1f} 秒")
            self.stdout.flush()
            if not options["loop"]:
                return
            time.sleep(max(1, options["interval"]))
