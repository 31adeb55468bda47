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
from taizhang.writing import bulletin, bulletin_text
from taizhang.writing.render import to_docx, to_markdown

FORMATS = (".docx", ".md")


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
        output = Path(options["output"])
        if output.suffix.lower() not in FORMATS:
            raise CommandError(f"输出文件应以 .docx 或 .md 结尾：{output}", returncode=2)
        if not output.parent.is_dir():
            raise CommandError(f"输出目录不存在：{output.parent}", returncode=2)
        plan = _plan(options["plan"])
        as_of = today()
        date = _date(options["date"]) if options["date"] else as_of
        month = options["period"] or services.default_month(plan, as_of)
        try:
            made = bulletin.build(
                plan,
                month,
                as_of,
                issuer=options["issuer"].strip(),
                number=options["number"].strip(),
                date=date,
            )
        except DomainError as err:
            raise CommandError(str(err), returncode=2) from None
        document = bulletin_text.document(made)
        try:
            if output.suffix.lower() == ".docx":
                output.write_bytes(to_docx(document))
            else:
                output.write_text(to_markdown(document), encoding="utf-8")
        except OSError as err:
            raise CommandError(f"无法写入文件 {output}：{err.strerror or err}", returncode=2) from None
        s = made.summary
        self.stdout.write(
            f"已生成 {output}：{made.title}（任务 {s.total} 项，滞后 {s.lagging} 项，"
            f"逾期报送 {s.late} 项，未报送 {s.missing} 项，督办通知 {len(made.notices)} 份）"
        )


def _plan(wanted: str) -> Plan:
    try:
        pk = int(wanted)
    except ValueError:
        raise CommandError(f"计划编号应为数字：{wanted!r}", returncode=2) from None
    found = Plan.objects.select_related("owner_unit").filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise CommandError(f"计划不存在：{wanted}", returncode=2)
    return found


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"成文日期格式不正确：{text!r}（应如 2026-12-05）", returncode=2) from None
