"""Chinese messages for the errors django-ninja and pydantic produce in English."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ninja.errors import HttpError

_CJK = re.compile(r"[\u4e00-\u9fff]")

# Readable names of request fields (query parameters and body fields).
FIELD_LABELS: dict[str, str] = {
    "period": "报送期",
    "text": "进展情况",
    "percent": "完成进度",
    "is_zero_report": "零报告",
    "zero_reason": "零报告原因",
    "expected_version": "版本号",
    "approve": "审核结论",
    "comment": "审核意见",
    "page": "页码",
    "page_size": "每页条数",
    "year": "年度",
    "plan": "计划",
    "unit": "单位",
    "status": "任务状态",
    "state": "审核状态",
    "due": "报送期",
    "task": "任务",
    "task_id": "任务编号",
    "plan_id": "计划编号",
    "report_id": "报告编号",
}

_PLAIN: dict[str, str] = {
    "missing": "为必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "date_parsing": "应为日期（如 2026-03-31）",
    "date_from_datetime_parsing": "应为日期（如 2026-03-31）",
    "enum": "取值无效",
    "literal_error": "取值无效",
    "model_attributes_type": "格式不正确",
    "model_type": "格式不正确",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "value_error": "取值无效",
}


def _field(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters", "form")]
    return ".".join(parts)


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt', ''))}".rstrip()
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt', ''))}".rstrip()
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length', '')} 个字".replace("  ", " ")
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length', '')} 个字"
    if kind == "enum" and ctx.get("expected"):
        choices = re.findall(r"'([^']*)'", str(ctx["expected"]))
        return f"取值无效，可选：{'、'.join(choices)}" if choices else "取值无效"
    return _PLAIN.get(kind, "取值无效")


def chinese_validation_errors(errors: Iterable[Mapping[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """(one-line Chinese summary, [{"field", "message"}]) from ninja's validation errors."""
    out: list[dict[str, str]] = []
    for error in errors:
        field = _field(error.get("loc") or ())
        out.append({"field": field, "message": _message(error)})
    if not out:
        return "请求数据不正确", out
    parts = []
    for item in out:
        name = FIELD_LABELS.get(item["field"].split(".")[-1], item["field"]) if item["field"] else "请求体"
        parts.append(f"{name}（{item['field'] or 'body'}）{item['message']}")
    return "请求数据不正确：" + "；".join(parts), out


_BY_STATUS: dict[int, str] = {
    400: "请求不正确",
    401: "请先登录，或在请求头 Authorization 中提供有效的接口令牌（Bearer）",
    403: "您没有权限执行此操作",
    404: "未找到",
    405: "不支持该请求方法",
    429: "请求过于频繁，请稍后再试",
}


def http_error_detail(exc: HttpError) -> str:
    """ninja's own HttpErrors are English ("Unauthorized", "CSRF check Failed", "Cannot parse …")."""
    message = str(exc)
    if _CJK.search(message):
        return message
    if "csrf" in message.lower():
        return "CSRF 校验失败：请刷新页面后重试（通过会话调用接口时，非 GET 请求须带 X-CSRFToken 请求头）"
    if exc.status_code == 400 and "parse" in message.lower():
        return "请求体不是有效的 JSON"
    return _BY_STATUS.get(exc.status_code, "请求失败")
