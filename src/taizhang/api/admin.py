"""Admin for API tokens: issue one (the secret is shown once, in the confirmation message), see when
each was last used, revoke. The secret itself is never stored or shown again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from taizhang.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username", "user__full_name", "hint"]
    autocomplete_fields = ["user"]
    readonly_fields = ["hint", "created", "last_used"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:  # adding: pick the user and name; the secret is generated on save
            return ["hint", "created", "last_used"]
        return ["user", "hint", "created", "last_used"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "hint", "created", "last_used", "revoked")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        secret = None if change else obj.set_secret()
        super().save_model(request, obj, form, change)
        if secret is not None:
            self.message_user(
                request,
                f"已为 {obj.user} 生成接口令牌：{secret} 。该令牌只显示这一次，请立即复制保存；"
                "调用接口时放在请求头 Authorization: Bearer <令牌>。",
                messages.WARNING,
            )

    @admin.action(description="吊销所选令牌")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked=False):
            token.revoked = True
            token.save(update_fields=["revoked"])  # one by one, so each revocation is audited
            count += 1
        self.message_user(request, f"已吊销 {count} 个令牌。", messages.SUCCESS)
