"""`taizhang ranking [--plan ID] [--period YYYY-MM] [--json]`: a plan's league table for a month."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.rankings import services


class Command(BaseCommand):
    help = "打印工作计划某月的单位排名（晾晒）：得分、各项明细、名次及变化"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help="计划编号（默认：本年度第一个计划）")
        parser.add_argument("--period", help="月份，如 2026-10（默认：上月）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = today()
        plan = self._plan(options["plan"], as_of.year)
        period = options["period"] or services.default_month(plan, as_of)
        try:
            rows = services.shown_table(plan, period, as_of)
        except DomainError as err:
            raise CommandError(str(err), returncode=2) from None
        frozen = services.published(plan, period) is not None
        if options["json"]:
            self.stdout.write(json.dumps(services.public_json(plan, period, rows), ensure_ascii=False))
            return
        self.stdout.write(f"{plan.title} · {period} 排名{'（已发布）' if frozen else '（未发布，实时计算）'}")
        if not rows:
            self.stdout.write("该计划还没有牵头单位，暂无排名。")
        for row in rows:
            moved = "—" if row.change is None else f"{row.change:+d}"
            detail = "；".join(
                f"{li.rule} {li.points:+}" for li in row.breakdown if li.points or li.count is None
            )
            self.stdout.write(f"{row.rank:>3}  {row.unit}  {row.score}  变化 {moved}  （{detail}）")

    def _plan(self, wanted: str | None, year: int) -> Plan:
        if wanted is None:
            plan = (
                Plan.objects.filter(year=year).order_by("id").first()
                or Plan.objects.order_by("-year", "id").first()
            )
            if plan is None:
                raise CommandError("还没有工作计划，无法排名", returncode=2)
            return plan
        try:
            pk = int(wanted)
        except ValueError:
            raise CommandError(f"计划编号应为数字：{wanted!r}", returncode=2) from None
        found = Plan.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
        if found is None:
            raise CommandError(f"计划不存在：{wanted}", returncode=2)
        return found
