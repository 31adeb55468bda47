"""`taizhang search QUERY [--json]`: Chinese full-text search of the archive and the ledger."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.archive.models import SectionRole
from taizhang.archive.search import KIND_CHOICES, Filters, QueryError, search

LIMIT_MAX = 1000


class Command(BaseCommand):
    help = "全文检索档案文档、台账任务和进展报告（中文分词），打印命中段落及其行号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", metavar="QUERY", help="检索词，如 营商环境")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--year", type=int, help="只查某一年度")
        parser.add_argument("--role", choices=[r.value for r in SectionRole], help="只查某类章节")
        parser.add_argument(
            "--kind", choices=[k for k, _ in KIND_CHOICES], help="只查某类文档，或 task / report"
        )
        parser.add_argument("--limit", type=int, default=20, help="最多列出几条（默认 20）")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if not 1 <= limit <= LIMIT_MAX:
            raise CommandError(f"--limit 应在 1 到 {LIMIT_MAX} 之间", returncode=2)
        filters = Filters(year=options["year"], role=options["role"] or "", kind=options["kind"] or "")
        try:
            results = search(options["query"], filters=filters, per_page=limit)
        except QueryError as err:
            raise CommandError(str(err), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(results.to_json(), ensure_ascii=False))
            return
        more = "以上" if results.capped else ""
        self.stdout.write(
            f"“{results.query}”：共 {results.total} 条{more}（检索词：{' '.join(results.terms)}）"
        )
        for hit in results.hits:
            where = f"第{hit.line}行" if hit.line else hit.kind_label
            head = f"{hit.heading} · " if hit.heading else ""
            self.stdout.write(
                f"\n{head}{hit.title}  {hit.unit or '未归属单位'} {hit.year or ''} {hit.role_label} {where}\n"
                f"  {hit.snip.bracketed}"
            )
