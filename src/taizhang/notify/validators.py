"""Input rules of the notify app (Chinese messages)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

BAD_WEBHOOK = "机器人地址应以 http:// 或 https:// 开头，并包含主机名"


def validate_webhook_url(value: str) -> None:
    """Only plain http(s) URLs with a host: never ftp:, file:, javascript: or a bare path."""
    text = (value or "").strip()
    if text != value or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise ValidationError("机器人地址不能包含空格或控制字符", code="invalid")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ValidationError(BAD_WEBHOOK, code="invalid") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(BAD_WEBHOOK, code="invalid")
