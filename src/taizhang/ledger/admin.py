from django.contrib import admin

from taizhang.ledger.models import (
    Attachment,
    Comment,
    Milestone,
    Plan,
    ProgressReport,
    SourceDocument,
    Task,
)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = ["sha256", "size", "uploaded_at"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "owner_unit", "cadence", "report_window_days", "created_at"]
    list_filter = ["year", "cadence", "owner_unit"]
    search_fields = ["title"]
    readonly_fields = ["version", "created_at", "updated_at"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "lead_unit", "deadline", "status", "progress"]
    list_filter = ["status", "plan", "lead_unit"]
    search_fields = ["code", "title", "content", "leader_name"]
    autocomplete_fields = ["lead_unit", "co_units", "leader"]
    readonly_fields = ["version", "created_at", "updated_at", "source", "source_line"]
    inlines = [MilestoneInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "period", "percent", "is_zero_report", "state", "submitted_by", "submitted_at"]
    list_filter = ["state", "is_zero_report", "period"]
    search_fields = ["task__title", "text"]
    raw_id_fields = ["task"]
    readonly_fields = ["version"]
    inlines = [AttachmentInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["task", "author", "created_at"]
    search_fields = ["text", "task__title"]
    raw_id_fields = ["task"]
