"""`taizhang parse`: the outline by default, one JSON object with --json, exit 2 on no report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taizhang.cli import main

REPORT = "县农业农村局2025年上半年工作总结和下半年工作思路\n一、上半年工作总结\n（一）抓好春耕生产。\n二、下半年工作思路\n（一）抓好秋粮收储。\n"


def test_outline_shows_title_periods_tree_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "县农业农村局2025年上半年工作总结和下半年工作思路" in out
    assert "总结期：2025年上半年" in out and "计划期：2025年下半年" in out
    assert "二、下半年工作思路  〔计划〕 第4行" in out
    assert "任务 1 项" in out


def test_json_is_exactly_one_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "taizhang.parse/1"
    assert [t["text"] for t in data["documents"][0]["tasks"]] == ["抓好秋粮收储。"]


def test_file_with_no_report_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("会议记录\n今天讨论了三件事。\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "未在文件中识别出工作报告" in err[0]


def test_bad_arguments_get_one_chinese_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["parse"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "缺少参数" in err[0]
