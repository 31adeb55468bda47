"""`taizhang serve`: migrate, collect static files, optionally load the demo, serve with waitress."""

import gc
import io
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _supervise_forever(log: Any) -> None:
    """Run `supervise --loop`; its routine lines are not printed, only a failure is."""
    try:
        call_command("supervise", "--loop", stdout=io.StringIO())
    except Exception as err:  # the server keeps serving; the office sees why supervision stopped
        log.write(f"督查定时任务已停止：{err}")


class Command(BaseCommand):
    help = "启动台账系统：迁移数据库、收集静态文件，用 waitress 提供服务（--demo 在空库中载入演示数据）"
    requires_system_checks = []  # checked below, after the data directory is ready

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")
        parser.add_argument("--demo", action="store_true", help="数据库为空时载入演示数据")
        parser.add_argument(
            "--no-supervise",
            dest="supervise",
            action="store_false",
            help="不在本进程内运行督查定时任务（已用 cron 或 systemd 运行 taizhang supervise 时）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("check")
        self.stdout.write("正在迁移数据库…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"]:
            # By command name: core is the ground floor and imports no app (the demo is the ledger's).
            call_command("demo", "--if-empty", stdout=self.stdout, stderr=self.stderr)
        if options["supervise"]:
            # A single office PC needs no cron: the periodic job runs beside the server. By command
            # name, as above (supervision is an app; core imports none).
            threading.Thread(
                target=_supervise_forever, args=(self.stderr,), name="supervise", daemon=True
            ).start()
        host, port = options["host"], options["port"]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.stdout.write(f"台账系统已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）")
        self.stdout.flush()

        from waitress import serve

        from taizhang.wsgi import application

        # What starting made (modules, URL patterns, settings) lives as long as the process: kept out
        # of the garbage collector's full passes, which would otherwise walk it all during requests
        # that allocate much (the cockpit reads 24,000 indicator values: 290 -> 220 ms CPU).
        gc.freeze()
        serve(
            application,
            host=host,
            port=port,
            threads=options["threads"],
            ident="",  # no Server header
            # Above Django's own limit, so that Django refuses oversize requests with a Chinese
            # message naming the limit; waitress's English page answers only far beyond it.
            max_request_body_size=4 * settings.TAIZHANG_MAX_REQUEST_BYTES,
        )
