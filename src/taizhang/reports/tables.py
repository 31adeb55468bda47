"""Task tables (重点工作任务分解表) — PARSE.md §1, §3.

The commonest form of a plan in this field is a table: a header row naming columns such as
序号 / 重点任务 / 具体内容 / 牵头单位 / 配合单位 / 责任领导 / 完成时限, often with node columns
(阶段目标, 时间节点, 序时进度, or one column per month such as `3月底`), a two-row header (a merged
`时间节点` over `完成时限` / `阶段目标`), merged cells (a 责任领导 over three rows), and categories
given either by rows that span the table (`一、优化营商环境`) or by a column of their own.

The readers of .docx and .xlsx hand this module a `Grid` (merged cells already repeated in every
position they cover); `read_task_table` reads it as a clerk would, or returns None when the grid is
not a task table. Everything is kept as written: the ledger matches units and parses dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .enumerators import match_enumerator
from .model import Item, Milestone

HEADER_SEARCH_ROWS = 12
"""Title rows and blank rows may stand above the header; a header lower down is no header."""


@dataclass
class Grid:
    rows: list[list[str]]  # cell texts (paragraphs joined by "\n"); a merged cell repeated in every position
    lines: list[int]  # lines[i] = 1-based input line of row i's first non-empty cell paragraph (0 if none)


@dataclass
class TaskRow:
    index: int  # 0-based row of the grid (the first of several rows read as one task)
    line: int  # 1-based input line
    seq: str
    text: str  # 任务 + 具体内容/目标 columns
    lead_unit: str = ""
    co_units: list[str] = field(default_factory=list)
    co_text: str = ""  # the 配合单位 cell as written (the ledger reports names it cannot match)
    leader: str = ""
    deadline: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    path: list[str] = field(default_factory=list)  # category rows and category columns, outermost first
    extra: dict[str, str] = field(default_factory=dict)  # other recognised columns (进展情况, 备注, ...)

    def item(self, outer: Iterable[str] = ()) -> Item:
        return Item(
            self.line,
            self.text,
            [*outer, *self.path],
            lead_unit=self.lead_unit,
            co_units=list(self.co_units),
            leader=self.leader,
            deadline=self.deadline,
            milestones=list(self.milestones),
        )


@dataclass
class Column:
    index: int
    field: str  # seq task detail lead co leader deadline node node_date category progress status note
    label: str  # the header as written (both header rows joined by "/")
    date: str = ""  # a node column headed by a date (`3月底`): that date
    key: str = ""  # the header name that decided the field (the lower one of a two-row header)


@dataclass
class TaskTable:
    title: str  # title rows above the header (`2026年重点工作任务分解表`), "" when none
    title_line: int  # its input line (0 when none)
    header_rows: list[int]  # 0-based grid rows of the header (one or two)
    columns: list[Column]
    rows: list[TaskRow]
    start_line: int = 0  # input lines the grid covers, first and last (0 when unknown)
    end_line: int = 0
    skipped: list[tuple[int, str]] = field(
        default_factory=list
    )  # (grid row, its text) of rows without a task

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns}

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    def covers(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line

    def items(self, outer: Iterable[str] = ()) -> list[Item]:
        """The tasks as engine items (rows without task text are no task)."""
        outer = list(outer)
        return [r.item(outer) for r in self.rows if r.text]


# --- header --------------------------------------------------------------------------------------

# field -> header names. Matching is on the whole cell (noise removed), then on a name the cell ends
# with ("县级责任领导" ends with "责任领导"); the order below decides between fields when both fit.
_NAMES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序", "项目编号", "任务编号"),
    "task": (
        "工作任务",
        "重点任务",
        "任务内容",
        "工作内容",
        "目标任务",
        "具体任务",
        "重点工作",
        "重点工作任务",
        "主要任务",
        "任务名称",
        "工作事项",
        "重点事项",
        "事项",
        "任务",
        "项目名称",
        "重点项目",
        "工作名称",
        "工作项目",
        "主要工作",
    ),
    "detail": (
        "具体内容",
        "具体工作",
        "工作目标",
        "目标要求",
        "任务目标",
        "具体目标",
        "目标",
        "工作措施",
        "具体措施",
        "主要措施",
        "推进措施",
        "主要内容",
        "建设内容",
        "工作要求",
        "具体要求",
        "工作举措",
        "任务举措",
    ),
    "lead": (
        "牵头单位",
        "责任单位",
        "主责单位",
        "牵头部门",
        "责任部门",
        "主责部门",
        "牵头科室",
        "责任科室",
        "主办单位",
        "责任主体",
        "承办单位",
    ),
    "co": ("配合单位", "协同单位", "配合部门", "协办单位", "参与单位", "协同部门", "配合科室", "协助单位"),
    "leader": (
        "责任领导",
        "分管领导",
        "牵头领导",
        "责任人",
        "县级领导",
        "责任县领导",
        "包抓领导",
        "联系领导",
        "分管县领导",
        "牵头县领导",
        "包联领导",
        "领导",
    ),
    "deadline": ("完成时限", "完成时间", "时限要求", "完成期限", "截止时间", "办结时限", "时限", "时间要求"),
    "node": (
        "阶段目标",
        "节点目标",
        "序时进度",
        "时间节点",
        "进度安排",
        "推进计划",
        "节点安排",
        "计划进度",
        "时序进度",
        "阶段性目标",
        "节点任务",
        "年度目标",
    ),
    "category": ("分类", "类别", "工作类别", "任务类别", "板块", "领域", "专项", "类型", "工作板块"),
    "progress": ("进展情况", "工作进展", "推进情况", "完成情况", "进度情况", "目前进展"),
    "status": ("状态", "完成状态", "进展状态"),
    "note": ("备注", "说明"),
}
_LOOKUP = {name: f for f, names in _NAMES.items() for name in names}
_SUFFIXES = sorted(_LOOKUP, key=len, reverse=True)
_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]+|[（(][^）)]*[）)]")

_CN_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
# A date as written in a node column's header or at the head of a node: `3月底`, `6月30日前`,
# `2026年3月`, `一季度`, `第二季度末`, `上半年`, `年底前`, `10月中旬`.
_DATE = (
    r"(?:(?:\d{4}|20\d\d)\s*年\s*)?"
    rf"(?:{_CN_MONTH}\s*月份?\s*(?:\d{{1,2}}\s*日|底|末|初|上旬|中旬|下旬)?"
    r"|第?[一二三四1-4]\s*季度(?:末|底)?|[上下]半年|年底|年末|年内|全年|\d{4}\s*年(?:底|末)?)"
    r"(?:前|以前|之前|完成)?"
    r"|(?<!\d)\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?!\d)"
)
_DATE_HEADER = re.compile(rf"(?:{_DATE})")
_DATE_AT_START = re.compile(rf"^\s*(?:截至|截止|到|至|于|在)?\s*({_DATE})\s*[，,：:、]?\s*")
_DATE_ANYWHERE = re.compile(_DATE)
_NODE_SPLIT = re.compile(r"\n+|[；;]\s*|(?<=。)(?=\s*(?:截至|截止|到|至|于)?\s*(?:" + _DATE + "))")
_CN_ORDINAL = re.compile(r"^[一二三四五六七八九十]{1,3}$")
_JOINED = re.compile(r"及|和|与|、|/|／")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CATEGORY_SPLIT = re.compile(r"\s+[/>›]\s+|\n")  # `交通 / 道路`: a category and its sub-category
_LIST_SPLIT = re.compile(r"[、，,；;/／\s]+")
_TRAILING_ETC = re.compile(r"(?:等(?:相关)?(?:单位|部门|科室)?|等)$")


def _normal(text: str) -> str:
    return _HEADER_NOISE.sub("", text)


def header_field(text: str) -> str | None:
    """The field a header cell names (`完成时限（年月日）` → deadline; `3月底` → node), else None."""
    key = _normal(text)
    if not key or len(key) > 16:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    if _DATE_HEADER.fullmatch(key):
        return "node"
    # Two names joined (`牵头单位及责任人`, `工作任务及目标`): the first names the column.
    head = _JOINED.split(key, maxsplit=1)[0]
    if head != key and head in _LOOKUP:
        return _LOOKUP[head]
    # A name with a qualifier before it (`县级责任领导`, `主要工作任务`).
    for name in _SUFFIXES:
        if len(name) >= 2 and key.endswith(name) and len(key) - len(name) <= 4:
            return _LOOKUP[name]
    return None


def _is_header(row: list[str]) -> bool:
    found = {header_field(cell) for cell in row if cell.strip()}
    found.discard(None)
    return "task" in found and bool(found & {"lead", "co", "leader", "deadline"}) and len(found) >= 3


def _is_sub_header(row: list[str], above: list[str]) -> bool:
    """A second header row: every cell repeats the one above (a header merged down) or names a
    column, and at least one cell is new (`完成时限` / `阶段目标` under a merged `时间节点`)."""
    new = False
    for cell, top in zip(row, above, strict=False):
        if not cell.strip() or cell == top:
            continue
        if header_field(cell) is None:
            return False
        new = True
    return new


def _columns(header: list[str], sub: list[str] | None) -> list[Column]:
    columns: list[Column] = []
    for index, top in enumerate(header):
        low = sub[index] if sub is not None and index < len(sub) else ""
        label = top if not low or low == top else (f"{top}/{low}" if top else low)
        name = (header_field(low) if low and low != top else None) or header_field(top)
        if name is None:
            continue
        date = ""
        key = _normal(low if low and low != top and header_field(low) else top)
        if name == "node" and _DATE_HEADER.fullmatch(key):
            date = key
        columns.append(Column(index, name, label.strip(), date, key))
    # Several columns named alike: the first task column is the task, later ones add detail;
    # 时间节点 is the deadline only when no other column gives one.
    seen_task = False
    for column in columns:
        if column.field == "task":
            if seen_task:
                column.field = "detail"
            seen_task = True
    if not seen_task:
        detail = next((c for c in columns if c.field == "detail"), None)
        if detail is not None:
            detail.field = "task"
    # A 时间节点 column holds dates: alone, it is the deadline; beside a 阶段目标 column, the dates of
    # its nodes (the task's deadline is then its last node).
    plain_nodes = [c for c in columns if c.field == "node" and not c.date]
    timed = [c for c in plain_nodes if "时间" in c.key or "时限" in c.key]
    if timed and not any(c.field == "deadline" for c in columns):
        timed[0].field = "deadline" if len(plain_nodes) == 1 else "node_date"
    # A single-valued field named by several columns is read from the most specific name (a sheet
    # with both 牵头单位 and 责任单位 takes 牵头单位); the others are kept as notes.
    single = ("seq", "lead", "co", "leader", "deadline", "node_date")
    for name in single:
        named = [c for c in columns if c.field == name]
        best = min(named, key=lambda c: _rank(c.key), default=None)
        for column in named:
            if column is not best:
                column.field = "note"
    return columns


def _rank(key: str) -> int:
    for names in _NAMES.values():
        if key in names:
            return names.index(key)
    return len(_SUFFIXES)


# --- rows ----------------------------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """Unit names in a cell as written: `县财政局、县自然资源局等` → [县财政局, 县自然资源局]."""
    names = [p.strip() for p in _LIST_SPLIT.split(text or "") if p.strip()]
    if names:
        names[-1] = _TRAILING_ETC.sub("", names[-1]) or names[-1]
    return [n for n in names if n]


def _milestones_of_cell(text: str, column: Column) -> list[Milestone]:
    text = text.strip()
    if not text:
        return []
    if column.date:
        return [Milestone(column.date, text)]
    out: list[Milestone] = []
    for part in _NODE_SPLIT.split(text):
        part = part.strip(" 。；;，,")
        if not part:
            continue
        m = _DATE_AT_START.match(part)
        if m and part[m.end() :].strip():
            out.append(Milestone(m.group(1).strip(), part[m.end() :].strip()))
            continue
        if m is None:
            found = _DATE_ANYWHERE.search(part)
            if found is not None:
                out.append(Milestone(found.group(0).strip(), part))
                continue
        if out:  # a part without a date continues the node before it
            out[-1].text += "；" + part
        else:
            out.append(Milestone("", part))
    return out


def _milestones(row: list[str], columns: list[Column], node_date: str) -> list[Milestone]:
    out: list[Milestone] = []
    for column in columns:
        if column.field != "node":
            continue
        found = _milestones_of_cell(_at(row, column.index), column)
        if node_date and found and not any(m.date for m in found):
            found = [Milestone(node_date, "；".join(m.text for m in found))]
        out.extend(found)
    return out


def _join_text(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part or part == out or part in out:
            continue
        if not out:
            out = part
        elif out[-1] in "。；;：:！？!?":
            out += part
        else:
            out += "：" + part
    return out


def _category_level(text: str) -> int:
    enum = match_enumerator(text)
    return enum.level if enum is not None else 1


def _category_of_row(row: list[str], columns: list[Column]) -> str | None:
    """A row that spans the table (`一、优化营商环境` merged across), or that names a category in the
    first text cells only (序号 `一` + 任务 `优化营商环境`); None for a task row."""
    cells = [c.strip() for c in row]
    filled = [c for c in cells if c]
    if not filled:
        return None
    distinct = list(dict.fromkeys(filled))
    by_field = {c.field: cells[c.index] if c.index < len(cells) else "" for c in columns}
    if len(distinct) == 1:
        text = distinct[0]
        if not _CJK.search(text):  # a lone 序号 or number is no category
            return None
        # A task with only its text filled is still a task when it reads like one (a long sentence).
        if (
            len(filled) == 1
            and by_field.get("task") == text
            and match_enumerator(text) is None
            and len(text) > 30
        ):
            return None
        return text.replace("\n", "")
    seq, task = by_field.get("seq", ""), by_field.get("task", "")
    others = [
        v for f, v in by_field.items() if v and f not in ("seq", "task", "category") and v not in (seq, task)
    ]
    if seq and task and not others and _CN_ORDINAL.match(seq):
        return task if match_enumerator(task) else f"{seq}、{task}"
    return None


def read_task_table(grid: Grid) -> TaskTable | None:
    """Read a grid as a task table, or None when no header row names its columns (module doc)."""
    rows = [[(c or "").strip() for c in row] for row in grid.rows]
    header_at = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if _is_header(row)), None)
    if header_at is None:
        return None
    header = rows[header_at]
    sub: list[str] | None = None
    header_rows = [header_at]
    if header_at + 1 < len(rows) and _is_sub_header(rows[header_at + 1], header):
        sub = rows[header_at + 1]
        header_rows.append(header_at + 1)
    columns = _columns(header, sub)
    lines = list(grid.lines) + [0] * (len(rows) - len(grid.lines))
    title, title_line = "", 0
    for index, row in enumerate(rows[:header_at]):
        text = " ".join(dict.fromkeys(c.replace("\n", "") for c in row if c))
        if text and not title:
            title, title_line = text, lines[index]
    known = [line for line in lines if line]
    table = TaskTable(
        title=title,
        title_line=title_line,
        header_rows=header_rows,
        columns=columns,
        rows=[],
        start_line=min(known, default=0),
        end_line=max(known, default=0),
    )

    def cell(row: list[str], name: str) -> str:
        column = table.column(name)
        return row[column.index] if column is not None and column.index < len(row) else ""

    categories: list[tuple[int, str]] = []  # (level, heading) of the category rows above
    trailing: list[tuple[int, str]] = []  # rows read as categories since the last task (a footer)
    previous: TaskRow | None = None
    previous_key: tuple[str, str] | None = None
    for index in range(header_rows[-1] + 1, len(rows)):
        row = rows[index]
        if not any(row):
            continue
        if row == header or (sub is not None and row == sub):  # a header repeated on a new page
            continue
        category = _category_of_row(row, columns)
        if category is not None:
            level = _category_level(category)
            categories = [c for c in categories if c[0] < level] + [(level, category)]
            previous, previous_key = None, None
            trailing.append((index, category))
            continue
        trailing = []
        seq = cell(row, "seq")
        task = cell(row, "task")
        key = (seq, task)
        node_date = cell(row, "node_date").replace("\n", "；")
        milestones = _milestones(row, columns, node_date)
        if previous is not None and task and key == previous_key:
            # The task's cells are merged over several rows: one task, one more node per row.
            for m in milestones:
                if m not in previous.milestones:
                    previous.milestones.append(m)
            deadline = cell(row, "deadline") or node_date
            if deadline:  # the task ends with its last row
                previous.deadline = deadline
            continue
        details = [_at(row, c.index) for c in columns if c.field == "detail"]
        lead = cell(row, "lead").replace("\n", "、")
        co_text = cell(row, "co")
        co = [] if co_text == cell(row, "lead") else split_names(co_text)
        leader = cell(row, "leader").replace("\n", " ")
        deadline = cell(row, "deadline").replace("\n", "；") or node_date
        if not (task or any(details)) and not (lead or leader or deadline or milestones):
            table.skipped.append((index, "；".join(dict.fromkeys(c for c in row if c))[:40]))
            continue
        path = [c[1] for c in categories]
        for column in columns:
            if column.field == "category":
                for value in _CATEGORY_SPLIT.split(_at(row, column.index)):
                    if value.strip() and value.strip() not in path:
                        path.append(value.strip())
        extra = {
            c.label: _at(row, c.index)
            for c in columns
            if c.field in ("progress", "status", "note") and _at(row, c.index)
        }
        task_row = TaskRow(
            index=index,
            line=lines[index],
            seq=seq,
            text=_join_text([task, *details]),
            lead_unit=lead,
            co_units=co,
            co_text="" if co_text == cell(row, "lead") else co_text,
            leader=leader,
            deadline=deadline,
            milestones=milestones,
            path=path,
            extra=extra,
        )
        table.rows.append(task_row)
        previous, previous_key = task_row, key
    # Rows after the last task that read like categories are a footer (`填表人：…`, `注：…`).
    table.skipped.extend((index, text[:40]) for index, text in trailing)
    table.skipped.sort()
    return table


def _at(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""
