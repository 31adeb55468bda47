"""`taizhang bulletin` and `taizhang draft` as a user types them: subprocesses on a fresh data
folder (embedded SQLite), the demo loaded once for the module."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from tests.test_cli import run_cli

pytestmark = pytest.mark.nodb

MIGRATING = "正在初始化数据库"


def _error_lines(stderr: str) -> list[str]:
    """What the command said, without the one-time notice that the new database is being set up."""
    return [line for line in stderr.splitlines() if not line.startswith(MIGRATING)]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bulletin-demo")
    result = run_cli("demo", data_dir=folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_a_bulletin_of_the_demo_as_docx_and_markdown(demo_folder: Path) -> None:
    out = demo_folder / "通报.docx"
    result = run_cli(
        "bulletin", "--plan", "1", "--period", "2026-06", "-o", str(out), "--number", "督查通报〔2026〕6号",
        "--date", "2026-07-08", data_dir=demo_folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已生成 {out}：关于示范县2026年重点工作计划6月份推进情况的通报")
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert "督查通报〔2026〕6号" in texts and texts[-1] == "2026年7月8日"
    assert "一、总体情况" in texts and "六、督办通知发出情况" in texts
    md = demo_folder / "通报.md"
    again = run_cli("bulletin", "--plan", "1", "--period", "2026-06", "-o", str(md), data_dir=demo_folder)
    assert again.returncode == 0, again.stderr
    assert "\n关于示范县2026年重点工作计划6月份推进情况的通报\n" in md.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-13"), "taizhang: 错误：期别格式不正确：'2026-13'（应如 2026-10）"),
        (("--period", "2025-11"), "taizhang: 错误：期别 2025-11 不在该计划的报送期内（2026-01 至 2026-12）"),
        (("--date", "2026-02-30"), "taizhang: 错误：成文日期格式不正确：'2026-02-30'（应如 2026-12-05）"),
    ],
)
def test_bad_input_on_the_demo_is_one_chinese_line(
    demo_folder: Path, args: tuple[str, ...], message: str
) -> None:
    out = demo_folder / "bad.docx"
    result = run_cli("bulletin", "--plan", "1", "-o", str(out), *args, data_dir=demo_folder)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [message]
    assert not out.exists()


def test_bad_input_on_a_fresh_folder(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    missing = run_cli("bulletin", "--plan", "7", "-o", str(out), data_dir=tmp_path)
    assert missing.returncode == 2
    assert _error_lines(missing.stderr) == ["taizhang: 错误：计划不存在：7"]
    for args, message in [
        (("--plan", "abc", "-o", str(out)), "taizhang: 错误：计划编号应为数字：'abc'"),
        (
            ("--plan", "1", "-o", str(tmp_path / "x.pdf")),
            f"taizhang: 错误：输出文件应以 .docx 或 .md 结尾：{tmp_path / 'x.pdf'}",
        ),
        (
            ("--plan", "1", "-o", str(tmp_path / "no" / "x.docx")),
            f"taizhang: 错误：输出目录不存在：{tmp_path / 'no'}",
        ),
    ]:
        result = run_cli("bulletin", *args, data_dir=tmp_path)
        assert result.returncode == 2
        assert _error_lines(result.stderr) == [message]
    usage = run_cli("bulletin", "-o", str(out), data_dir=tmp_path)
    assert usage.returncode == 2
    assert usage.stderr.splitlines() == [
        "taizhang bulletin: 错误：命令参数有误（缺少参数： --plan），用法见 taizhang bulletin --help"
    ]


def test_a_year_end_draft_of_a_demo_unit_and_lint_finds_its_holes(demo_folder: Path) -> None:
    out = demo_folder / "交通局.docx"
    result = run_cli("draft", "--unit", "交通局", "--year", "2026", "-o", str(out), data_dir=demo_folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已生成 {out}：县交通运输局2026年工作总结及2027年工作计划（任务 ")
    texts = [p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert {"一、2026年工作总结", "二、存在的问题", "三、2027年工作计划"} <= set(texts)
    parsed = run_cli("parse", str(out), data_dir=demo_folder)
    assert parsed.returncode == 0, parsed.stderr
    assert "【1】县交通运输局2026年工作总结及2027年工作计划" in parsed.stdout
    lint = run_cli("lint", str(out), data_dir=demo_folder)
    assert lint.returncode == 1  # findings: the placeholders a person must fill in
    assert "TZ101 未填写的占位符“【待补充：2026年工作总体情况概述】”" in lint.stdout
    md = demo_folder / "交通局.md"
    again = run_cli("draft", "--unit", "县交通运输局", "--year", "2026", "-o", str(md), data_dir=demo_folder)
    assert again.returncode == 0, again.stderr
    assert md.read_text(encoding="utf-8").startswith("县交通运输局2026年工作总结及2027年工作计划\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "交通部", "--year", "2026"), "taizhang: 错误：单位不存在：交通部"),
        (
            ("--unit", "交通局", "--year", "2025"),
            "taizhang: 错误：县交通运输局在2025年的工作计划中没有牵头任务或指标，无法起草",
        ),
        (("--unit", "交通局", "--year", "1999"), "taizhang: 错误：年度应在 2000 至 2100 之间：1999"),
    ],
)
def test_bad_draft_input_is_one_chinese_line(demo_folder: Path, args: tuple[str, ...], message: str) -> None:
    out = demo_folder / "bad-draft.docx"
    result = run_cli("draft", *args, "-o", str(out), data_dir=demo_folder)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [message]
    assert not out.exists()
