"""`taizhang bulletin` as a user types it: a subprocess on a fresh data folder (embedded SQLite)."""

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
    assert "# 关于示范县2026年重点工作计划6月份推进情况的通报" in md.read_text(encoding="utf-8")


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
