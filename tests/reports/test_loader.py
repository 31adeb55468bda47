"""Reading text input: encodings, line numbering, Markdown, and a 50 MB file.

All inputs are written here from made-up lines; nothing comes from the corpus.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from taizhang.cli import main
from taizhang.reports import loader
from taizhang.reports.loader import MAX_TEXT_BYTES, read_bytes_lines, read_lines

LINES = [
    "某某市统计局2023年工作总结",
    "",
    "　　一、主要工作成效",
    "（一）数据质量稳步提升。完成普查任务，数据差错率x.x%。",
    "(二)统计服务更加精准。",
    "二、存在的问题",
    "1．队伍建设有待加强。",
    "三、2024年工作计划",
    "1、深化统计改革。",
]
TEXT = "\n".join(LINES) + "\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"],
)
def test_encodings_decode_to_the_same_lines(tmp_path: Path, encoding: str) -> None:
    data = TEXT.encode(encoding)
    # Windows Notepad writes UTF-16 with a BOM; plain utf-16-le/-be need it added.
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert read_lines(write(tmp_path, "r.txt", data)) == LINES


def test_bom_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    lines = read_lines(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + "标题\n正文\n".encode()))
    assert lines == ["标题", "正文"]
    gb_bom = "\ufeff标题\n".encode("gb18030")  # GB18030 has its own four-byte BOM
    assert read_lines(write(tmp_path, "gbbom.txt", gb_bom)) == ["标题"]


def test_gbk_text_that_is_not_utf8_is_detected(tmp_path: Path) -> None:
    data = "局机关二〇二三年度工作总结\n".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_lines(write(tmp_path, "gbk.txt", data)) == ["局机关二〇二三年度工作总结"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    data = newline.join(LINES).encode() + newline.encode()
    assert read_lines(write(tmp_path, "nl.txt", data)) == LINES


def test_final_newline_does_not_add_a_line_but_blank_lines_stay(tmp_path: Path) -> None:
    assert read_lines(write(tmp_path, "a.txt", "甲\n乙".encode())) == ["甲", "乙"]
    assert read_lines(write(tmp_path, "b.txt", "甲\n乙\n".encode())) == ["甲", "乙"]
    assert read_lines(write(tmp_path, "c.txt", "\n\n甲\n\n乙\n\n".encode())) == ["", "", "甲", "", "乙", ""]


def test_line_numbers_match_the_file(tmp_path: Path) -> None:
    lines = read_lines(write(tmp_path, "n.txt", TEXT.encode()))
    # 1-based line 6 of the file is the problems heading.
    assert lines[6 - 1] == "二、存在的问题"


def test_nothing_is_normalised(tmp_path: Path) -> None:
    raw = [
        "\u3000\u3000全角空格开头",
        "尾部空格  ",
        "\u2002半角空格\t制表符",
        "积极实##paidbegin##施",
        "(1)半角括号",
    ]
    assert read_lines(write(tmp_path, "raw.txt", "\n".join(raw).encode())) == raw


def test_only_lf_cr_and_crlf_end_lines(tmp_path: Path) -> None:
    # str.splitlines() would also split here and shift every later line number.
    raw = "甲\u2028乙\x0c丙\x85丁\n第二行"
    assert read_lines(write(tmp_path, "sep.txt", raw.encode())) == ["甲\u2028乙\x0c丙\x85丁", "第二行"]


def test_a_few_stray_control_characters_are_tolerated(tmp_path: Path) -> None:
    raw = "甲\x08乙\n" + "正文。\n" * 50 + "\x1a"  # backspace from copy and paste, DOS EOF
    lines = read_lines(write(tmp_path, "ctl.txt", raw.encode()))
    assert lines[0] == "甲\x08乙"
    assert len(lines) == 52


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    md = "# 某某局2023年工作总结\n\n## 一、工作成效\n\n- 完成任务。\n* 推进改革。\n"
    assert read_lines(write(tmp_path, "r.md", md.encode())) == [
        "# 某某局2023年工作总结",
        "",
        "## 一、工作成效",
        "",
        "- 完成任务。",
        "* 推进改革。",
    ]


@pytest.mark.parametrize("name", ["REPORT.TXT", "report.markdown", "report.text", "report"])
def test_text_suffixes(tmp_path: Path, name: str) -> None:
    assert read_lines(write(tmp_path, name, TEXT.encode())) == LINES


def test_read_lines_accepts_a_str_path(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", TEXT.encode())
    assert read_lines(str(path)) == LINES  # type: ignore[arg-type]


def test_read_bytes_lines_matches_read_lines(tmp_path: Path) -> None:
    data = TEXT.encode("gb18030")
    assert read_bytes_lines(data, "上传.txt") == read_lines(write(tmp_path, "u.txt", data)) == LINES


def test_limits() -> None:
    assert MAX_TEXT_BYTES == 64 * 1024 * 1024


# Made-up narrative lines: no enumerators, rates or money, so a real parser keeps the
# output small (one document) however often they repeat.
_FILLER = [
    "　　本年度，我们坚持稳中求进工作总基调，统筹推进各项工作，全局上下团结协作，工作取得明显进展。",
    "　　围绕群众关心的热点难点问题，深入基层走访调研，认真听取意见建议，及时回应社会关切。",
    "　　加强干部队伍建设，组织开展业务培训，干部职工的业务能力和服务水平进一步提升。",
    "",
]


def test_a_50_mb_text_file_reads_and_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = "\n".join(_FILLER) + "\n"
    head = "某某县统计局2023年工作总结\n\n一、主要工作\n"
    repeats = 50 * 1024 * 1024 // len(block.encode()) + 1
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(head)
        f.write(block * repeats)
    size = path.stat().st_size
    assert 50 * 1024 * 1024 < size < MAX_TEXT_BYTES

    lines = read_lines(path)
    assert len(lines) == 3 + repeats * len(_FILLER)
    assert lines[0] == "某某县统计局2023年工作总结"
    assert lines[-2] == _FILLER[-2]
    del lines

    assert main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"] == "big.txt"


def test_the_line_cap_is_far_above_a_50_mb_report() -> None:
    # ~120-byte paragraphs: a 64 MB report has about 560k lines.
    assert loader.MAX_LINES >= 1_000_000
