"""The Excel 台账 format that both the import (``importing.xlsx``) and the export (``exporting``)
speak: its content type and its column names."""

from __future__ import annotations

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# field -> header names, most specific first (a sheet with both 牵头单位 and 责任单位 uses 牵头单位).
COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "content": (
        "任务内容",
        "工作任务",
        "重点任务",
        "重点工作",
        "工作内容",
        "目标任务",
        "具体任务",
        "工作事项",
        "任务",
    ),
    "leader": ("责任领导", "牵头领导", "分管领导", "责任县领导", "包抓领导", "县级领导"),
    "lead": ("牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位"),
    "co": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位"),
    "deadline": ("完成时限", "完成时间", "完成期限", "截止时间", "时限", "时间节点"),
    "progress": ("进展情况", "工作进展", "推进情况", "完成情况", "进度情况"),
    "status": ("状态", "完成状态", "进展状态"),
    "category": ("分类", "类别", "工作类别", "任务类别"),
}
LABELS = {f: names[0] for f, names in COLUMNS.items()}
