"""The one command line, `taizhang`.

`parse` and `lint` run the document engine alone (no Django import, fast start); every other
sub-command is a Django management command (`serve`, `demo`, `migrate`, `check`, ...), so the
CLI fronts everything. `taizhang help` lists Taizhang's own commands first: the engine's, then
every management command of a `taizhang` app, found where it is defined, so a new one appears
by itself. A command that needs the database on a fresh data folder migrates it first.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

# The engine's commands and their one-line descriptions (the parser below uses these too).
ENGINE_COMMANDS = {
    "parse": "读取报告（.txt/.md/.docx），输出结构提纲或 JSON",
    "lint": "检查文稿：未填占位符、字母代称、编号错误、标题年份与正文不符等",
}

# Django commands that must not, or need not, migrate the database before they run.
_NO_MIGRATE = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "diffsettings",
        "findstatic",
        "help",
        "inspectdb",
        "makemessages",
        "makemigrations",
        "migrate",
        "optimizemigration",
        "reconcile",  # reads two files, touches no database
        "sendtestemail",
        "serve",  # migrates itself
        "showmigrations",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "squashmigrations",
        "startapp",
        "startproject",
        "test",
        "testserver",
        "version",
    }
)

# argparse's and Django's built-in option texts, for Taizhang's own commands.
_OPTION_HELP = {
    "help": "显示本帮助并退出",
    "version": "显示版本号并退出",
    "verbosity": "输出详细程度：0 最少，1 正常，2 详细，3 非常详细",
    "settings": "设置模块的 Python 路径（默认取环境变量 DJANGO_SETTINGS_MODULE）",
    "pythonpath": "加入 Python 路径的目录",
    "traceback": "出错时显示完整的调用栈",
    "no_color": "不使用彩色输出",
    "force_color": "强制使用彩色输出",
    "skip_checks": "跳过系统检查",
}

_ERROR_WORDS = (
    ("the following arguments are required:", "缺少参数："),
    ("unrecognized arguments:", "无法识别的参数："),
    ("invalid choice:", "无效的取值："),
    ("invalid int value:", "应为整数："),
    ("expected one argument", "需要一个参数"),
    ("argument ", "参数 "),
)


def _usage_error(prog: str, message: str) -> NoReturn:
    """One line of Chinese and exit 2, instead of argparse's English usage dump."""
    for english, chinese in _ERROR_WORDS:
        message = message.replace(english, chinese)
    sys.stderr.write(f"{prog}: 错误：命令参数有误（{message}），用法见 {prog} --help\n")
    raise SystemExit(2)


_HEADINGS = ("命令", "参数", "选项")


class _ChineseUsage(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # argparse passes prefix "" when it builds a sub-command's prog from the usage line.
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in _HEADINGS:  # argparse ends a heading with an ASCII colon
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text


def _localize(parser: argparse.ArgumentParser) -> None:
    """Chinese headings and built-in option texts in a parser's help."""
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    for action in parser._actions:
        if action.dest in _OPTION_HELP:
            action.help = _OPTION_HELP[action.dest]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ChineseUsage)
        super().__init__(*args, **kwargs)
        _localize(self)

    def error(self, message: str) -> NoReturn:
        _usage_error(self.prog, message)


def _engine_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="taizhang", description="台账：重点工作台账系统")
    sub = ap.add_subparsers(dest="command", required=True, title="命令")
    for name, summary in ENGINE_COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary)
        p.add_argument("file", help=".txt / .md / .docx 文件")
        wanted = (
            "输出 PARSE.md §8 规定的 JSON" if name == "parse" else "以 JSON 输出检查结果（含每条规则的计数）"
        )
        p.add_argument("--json", action="store_true", help=wanted)
    return ap


def _fail(message: str) -> int:
    print(f"taizhang: 错误：{message}", file=sys.stderr)
    return 2


def run_engine(argv: Sequence[str]) -> int:
    args = _engine_parser().parse_args(argv)
    # Building and printing a result frees little: no cyclic collection meanwhile (the parse
    # itself pauses it too), resumed after for callers that run on (tests, the web app).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_engine(args)
    finally:
        if collecting:
            gc.enable()


def _run_engine(args: argparse.Namespace) -> int:
    from taizhang.reports import InputError, parse_file

    try:
        result = parse_file(args.file)
    except InputError as err:
        return _fail(str(err))
    except MemoryError:
        return _fail("文件过大，内存不足，无法读取")
    if args.command == "parse":
        if not result.documents:
            return _fail(
                f"未在文件中识别出工作报告（没有找到“…年工作总结/计划”一类的标题行）：{result.source}"
            )
        if args.json:
            # One line from the C encoder, a document at a time: with `indent` json falls back to its
            # pure-Python encoder, which took longer than the parse itself on a large compilation.
            for chunk in result.json_chunks():
                sys.stdout.write(chunk)
            sys.stdout.write("\n")
        else:
            from taizhang.reports.outline import render_outline

            sys.stdout.write(render_outline(result))
        return 0
    from taizhang.reports.lint import lint_result, render_findings, report_dict

    findings = lint_result(result)
    if args.json:
        json.dump(report_dict(result.source, findings), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_findings(result.source, findings))
    return 1 if findings else 0


# ---------------------------------------------------------------- Django commands


def _setup_django() -> dict[str, str]:
    """Set Django up (settings are validated here) and return {command: app} for every command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django
    from django.core.management import get_commands

    django.setup()
    return dict(get_commands())


def own_commands() -> dict[str, str]:
    """Taizhang's commands with their one-line Chinese descriptions: the engine's, then its apps'."""
    from django.core.management import load_command_class

    out = dict(ENGINE_COMMANDS)
    for name, app in sorted(_setup_django().items()):
        if app.startswith("taizhang.") and name not in out:
            text = (load_command_class(app, name).help or "").strip()
            out[name] = text.splitlines()[0] if text else ""
    return out


def _migrate_if_needed() -> None:
    """Apply unapplied migrations first, as `serve` does, so a fresh data folder just works."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        print(f"正在初始化数据库（执行 {len(plan)} 项迁移）…", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)


def _localize_command(command: Any) -> None:
    """Chinese help and one-line errors for one of Taizhang's own management commands."""
    from django.core.management.base import DjangoHelpFormatter

    class Formatter(_ChineseUsage, DjangoHelpFormatter):
        pass

    create = command.create_parser

    def create_parser(prog_name: str, subcommand: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("formatter_class", Formatter)
        parser: argparse.ArgumentParser = create(prog_name, subcommand, **kwargs)
        _localize(parser)
        if getattr(parser, "called_from_command_line", False):
            prog = parser.prog
            parser.error = lambda message: _usage_error(prog, message)  # type: ignore[method-assign]
        return parser

    command.create_parser = create_parser

    # Django writes "CommandError: …" and exits with the error's code; ours is one Chinese line, 2.
    execute = command.execute

    def execute_in_chinese(*args: Any, **options: Any) -> Any:
        from django.core.management.base import CommandError, SystemCheckError

        try:
            return execute(*args, **options)
        except SystemCheckError:
            raise
        except CommandError as err:
            raise _CommandFailed(str(err)) from None

    command.execute = execute_in_chinese


class _CommandFailed(Exception):
    """A command's own error, to be printed as one line with exit code 2."""


def _migrate_before(command: Any) -> None:
    """Run `command` after migrating, once its arguments parsed (a usage error touches nothing)."""
    execute = command.execute

    def execute_after_migrating(*args: Any, **options: Any) -> Any:
        _migrate_if_needed()
        return execute(*args, **options)

    command.execute = execute_after_migrating


def run_django(argv: Sequence[str]) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    name = argv[0]
    try:
        commands = _setup_django()
        app = commands.get(name)
        if app is None:
            if name in ("help", "version") or name.startswith("-"):
                from django.core.management import execute_from_command_line

                execute_from_command_line(["taizhang", *argv])
                return 0
            return _fail(f"未知命令“{name}”，命令列表见 taizhang help")
        from django.core.management import load_command_class

        command = load_command_class(app, name)
        if app.startswith("taizhang."):
            _localize_command(command)
        if name not in _NO_MIGRATE:
            _migrate_before(command)
        command.run_from_argv(["taizhang", *argv])
    except _CommandFailed as err:
        return _fail(str(err))
    except ImproperlyConfigured as err:
        # A bad setting: its message names the variable; a traceback would only bury it.
        return _fail(getattr(err, "chinese", None) or str(err))
    except OperationalError as err:
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        return _fail(f"无法访问数据库（{reason}），请检查 DATABASE_URL 和数据库服务")
    return 0


def run_help(argv: Sequence[str]) -> int:
    """`taizhang help [COMMAND | --django]`: Taizhang's own commands first, in Chinese."""
    if argv and argv[0] in ENGINE_COMMANDS:
        _engine_parser().parse_args([argv[0], "--help"])
        return 0
    if argv and argv[0] == "--django":
        return run_django(["help", *argv[1:]])
    if argv:
        return run_django([argv[0], "--help"])
    from django.core.exceptions import ImproperlyConfigured

    try:
        commands = own_commands()
    except ImproperlyConfigured as err:
        return _fail(getattr(err, "chinese", None) or str(err))
    width = max(len(name) for name in commands) + 2
    rows = ["台账 · 重点工作台账系统", "", "用法：taizhang <命令> [参数]", "", "台账命令："]
    rows += [f"  {name.ljust(width)}{summary}" for name, summary in commands.items()]
    rows += [
        "",
        "各命令的参数：taizhang <命令> --help",
        "Django 管理命令（migrate、check、createsuperuser、changepassword 等）：taizhang help --django",
    ]
    print("\n".join(rows))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in ENGINE_COMMANDS:
            return run_engine(args)
        if not args or args[0] in ("-h", "--help"):
            return run_help([])
        if args[0] == "help":
            return run_help(args[1:])
        return run_django(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
