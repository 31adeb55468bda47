"""`taizhang reconcile PLAN SUMMARY [--json]` as a user runs it: a subprocess on a fresh data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reports.wordbuild import build, para
from tests.test_cli import run_cli

pytestmark = pytest.mark.nodb

PLAN = """县城管局2026年工作要点
一、环境卫生
（一）完成污水处理厂三期扩建项目建设，确保污水处理提质增效。
（二）提升生活垃圾分类成效，新增x个“四分类”达标小区，开展终端处置单位督查。
二、安全生产
（一）扎实开展“安全生产月”活动，提高安全生产水平。
"""

SUMMARY = """县城管局2026年工作总结
一、主要工作成效
（一）环境卫生。污水处理厂三期扩建工程通过验收投入运行，日处理能力提高到x万吨。
新增“四分类”达标小区x个，对终端处置单位开展垃圾分类督查x轮。
（二）其他工作。完成冬季供暖管网改造xx公里，保障居民温暖过冬。
二、存在的问题
安全生产基础仍较薄弱。
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    plan, summary = tmp_path / "计划.txt", tmp_path / "总结.txt"
    plan.write_text(PLAN, encoding="utf-8")
    summary.write_text(SUMMARY, encoding="utf-8")
    return plan, summary


def test_json_links_tasks_to_summary_lines_and_lists_the_unplanned(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    result = run_cli("reconcile", str(files[0]), str(files[1]), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"tasks", "unplanned"}
    tasks = data["tasks"]
    assert [t["line"] for t in tasks] == [3, 4, 6]  # the plan file's lines
    assert all(set(t) == {"line", "text", "matches"} for t in tasks)
    assert tasks[0]["text"] == "完成污水处理厂三期扩建项目建设，确保污水处理提质增效。"
    assert [m["line"] for m in tasks[0]["matches"]] == [3]  # the summary file's lines
    assert [m["line"] for m in tasks[1]["matches"]] == [4]
    assert tasks[2]["matches"] == []  # 未提及: the problem part is no report
    match = tasks[0]["matches"][0]
    assert set(match) == {"line", "score", "text"} and 0 < match["score"] <= 1
    assert data["unplanned"] == [
        {"line": 5, "text": "（二）其他工作。完成冬季供暖管网改造xx公里，保障居民温暖过冬。"}
    ]
    assert not list(tmp_path.glob("*.sqlite3")) and not (tmp_path / "db.sqlite3").exists()  # no database made


def test_the_listing_counts_and_marks_each_task(files: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("reconcile", str(files[0]), str(files[1]), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "已提及 2 项 / 未提及 1 项 / 计划外 1 段" in out
    assert "第3行  【已提及】" in out and "第6行  【未提及】" in out
    assert "← 第3行" in out and "共同词：" in out
    assert "第5行  （二）其他工作" in out


def test_a_summary_of_another_year_is_run_with_a_warning(files: tuple[Path, Path], tmp_path: Path) -> None:
    files[1].write_text(SUMMARY.replace("2026年工作总结", "2025年工作总结"), encoding="utf-8")
    result = run_cli("reconcile", str(files[0]), str(files[1]), "--json", data_dir=tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "taizhang reconcile: 注意：总结的年度（2025年）与计划的年度（2026年）不同，请确认两份文件是否对应同一年"
    ]
    assert json.loads(result.stdout)["tasks"][0]["matches"]


def test_a_docx_summary_is_read_as_the_engine_reads_it(files: tuple[Path, Path], tmp_path: Path) -> None:
    summary = tmp_path / "总结.docx"
    summary.write_bytes(build("".join(para(line) for line in SUMMARY.splitlines())))
    result = run_cli("reconcile", str(files[0]), str(summary), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [m["line"] for m in json.loads(result.stdout)["tasks"][0]["matches"]] == [3]


@pytest.mark.parametrize(
    ("which", "content", "message"),
    [
        ("plan", None, "文件不存在"),
        ("plan", "会议记录\n", "未从计划文件中识别出任务"),
        (
            "summary",
            "县城管局2026年工作要点\n一、推进垃圾分类。新增达标小区x个。\n",
            "未从总结文件中识别出总结部分的段落",
        ),
        ("summary", b"PK\x03\x04garbage", ".docx 文件不完整或已损坏"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(
    files: tuple[Path, Path], tmp_path: Path, which: str, content: str | bytes | None, message: str
) -> None:
    plan, summary = files
    bad = tmp_path / ("bad.docx" if isinstance(content, bytes) else "bad.txt")
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content, encoding="utf-8")
    args = (str(bad), str(summary)) if which == "plan" else (str(plan), str(bad))
    result = run_cli("reconcile", *args, data_dir=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert result.stdout == ""


def test_a_missing_argument_is_a_chinese_usage_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("reconcile", str(files[0]), data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "taizhang reconcile: 错误：命令参数有误（缺少参数： summary），用法见 taizhang reconcile --help"
    ]
