"""`taizhang status` and `taizhang supervise` as a user runs them: subprocesses on a fresh data
folder, the JSON the issue names, and bad input as one Chinese line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run_cli

pytestmark = pytest.mark.nodb


def test_status_and_supervise_on_a_fresh_folder(tmp_path: Path) -> None:
    empty = run_cli("status", "--json", "--as-of", "2026-11-30", data_dir=tmp_path)
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout) == {"as_of": "2026-11-30", "tasks": []}
    job = run_cli("supervise", data_dir=tmp_path)
    assert job.returncode == 0, job.stderr
    assert "四色：0 项任务颜色变化" in job.stdout and "督查任务完成" in job.stdout


def test_status_json_of_the_demo(tmp_path: Path) -> None:
    assert run_cli("demo", data_dir=tmp_path).returncode == 0
    result = run_cli("status", "--json", "--plan", "1", "--as-of", "2026-11-30", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["as_of"] == "2026-11-30" and len(out["tasks"]) == 21
    keys = {"id", "code", "title", "lead_unit", "deadline", "progress", "status", "colour", "reasons"}
    assert all(set(t) == keys for t in out["tasks"])
    assert {t["colour"] for t in out["tasks"]} <= {"green", "yellow", "red", "white"}
    assert all(t["reasons"] for t in out["tasks"])  # every colour says why
    done = [t for t in out["tasks"] if t["status"] == "done"]
    assert done and all(t["colour"] == "white" for t in done)
    text = run_cli("status", "--plan", "1", "--as-of", "2026-11-30", data_dir=tmp_path)
    assert text.returncode == 0 and "截至 2026年11月30日，共 21 项任务" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2026-13-01"), "日期格式不正确：2026-13-01"),
        (("--as-of", "1999-01-01"), "日期超出范围"),
        (("--plan", "999"), "计划不存在：999"),
        (("--plan", "abc"), "taizhang status: 错误："),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("status", *args, data_dir=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("正在初始化数据库")]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "CommandError" not in result.stderr
