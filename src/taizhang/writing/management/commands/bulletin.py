"""`taizhang bulletin --plan ID --period YYYY-MM -o FILE.docx`: a plan's monthly bulletin (月通报)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.rankings import services
from taizhang.writing import bulletin, bulletin_text, files


class Command(BaseCommand):
    help = "生成工作计划某月的月通报（GB/T 9704 版式的 .docx，或 .md）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="计划编号")
        parser.add_argument("--period", help="月份，如 2026-11（默认：上月）")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.docx 或 .md）")
        parser.add_argument("--number", default="", help="发文字号，如 督查通报〔2026〕11号")
        parser.add_argument("--issuer", default="", help="发文机关署名（默认：计划所属单位）")
        parser.add_argument("--date", help="成文日期，如 2026-12-05（默认：今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = files.check_output(Path(options["output"]))
            plan = _plan(options["plan"])
            as_of = today()
            made = bulletin.build(
                plan,
                options["period"] or services.default_month(plan, as_of),
                as_of,
                issuer=options["issuer"].strip(),
                number=options["number"].strip(),
                date=_date(options["date"]) if options["date"] else as_of,
            )
            files.write(bulletin_text.document(made), output)
        except DomainError as err:
            raise CommandError(str(err), returncode=2) from None
        s = made.summary
        self.stdout.write(
            f"已生成 {output}：{made.title}（任务 {s.total} 项，滞后 {s.lagging} 项，"
            f"逾期报送 {s.late} 项，未报送 {s.missing} 项，督办通知 {len(made.notices)} 份）"
        )


def _plan(wanted: str) -> Plan:
    try:
        pk = int(wanted)
    except ValueError:
        raise DomainError(f"计划编号应为数字：{wanted!r}", field="plan") from None
    found = Plan.objects.select_related("owner_unit").filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise DomainError(f"计划不存在：{wanted}", field="plan")
    return found


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"成文日期格式不正确：{text!r}（应如 2026-12-05）", field="date") from None
