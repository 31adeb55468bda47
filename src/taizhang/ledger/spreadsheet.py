"""The Excel 台账 format that both the import (``importing.xlsx``) and the export (``exporting``)
speak: its content type and its column names. Which header names a column may go by (synonyms, two-row
headers) is the document engine's reading of task tables (``taizhang.reports.tables``); the export
writes the first name of each, which that reading knows."""

from __future__ import annotations

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LABELS: dict[str, str] = {
    "seq": "序号",
    "content": "任务内容",
    "leader": "责任领导",
    "lead": "牵头单位",
    "co": "配合单位",
    "deadline": "完成时限",
    "progress": "进展情况",
    "status": "状态",
    "category": "分类",
}
