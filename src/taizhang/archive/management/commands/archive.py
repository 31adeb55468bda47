"""`taizhang archive add FILE… [--unit NAME] [--year YYYY]`: archive documents from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.accounts.models import Unit
from taizhang.archive import services
from taizhang.archive.forms import YEAR_MAX, YEAR_MIN
from taizhang.ledger.suggest.units import resolve_unit_name

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "向档案添加文档（计划、总结、通报、汇编；汇编按篇拆分），添加后即可检索"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add"], help="add：添加文档")
        parser.add_argument("files", nargs="+", metavar="FILE", help=".docx / .txt / .md / .xlsx 文件")
        parser.add_argument("--unit", help="所属单位名称（默认按文件中的单位识别）")
        parser.add_argument("--year", type=int, help="年度（默认按文件识别）")

    def handle(self, *args: Any, **options: Any) -> None:
        units = list(Unit.objects.filter(is_active=True))
        unit = self._unit(options["unit"], units)
        year = options["year"]
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            raise CommandError(f"年度应在 {YEAR_MIN} 到 {YEAR_MAX} 之间：{year}", returncode=2)
        files = [self._read(name) for name in options["files"]]  # every file readable before any is added
        failed = 0
        for path, data in files:
            try:
                added = services.add_file(data, path.name, unit=unit, units=units, year=year, origin="cli")
            except services.ArchiveError as err:
                if len(files) == 1:  # one file: its reason is the one line
                    raise CommandError(str(err), returncode=2) from None
                failed += 1
                self.stderr.write(f"{path.name}：{err}")
                continue
            for document in added.documents:
                where = document.unit.name if document.unit else (document.unit_name or "未归属单位")
                self.stdout.write(
                    f"已存档：{document.display_name}（{where}，{document.year or '年度未知'}，"
                    f"{document.get_kind_display()}，{document.paragraphs.count()} 段）"
                )
        if failed:
            raise CommandError(f"{failed} 个文件未能存档，见上", returncode=2)

    def _unit(self, name: str | None, units: list[Unit]) -> Unit | None:
        if name is None:
            return None
        unit, problem = resolve_unit_name(name, units)
        if unit is None:
            raise CommandError(problem.replace("，或不在您的管辖范围内", ""), returncode=2)
        return unit

    def _read(self, name: str) -> tuple[Path, bytes]:
        path = Path(name)
        try:
            if path.is_dir():
                raise CommandError(f"这是一个目录，不是文件：{name}", returncode=2)
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB）：{name}", returncode=2)
            return path, path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{name}", returncode=2) from None
        except PermissionError:
            raise CommandError(f"没有读取权限：{name}", returncode=2) from None
        except OSError as err:
            raise CommandError(f"无法读取文件（{err.strerror}）：{name}", returncode=2) from None
