"""The one command line, `taizhang`.

`parse` and `lint` run the document engine alone (no Django import, fast start);
every other sub-command is a Django management command (`serve`, `demo`, `migrate`,
`check`, `createsuperuser`, ...), so the CLI fronts everything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

ENGINE_COMMANDS = ("parse", "lint")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line Chinese error (exit 2) instead of its English usage dump."""

    _WORDS = (
        ("the following arguments are required:", "缺少参数："),
        ("unrecognized arguments:", "无法识别的参数："),
        ("invalid choice:", "无效的命令："),
        ("expected one argument", "需要一个参数"),
    )

    def error(self, message: str) -> NoReturn:
        for english, chinese in self._WORDS:
            message = message.replace(english, chinese)
        sys.stderr.write(f"taizhang: 错误：命令参数有误（{message}），用法见 taizhang --help\n")
        raise SystemExit(2)


def _engine_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="taizhang", description="台账：重点工作台账系统", add_help=True)
    ap._positionals.title = "命令"
    ap._optionals.title = "选项"
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="读取报告，输出结构提纲或 JSON")
    p.add_argument("file", help=".txt / .md / .docx 文件")
    p.add_argument("--json", action="store_true", help="输出 PARSE.md §8 规定的 JSON")
    lint = sub.add_parser("lint", help="检查文稿：未填占位符、字母代称、编号错误等")
    lint.add_argument("file", help=".txt / .md / .docx 文件")
    lint.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    return ap


def _fail(message: str) -> int:
    print(f"taizhang: 错误：{message}", file=sys.stderr)
    return 2


def run_engine(argv: Sequence[str]) -> int:
    args = _engine_parser().parse_args(argv)
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
            json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
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


def run_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["taizhang", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in ENGINE_COMMANDS:
            return run_engine(args)
        if not args or args[0] in ("-h", "--help"):
            _engine_parser().print_help()
            print("\n其他命令（serve、demo、migrate、check 等）见：taizhang help")
            return 0
        return run_django(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
