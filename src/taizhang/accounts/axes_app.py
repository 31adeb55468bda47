"""django-axes' app config, in Chinese."""

from typing import Any

from axes.apps import AppConfig as BaseAxesConfig


class AxesConfig(BaseAxesConfig):  # type: ignore[misc]
    """django-axes under a Chinese name; its models' titles (English f-strings, not translatable)
    in Chinese too. Listed in INSTALLED_APPS instead of "axes"."""

    verbose_name = "登录保护"

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        def where(obj: Any) -> str:
            return obj.ip_address or "地址未知"

        def attempt(obj: Any) -> str:
            return f"{obj.username} 的登录尝试（{where(obj)}）"

        def failure(obj: Any) -> str:
            locked = "，已锁定" if obj.locked_out else ""
            return f"{obj.username} 登录失败（{where(obj)}{locked}）"

        def log(obj: Any) -> str:
            return f"{obj.username} 的登录记录（{where(obj)}）"

        AccessAttempt.__str__ = attempt
        AccessFailureLog.__str__ = failure
        AccessLog.__str__ = log
