"""`taizhang draft --unit NAME --year 2026 -o FILE.docx`: a unit's year-end draft from the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.ledger.errors import DomainError
from taizhang.ledger.periods import today
from taizhang.reports.lint import lint_lines
from taizhang.writing import draft, draft_text, files
from taizhang.writing.render import to_markdown


class Command(BaseCommand):
    help = "起草单位的年度工作总结及下一年工作计划（.docx 或 .md；台账缺少的内容留作【待补充】）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="单位名称（全称、简称或别名）")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2026")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.docx 或 .md）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = files.check_output(Path(options["output"]))
            year = options["year"]
            if not 2000 <= year <= 2100:
                raise DomainError(f"年度应在 2000 至 2100 之间：{year}", field="year")
            gathered = draft.gather(draft.find_unit(options["unit"]), year, today())
            document = draft_text.document(gathered)
            files.write(document, output)
        except DomainError as err:
            raise CommandError(str(err), returncode=2) from None
        holes = sum(f.count for f in lint_lines(to_markdown(document).splitlines()) if f.code == "TZ101")
        self.stdout.write(
            f"已生成 {output}：{document.title}（任务 {sum(len(c.tasks) for c in gathered.categories)} 项，"
            f"待补充 {holes} 处，可用 taizhang lint 逐条查看）"
        )
