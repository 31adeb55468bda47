"""`taizhang reindex`: rebuild the full-text index from the archive and the ledger."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from taizhang.archive.search.index import reindex


class Command(BaseCommand):
    help = "重建全文检索索引（档案文档的段落、台账任务和进展报告）"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        done = reindex()
        self.stdout.write(
            f"索引已重建：文档段落 {done.paragraphs} 段，任务 {done.tasks} 项，进展报告 {done.reports} 份"
            f"（用时 {time.perf_counter() - started:.1f} 秒）"
        )
