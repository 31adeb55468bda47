"""`taizhang demo`: the demo county — the ledger's plan and reports, then supervision's records and
the archive's years of reports."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.archive.demo import load_demo as load_archive_demo
from taizhang.indicators.demo import load_demo as load_indicators_demo
from taizhang.ledger.demo import ACCOUNTS, DEMO_PASSWORD, database_is_empty, load_demo
from taizhang.ledger.periods import today
from taizhang.rankings.demo import load_demo as load_rankings_demo
from taizhang.supervision.demo import load_demo as load_supervision_demo


class Command(BaseCommand):
    help = "载入演示数据（示范县：单位、各角色用户、2026年重点工作计划及进展）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="数据库已有数据时仍载入（演示数据会被重建）")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有数据时不载入也不报错（serve --demo 用）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not database_is_empty() and options["if_empty"] and not options["force"]:
            self.stdout.write("数据库中已有数据，未重新载入演示数据。")
            print_accounts(self.stdout.write)
            return
        if not database_is_empty() and not options["force"]:
            raise CommandError(
                "数据库中已有数据，未载入演示数据。如确需载入，请加 --force（只重建演示数据）。"
            )
        summary = load_demo(today())
        self.stdout.write(
            f"演示数据已载入（截至 {summary.as_of:%Y年%m月%d日}）："
            f"单位 {summary.units} 个，用户 {summary.users} 个，"
            f"任务 {summary.tasks} 项，进展报告 {summary.reports} 份，批示 {summary.comments} 条。"
        )
        for line in [
            *load_indicators_demo(summary.as_of),
            *load_supervision_demo(summary.as_of),
            *load_rankings_demo(summary.as_of),
            *load_archive_demo(),
        ]:
            self.stdout.write(line)
        if summary.tasks == 0:
            self.stderr.write("提示：文档引擎未从演示计划中识别出任务，演示计划暂无任务。")
        print_accounts(self.stdout.write)


def print_accounts(write: Any) -> None:
    write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for account in ACCOUNTS:
        write(f"  {account.username:<12} {account.note}")
    write("  另有各单位填报员：fagai、caizheng、zhujian、gongguan、shangwu、weijian、jiaoyu、nongye、")
    write("  chengguan、ziran、renshe、qingshi、liutang")
