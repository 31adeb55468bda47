"""The archive: every imported and generated document, its paragraphs, and the search index.

- ``ArchivedDocument``: one report as the engine read it (title, unit, year, kind, its parse JSON).
  A file holding one report is one row with the file; a compilation (汇编) is a row with the file
  (kind ``compilation``) and one row per report in it (``compilation`` set, lines within its file).
  The same bytes are never archived twice (``sha256``); a new version of a report links to the one
  it replaces (``previous``), which stops being ``current``.
- ``ArchivedParagraph``: a report's paragraphs, at the line the engine numbers them, with the role
  of their section.
- ``SearchEntry``: the search index's rows — a current report's paragraph, a ledger task or a
  progress report — with the filter columns copied in (unit, year, role, kind) and ``words``, the
  text segmented by jieba. The database's own full-text index is built on ``words`` by migration
  0002 (an FTS5 table kept by triggers on SQLite, a generated ``tsvector`` column with a GIN index
  on PostgreSQL), so any insert, update or delete of an entry — cascades included — updates it.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.ledger.models import ProgressReport, SourceDocument, Task, upload_path
from taizhang.reports.outline import ROLE_LABELS


class DocumentKind(models.TextChoices):
    PLAN = "plan", "计划"
    SUMMARY = "summary", "总结"
    BULLETIN = "bulletin", "通报"
    NOTICE = "notice", "通知"
    COMPILATION = "compilation", "汇编"
    OTHER = "other", "其他"


class SectionRole(models.TextChoices):
    """A section's role (PARSE.md §4), as the engine names it."""

    SUMMARY = "summary", ROLE_LABELS["summary"]
    HIGHLIGHT = "highlight", ROLE_LABELS["highlight"]
    PROBLEM = "problem", ROLE_LABELS["problem"]
    PLAN = "plan", ROLE_LABELS["plan"]
    OTHER = "other", ROLE_LABELS["other"]


class EntryKind(models.TextChoices):
    PARAGRAPH = "paragraph", "文档段落"
    TASK = "task", "台账任务"
    REPORT = "report", "进展报告"


def archive_upload_to(instance: ArchivedDocument, filename: str) -> str:
    return upload_path("archive", filename)


class ArchivedDocument(models.Model):
    title = models.CharField("标题", max_length=300)
    kind = models.CharField("类型", max_length=16, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    unit_name = models.CharField(
        "文中单位", max_length=100, blank=True, help_text="引擎从标题或正文读出的单位"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    # The stored file: on a file's own row (a single report, or a compilation), empty on its parts.
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    file = models.FileField("文件", upload_to=archive_upload_to, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    text = models.TextField("原文", blank=True, help_text="文件的各行（按引擎的行号）")
    parse = models.JSONField("解析结果", default=dict, help_text="taizhang.parse/1")
    # A report of a compilation: its lines within the compilation's file.
    compilation = models.ForeignKey(
        "self", verbose_name="所属汇编", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    first_line = models.PositiveIntegerField("起始行", default=1)
    last_line = models.PositiveIntegerField("结束行", default=0)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )
    version = models.PositiveIntegerField("版本", default=1)
    current = models.BooleanField("现行版本", default=True)
    source = models.ForeignKey(
        SourceDocument,
        verbose_name="导入的计划文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archived",
    )
    origin = models.CharField(
        "来源", max_length=16, default="upload", help_text="upload / import / cli / writing / demo"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "档案文档"
        verbose_name_plural = "档案文档"
        ordering = ["-year", "unit_id", "id"]
        constraints = [
            # The same bytes are archived once (the file's own row; a compilation's parts have none).
            models.UniqueConstraint(
                fields=["sha256"], condition=~models.Q(sha256=""), name="archive_file_once"
            ),
        ]
        indexes = [models.Index(fields=["current", "year", "unit"], name="archive_doc_current")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_compilation(self) -> bool:
        return self.kind == DocumentKind.COMPILATION

    @property
    def holds_file(self) -> bool:
        return bool(self.sha256)

    @property
    def document_json(self) -> dict[str, Any]:
        """The engine's document (PARSE.md §8) this row is (the first of a compilation's own parse)."""
        documents = self.parse.get("documents") or [{}]
        found: dict[str, Any] = documents[0]
        return found

    @property
    def display_name(self) -> str:
        return self.title or self.original_name or f"文档 {self.pk}"


class ArchivedParagraph(models.Model):
    document = models.ForeignKey(
        ArchivedDocument, verbose_name="文档", on_delete=models.CASCADE, related_name="paragraphs"
    )
    line = models.PositiveIntegerField("行号")
    role = models.CharField("章节角色", max_length=16, choices=SectionRole.choices)
    section_line = models.PositiveIntegerField("所在标题行", null=True, blank=True)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "档案段落"
        verbose_name_plural = "档案段落"
        ordering = ["document", "line"]
        constraints = [models.UniqueConstraint(fields=["document", "line"], name="archive_paragraph_line")]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.line}"


class SearchEntry(models.Model):
    """A row of the search index. Filter columns are copied in so that a search is one table and its
    full-text index (see the module's docstring); ``words`` is what the full-text index reads."""

    kind = models.CharField("类别", max_length=16, choices=EntryKind.choices)
    paragraph = models.OneToOneField(
        ArchivedParagraph, null=True, blank=True, on_delete=models.CASCADE, related_name="entry"
    )
    document = models.ForeignKey(
        ArchivedDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="entries"
    )
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    report = models.OneToOneField(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    role = models.CharField(max_length=16, blank=True)
    doc_kind = models.CharField(max_length=16, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    words = models.TextField("分词")

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = "检索条目"
        constraints = [
            # A task has one entry of its own (its reports have theirs, with task set too).
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(kind="task"), name="archive_entry_task_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.pk}"


auditlog.register(ArchivedDocument, exclude_fields=["text", "parse"])
