from django.contrib import admin

from taizhang.archive.models import ArchivedDocument


@admin.register(ArchivedDocument)
class ArchivedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "year", "kind", "version", "current", "added_at")
    list_filter = ("kind", "year", "current")
    search_fields = ("title", "original_name", "unit_name")
    exclude = ("text", "parse")
    raw_id_fields = ("unit", "compilation", "previous", "source", "added_by")
