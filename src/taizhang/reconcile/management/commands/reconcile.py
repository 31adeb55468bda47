"""`taizhang reconcile PLAN SUMMARY [--json]`: 对账 of a plan document against a summary document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.reconcile.listing import render
from taizhang.reconcile.matching import reconcile
from taizhang.reconcile.reading import (
    ReadError,
    parse_path,
    plan_years,
    require_passages,
    require_tasks,
    summary_years,
    year_warning,
)


class Command(BaseCommand):
    help = (
        "对账：计划的每项任务在总结中是否提及（相似度与共同词），总结中哪些段落为计划外（--json 输出 JSON）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="工作计划文件（.txt / .md / .docx / .xlsx）")
        parser.add_argument("summary", help="工作总结文件（.txt / .md / .docx）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = parse_path(options["plan"])
            tasks = require_tasks(plan)
            summary = parse_path(options["summary"])
            passages = require_passages(summary)
        except ReadError as err:
            raise CommandError(str(err), returncode=2) from None
        warning = year_warning(plan_years(plan), summary_years(summary))
        if warning:
            self.stderr.write(f"taizhang reconcile: 注意：{warning}")
        result = reconcile(tasks, passages)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            render(result, Path(options["plan"]).name, Path(options["summary"]).name), ending=""
        )
