"""The `taizhang` command around Django: help, a fresh data folder, bad settings, Chinese usage.

Each run is a subprocess on a fresh TAIZHANG_DATA_DIR (embedded SQLite), as a new user runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from taizhang.cli import ENGINE_COMMANDS, own_commands

pytestmark = pytest.mark.nodb

SRC = Path(__file__).resolve().parents[1] / "src" / "taizhang"


def run_cli(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TAIZHANG_") and k != "DATABASE_URL"}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "taizhang.cli", *args],
        env={**clean, "TAIZHANG_DATA_DIR": str(data_dir), **env},
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_on_a_fresh_data_folder_migrates_first(tmp_path: Path) -> None:
    result = run_cli("demo", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no such table" not in result.stderr and "Traceback" not in result.stderr
    assert "正在初始化数据库" in result.stderr
    assert "演示数据已载入" in result.stdout
    # Any other command needing the database works on it too; nothing left to migrate now.
    again = run_cli("apitoken", "duchashi", "--name", "测试机器人", data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "正在初始化数据库" not in again.stderr
    assert len(again.stdout.strip()) >= 20  # the token, printed once


def test_a_command_needing_the_database_on_a_fresh_folder_gives_its_own_message(tmp_path: Path) -> None:
    result = run_cli("apitoken", "nobody", data_dir=tmp_path)
    assert result.returncode != 0
    assert "没有用户名为 nobody 的用户" in result.stderr
    assert "no such table" not in result.stderr


@pytest.mark.parametrize("command", [("demo",), ("check",), ("help",), ("serve", "--port", "1")])
def test_a_bad_setting_is_one_chinese_line_and_exit_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_cli(*command, data_dir=tmp_path, TAIZHANG_DEBUG="maybe")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "taizhang: 错误：环境变量 TAIZHANG_DEBUG 的值 'maybe' 无效：应为 1/0、true/false、yes/no 或 on/off。"
    ]
    assert result.stdout == ""


def test_an_unreachable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("demo", data_dir=tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("taizhang: 错误：无法访问数据库"), result.stderr


@pytest.mark.parametrize("args", [(), ("help",), ("--help",), ("-h",)])
def test_help_lists_taizhangs_own_commands_first_in_chinese(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    block = lines[lines.index("台账命令：") + 1 :]
    block = block[: block.index("")]
    listed = {row.split()[0]: row.split(maxsplit=1)[1] for row in block}
    assert set(listed) >= {"parse", "lint", "serve", "demo", "apitoken"}
    assert listed["demo"].startswith("载入演示数据")
    assert all(summary for summary in listed.values())
    # Django's own commands are only pointed to, after Taizhang's.
    assert "createsuperuser" not in "\n".join(lines[: lines.index("台账命令：") + len(block) + 1])
    assert lines[-1].startswith("Django 管理命令") and "taizhang help --django" in lines[-1]


def test_help_django_lists_djangos_commands(tmp_path: Path) -> None:
    result = run_cli("help", "--django", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "createsuperuser" in result.stdout and "migrate" in result.stdout


def test_the_command_list_comes_from_where_commands_are_defined() -> None:
    # Every management command in a taizhang app is listed, with its own one-line Chinese help,
    # so a command added later appears without touching the CLI.
    defined = {p.stem for p in SRC.glob("*/management/commands/*.py") if not p.name.startswith("_")}
    assert defined >= {"serve", "demo", "apitoken"}
    listed = own_commands()
    assert list(listed)[: len(ENGINE_COMMANDS)] == list(ENGINE_COMMANDS)
    assert set(listed) == defined | set(ENGINE_COMMANDS)
    assert all("\n" not in text and text for text in listed.values())


@pytest.mark.parametrize(
    ("args", "own_option"),
    [(("demo", "--help"), "--force"), (("help", "serve"), "--port"), (("parse", "--help"), "--json")],
)
def test_usage_headings_are_chinese(tmp_path: Path, args: tuple[str, ...], own_option: str) -> None:
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：taizhang ")
    assert "\n选项：\n" in out and own_option in out
    assert "usage:" not in out and "options:" not in out and "show this help" not in out
    assert "显示本帮助并退出" in out


def test_a_bad_option_to_an_own_command_is_one_chinese_line(tmp_path: Path) -> None:
    result = run_cli("demo", "--bogus", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "taizhang demo: 错误：命令参数有误（无法识别的参数： --bogus），用法见 taizhang demo --help"
    ]


def test_an_unknown_command_is_one_chinese_line(tmp_path: Path) -> None:
    result = run_cli("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "taizhang: 错误：未知命令“frobnicate”，命令列表见 taizhang help\n"
