from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from taizhang.accounts.models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "parent", "code", "sort_order", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "short_name", "aliases", "code"]
    list_editable = ["sort_order"]
    autocomplete_fields = ["parent"]
    ordering = ["parent__id", "sort_order", "id"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "unit"]
    search_fields = ["username", "full_name", "unit__name", "phone"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email", "large_text")}),
        ("角色与单位", {"fields": ("role", "unit")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "unit", "password1", "password2"),
            },
        ),
    )
