"""`taizhang archive add`, `taizhang search` and `taizhang reindex` as a user runs them: subprocesses
on a fresh data folder (embedded SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.archive.conftest import HOUSING_2024, TRANSPORT_2024
from tests.reports.conftest import CORPUS, require_shared
from tests.test_cli import run_cli

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the bad-input cases (a fresh folder's migration takes a while)."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "x.txt").write_text(HOUSING_2024, encoding="utf-8")
    assert run_cli("migrate", data_dir=folder).returncode == 0
    return folder


def test_add_then_search_on_a_fresh_data_folder(tmp_path: Path) -> None:
    (tmp_path / "交通.txt").write_text(TRANSPORT_2024, encoding="utf-8")
    (tmp_path / "住建.txt").write_text(HOUSING_2024, encoding="utf-8")
    added = run_cli("archive", "add", "交通.txt", "住建.txt", data_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (
        "已存档：县交通运输局2024年工作总结及2025年工作计划（县交通运输局，2024，总结，10 段）"
        in added.stdout
    )
    assert "已存档：县住房和城乡建设局2024年工作总结（县住房和城乡建设局，2024，总结，7 段）" in added.stdout

    found = run_cli("search", "营商环境", "--json", data_dir=tmp_path)
    assert found.returncode == 0, found.stderr
    out = json.loads(found.stdout)
    assert out["query"] == "营商环境"
    hits = sorted(out["hits"], key=lambda h: h["line"])
    assert [(h["document"], h["unit"], h["year"], h["role"], h["line"]) for h in hits] == [
        # no unit is known in a fresh data folder: a document keeps the unit its title names
        ("县住房和城乡建设局2024年工作总结", "县住房和城乡建设局", 2024, "summary", 8),
        ("县交通运输局2024年工作总结及2025年工作计划", "县交通运输局", 2024, "plan", 17),
    ]
    assert "营商环境" in hits[1]["snippet"]

    plain = run_cli("search", "燃气管道", data_dir=tmp_path)
    assert plain.returncode == 0 and "共 1 条" in plain.stdout and "问题 第12行" in plain.stdout

    rebuilt = run_cli("reindex", data_dir=tmp_path)
    assert rebuilt.returncode == 0 and "文档段落 " in rebuilt.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", ""), "taizhang: 错误：请输入要检索的词语"),
        (("search", "营" * 10_000), "taizhang: 错误：检索词过长（10000 个字符），请控制在 100 个字符以内"),
        (
            ("search", '"*:-'),
            "taizhang: 错误：检索词中没有可检索的文字（标点和符号不参与检索），请换一个词语",
        ),
        (("archive", "add", "没有这个文件.txt"), "taizhang: 错误：文件不存在：没有这个文件.txt"),
        (("archive", "add", "."), "taizhang: 错误：这是一个目录，不是文件：."),
        (("archive", "add", "x.txt", "--unit", "不存在局"), "taizhang: 错误：单位“不存在局”不在单位库中"),
        (("archive", "add", "x.txt", "--year", "99"), "taizhang: 错误：年度应在 2000 到 2100 之间：99"),
        (("archive", "remove", "x.txt"), None),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str | None
) -> None:
    (tmp_path / "x.txt").write_text(HOUSING_2024, encoding="utf-8")
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("正在初始化数据库")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    if message is not None:
        assert lines == [message]
    else:
        assert lines[0].startswith("taizhang archive: 错误：命令参数有误")


def test_a_file_archived_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(HOUSING_2024, encoding="utf-8")
    assert run_cli("archive", "add", "a.txt", data_dir=tmp_path).returncode == 0
    again = run_cli("archive", "add", "a.txt", data_dir=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith("taizhang: 错误：《a.txt》与 ") and again.stderr.count("\n") == 1


def test_a_corpus_compilation_is_split_and_found(tmp_path: Path) -> None:
    require_shared()
    compilation = CORPUS / "002_74ff4db203328043.txt"
    added = run_cli("archive", "add", str(compilation), data_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    reports = [line for line in added.stdout.splitlines() if "，汇编，" not in line]
    assert len(reports) == 4  # the engine's four documents of this compilation
    found = json.loads(run_cli("search", "营商环境", "--json", data_dir=tmp_path).stdout)
    lines = compilation.read_text(encoding="utf-8").splitlines()
    assert found["hits"]
    for hit in found["hits"]:  # each hit's line is the file's line holding the words
        assert "营商" in lines[hit["line"] - 1] and "环境" in lines[hit["line"] - 1]
