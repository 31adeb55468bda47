"""The audit log's admin in Chinese: django-auditlog writes two of its columns in English."""

from __future__ import annotations

from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

admin.site.site_header = "台账 · 管理后台"
admin.site.site_title = "台账管理后台"
admin.site.index_title = "系统管理"


class ChineseLogEntryAdmin(LogEntryAdmin):  # type: ignore[misc]
    @admin.display(description="变更")
    def msg_short(self, obj: LogEntry) -> str:
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        changes = obj.changes_dict
        model = obj.content_type.model_class() if obj.content_type else None
        names = [_field_label(model, name) for name in changes]
        # Whole names only: a name cut in two ("I……" of "ID") reads as garbage.
        shown: list[str] = []
        for label in names:
            if shown and len("、".join([*shown, label])) > 60:
                return f"{len(changes)} 项：{'、'.join(shown)}……"
            shown.append(label)
        return f"{len(changes)} 项：{'、'.join(shown)}"

    @admin.display(description="关联编号")
    def cid_url(self, obj: LogEntry) -> Any:
        return super().cid_url(obj)


def _field_label(model: Any, name: str) -> str:
    """The field's Chinese name; a reverse relation (a task's reports) by the related model's."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # no model, or a field since removed from it
        return name
    label = getattr(field, "verbose_name", None)
    if label is None and field.related_model is not None:
        label = field.related_model._meta.verbose_name_plural
    return str(label or name)


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ChineseLogEntryAdmin)
