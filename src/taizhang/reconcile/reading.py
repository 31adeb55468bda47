"""What 对账 reads from the engine's parse: a plan's tasks and a summary's passages. Pure Python.

A passage is a body paragraph of a summary part (role ``summary`` or ``highlight``), a run-in
heading with its body included; bare heading lines, problem passages and plan parts are not.
Paragraphs above every heading (the opening 2023年，我局… of a report) are passages only when
the summary has no headed summary paragraphs at all.
"""

from __future__ import annotations

import os

from taizhang.reports import InputError, ParseResult, parse_bytes, parse_file
from taizhang.reports.model import Document

from .matching import Text

SUMMARY_ROLES = ("summary", "highlight")
# One unit's plan and summary of a year hold tens to a few hundred of each; the limits keep a whole
# compilation uploaded by mistake from tying up a web worker (the matching grows with their product).
MAX_TASKS = 1000
MAX_PASSAGES = 3000


class ReadError(ValueError):
    """A file 对账 cannot use, with a one-line Chinese message."""


def plan_tasks(result: ParseResult) -> list[Text]:
    return [Text(t.line, t.text) for doc in result.documents for t in doc.tasks]


def _passages(doc: Document) -> list[Text]:
    body = [p for p in doc.paragraphs if p.role in SUMMARY_ROLES and not p.heading]
    headed = [p for p in body if p.section_line]
    return [Text(p.line, p.text) for p in (headed or body)]


def summary_passages(result: ParseResult) -> list[Text]:
    return [t for doc in result.documents for t in _passages(doc)]


def parse_path(path: str | os.PathLike[str]) -> ParseResult:
    try:
        return parse_file(path)
    except InputError as err:
        raise ReadError(str(err)) from None
    except MemoryError:
        raise ReadError("文件过大，内存不足，无法读取") from None


def parse_upload(data: bytes, file_name: str) -> ParseResult:
    """An upload, with the engine's checks of a file (format by content, size, zip and XML bombs)."""
    try:
        return parse_bytes(data, file_name)
    except InputError as err:
        raise ReadError(str(err)) from None
    except MemoryError:
        raise ReadError("文件过大，内存不足，无法读取") from None


def require_tasks(result: ParseResult) -> list[Text]:
    tasks = plan_tasks(result)
    if not tasks:
        raise ReadError(f"未从计划文件中识别出任务（需含“…年工作计划/要点”标题和计划部分）：{result.source}")
    if len(tasks) > MAX_TASKS:
        raise ReadError(
            f"计划文件中有 {len(tasks)} 项任务，超过 {MAX_TASKS} 项："
            f"请只对账一个单位一年的计划：{result.source}"
        )
    return tasks


def require_passages(result: ParseResult) -> list[Text]:
    passages = summary_passages(result)
    if not passages:
        raise ReadError(
            f"未从总结文件中识别出总结部分的段落（需含“…年工作总结”标题和总结正文）：{result.source}"
        )
    if len(passages) > MAX_PASSAGES:
        raise ReadError(
            f"总结文件中有 {len(passages)} 段总结，超过 {MAX_PASSAGES} 段："
            f"请只对账一个单位一年的总结：{result.source}"
        )
    return passages


def plan_years(result: ParseResult) -> set[int]:
    """The years the plan's documents plan for (``2024`` for 2024 and 2024H2)."""
    return {int(d.plan_period[:4]) for d in result.documents if d.plan_period and d.tasks}


def summary_years(result: ParseResult) -> set[int]:
    return {int(d.summary_period[:4]) for d in result.documents if d.summary_period and _passages(d)}


def year_warning(plan: set[int], summary: set[int]) -> str | None:
    """对账 is for a plan and the summary of the same year: say so when the two name other years."""
    if not plan or not summary or plan & summary:
        return None
    named = "、".join(str(y) for y in sorted(summary))
    planned = "、".join(str(y) for y in sorted(plan))
    return f"总结的年度（{named}年）与计划的年度（{planned}年）不同，请确认两份文件是否对应同一年"


def read_plan(path: str | os.PathLike[str]) -> list[Text]:
    return require_tasks(parse_path(path))


def read_summary(path: str | os.PathLike[str]) -> list[Text]:
    return require_passages(parse_path(path))
