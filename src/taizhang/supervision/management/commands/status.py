"""`taizhang status`: every task with its colour and reasons, as of a day."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.ledger.models import Plan, Task
from taizhang.ledger.periods import today
from taizhang.supervision.refresh import colour_tasks


def _day(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期格式不正确：{text}（应为 YYYY-MM-DD，如 2026-11-30）", returncode=2
        ) from None
    if not 2000 <= day.year <= 2100:
        raise CommandError(f"日期超出范围：{text}（年份应在 2000 至 2100 之间）", returncode=2)
    return day


class Command(BaseCommand):
    help = "列出任务的四色状态及原因（--plan 指定计划，--as-of 指定日期，--json 输出 JSON）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, help="计划编号（默认全部计划）")
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _day(options["as_of"]) if options["as_of"] else today()
        tasks = Task.objects.all()
        if options["plan"] is not None:
            if not Plan.objects.filter(pk=options["plan"]).exists():
                raise CommandError(f"计划不存在：{options['plan']}", returncode=2)
            tasks = tasks.filter(plan_id=options["plan"])
        rows: list[dict[str, Any]] = []
        for item in colour_tasks(tasks, as_of):
            t = item.task
            rows.append(
                {
                    "id": t.pk,
                    "code": t.code,
                    "title": t.title,
                    "lead_unit": t.lead_unit.name if t.lead_unit else "",
                    "deadline": t.deadline.isoformat() if t.deadline else None,
                    "progress": t.progress,
                    "status": t.status,
                    "colour": item.verdict.colour.value,
                    "reasons": list(item.verdict.reasons),
                }
            )
        if options["json"]:
            self.stdout.write(
                json.dumps({"as_of": as_of.isoformat(), "tasks": rows}, ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(f"截至 {as_of:%Y年%-m月%-d日}，共 {len(rows)} 项任务")
        names = {"white": "白", "green": "绿", "yellow": "黄", "red": "红"}
        for row in rows:
            code = f"{row['code']} " if row["code"] else ""
            lead = row["lead_unit"] or "未指定牵头单位"
            self.stdout.write(
                f"[{names[row['colour']]}] {code}{row['title']}（{lead}，进度{row['progress']}%）"
            )
            for reason in row["reasons"]:
                self.stdout.write(f"    · {reason}")
