"""The ledger: plans, tasks, milestones, progress reports, attachments and leader comments.

Design notes for later work:

- Every user-editable row carries ``version`` (optimistic locking); writes go through
  ``taizhang.ledger.services`` which refuses a stale version with ``StaleVersion``.
- ``ProgressReport`` keeps ONE row per (task, period): a returned report is corrected and
  resubmitted in place (state back to 待审核, version + 1). Earlier texts, percents and review
  decisions stay in the audit log (``taizhang.ledger.audit``), which the task timeline shows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.core.dates import chinese_date


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "每月"
    WEEKLY = "weekly", "每周"
    QUARTERLY = "quarterly", "每季度"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    DELAYED = "delayed", "滞后"
    PAUSED = "paused", "已暂停"


# Finished or formally paused: nothing more is expected of the task.
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.PAUSED)


class ReviewState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "退回"


def upload_path(folder: str, filename: str) -> str:
    """A random stored name (the original name is kept in the row); never trust the client's name."""
    suffix = PurePath(filename).suffix.lower()[:10]
    today = dt.date.today()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def source_upload_to(instance: SourceDocument, filename: str) -> str:
    return upload_path("sources", filename)


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return upload_path("attachments", filename)


class SourceDocument(models.Model):
    """An imported document (a plan), deduplicated by the SHA-256 of its bytes."""

    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    file = models.FileField("文件", upload_to=source_upload_to, blank=True)
    text = models.TextField("文本", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "来源文件"
        verbose_name_plural = "来源文件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Plan(models.Model):
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField("标题", max_length=200)
    source = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    cadence = models.CharField("报送周期", max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY)
    report_window_days = models.PositiveSmallIntegerField(
        "报送期限（天）",
        default=5,
        validators=[MaxValueValidator(60)],
        help_text="每期结束后几天内须报送进展，例如 5 表示次月 5 日前报送上月进展",
    )
    reporting_starts = models.DateField(
        "开始报送日期", null=True, blank=True, help_text="留空则自计划年度 1 月 1 日起"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["owner_unit", "year"], name="plan_owner_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def starts_on(self) -> dt.date:
        return self.reporting_starts or dt.date(self.year, 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="所属计划", on_delete=models.CASCADE, related_name="tasks")
    seq = models.PositiveIntegerField("序号", default=0)
    code = models.CharField("编号", max_length=32, blank=True, help_text="如 1.2.3")
    category_path = models.JSONField("分类", default=list, blank=True, help_text="计划文件中的各级标题")
    title = models.CharField("任务名称", max_length=200)
    content = models.TextField("任务内容", blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    co_units = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="co_tasks")
    leader_name = models.CharField("责任领导", max_length=100, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任领导（用户）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tasks",
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        "完成进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    source = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    source_line = models.PositiveIntegerField("来源行号", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "seq", "id"]
        indexes = [
            models.Index(fields=["plan", "seq"], name="task_plan_seq"),
            models.Index(fields=["plan", "status"], name="task_plan_status"),
            models.Index(fields=["lead_unit", "status"], name="task_lead_status"),
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
            models.Index(fields=["deadline"], name="task_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def is_closed(self) -> bool:
        """Done or paused (``CLOSED_STATUSES``)."""
        return self.status in CLOSED_STATUSES


class Milestone(models.Model):
    """A dated node (节点) of a task."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField("节点日期")
    description = models.CharField("节点内容", max_length=300)
    expected_result = models.CharField("预期成果", max_length=300, blank=True)
    done = models.BooleanField("已完成", default=False)
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["task", "due_on", "id"]
        indexes = [models.Index(fields=["task", "due_on"], name="milestone_task_due")]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.description}"


class ProgressReport(models.Model):
    """The progress of a task in one reporting period (one row per task and period, see module doc)."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    period = models.CharField("报送期", max_length=10, help_text="如 2026-03、2026-W11、2026-Q1")
    text = models.TextField("进展情况", blank=True)
    percent = models.PositiveSmallIntegerField(
        "完成进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    is_zero_report = models.BooleanField("零报告", default=False)
    zero_reason = models.CharField("零报告原因", max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_reports",
    )
    submitted_at = models.DateTimeField("报送时间")
    # Lateness is judged on the period's first submission (``obligations.is_late``): a correction
    # after a return moves ``submitted_at`` but never this.
    first_submitted_at = models.DateTimeField("首次报送时间")
    lower_reason = models.CharField(
        "进度下调原因",
        max_length=300,
        blank=True,
        help_text="完成进度低于上次审核通过的进度时须说明原因",
    )
    state = models.CharField(
        "审核状态", max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["task", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="report_one_per_task_period"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="report_percent_0_100"),
        ]
        indexes = [
            models.Index(fields=["period", "state"], name="report_period_state"),
            # The review queue pages through pending reports by (submitted_at, id): many share a
            # timestamp, and a page order with ties would repeat or skip reports between pages.
            models.Index(fields=["state", "submitted_at", "id"], name="report_state_submitted_id"),
            # The 待审核 count on every supervisor page asks "pending reports of these tasks": with
            # the task beside the state the count never reads the table (4x faster at 50k pending).
            models.Index(fields=["state", "task"], name="report_state_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period}"

    @property
    def is_pending(self) -> bool:
        return self.state == ReviewState.PENDING

    @property
    def is_returned(self) -> bool:
        return self.state == ReviewState.RETURNED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.first_submitted_at is None:  # a new report: this is its first submission
            self.first_submitted_at = self.submitted_at
        super().save(*args, **kwargs)


class StoredFile(models.Model):
    """What every uploaded file keeps beside the file itself (stored under a random name in its
    model's folder): the name, size and type the client gave, and when. Reports', notice replies'
    and rectifications' attachments share it."""

    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def described(upload: Any, content_type: str) -> dict[str, Any]:
        """The fields of a stored file for an upload already checked by ``validate_attachment``:
        the file, and the base name, size and type the client gave."""
        return {
            "file": upload,
            "original_name": PurePath(upload.name or "附件").name[:255],
            "size": upload.size or 0,
            "content_type": content_type,
        }


class Attachment(StoredFile):
    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报告", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["report", "id"]


class Comment(models.Model):
    """A leader's or supervisor's written instruction (批示) on a task."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批示人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("批示内容")
    created_at = models.DateTimeField("批示时间", auto_now_add=True)

    class Meta:
        verbose_name = "批示"
        verbose_name_plural = "批示"
        ordering = ["task", "created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"], name="comment_task_created")]

    def __str__(self) -> str:
        return self.text[:30]


class CoReport(models.Model):
    """A co-operating unit's own note for one period (配合情况): what it did for the lead unit's task.

    It is the co-unit's word, kept apart: it never changes the lead unit's report, progress or
    milestones. One row per (task, unit, period), corrected in place (version + 1)."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="co_reports")
    unit = models.ForeignKey(
        Unit, verbose_name="配合单位", on_delete=models.PROTECT, related_name="co_reports"
    )
    period = models.CharField("报送期", max_length=10)
    text = models.TextField("配合情况")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "配合情况"
        verbose_name_plural = "配合情况"
        ordering = ["task", "-period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="coreport_one_per_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period} · {self.unit}"


class ChangeKind(models.TextChoices):
    DEADLINE = "deadline", "延期申请"
    LEAD_UNIT = "lead_unit", "调整牵头单位"
    PAUSE = "pause", "暂停申请"


class RequestState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class ChangeRequest(models.Model):
    """A unit asks the plan's owner for a change it may not make itself (延期申请 / 调整申请).

    Approval applies the change to the task through ``services`` (audited); a refusal keeps the
    task as it is. Requests are never deleted: they are the task's history."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField("申请事项", max_length=16, choices=ChangeKind.choices)
    new_deadline = models.DateField("新的完成时限", null=True, blank=True)
    new_lead_unit = models.ForeignKey(
        Unit,
        verbose_name="新的牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间")
    state = models.CharField(
        "审批状态", max_length=16, choices=RequestState.choices, default=RequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["task", "-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"], name="changerequest_state_requested")]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state == RequestState.PENDING

    @property
    def wanted(self) -> str:
        """What is asked for, in Chinese."""
        if self.kind == ChangeKind.DEADLINE and self.new_deadline is not None:
            day = self.new_deadline
            return f"完成时限延至 {chinese_date(day)}"
        if self.kind == ChangeKind.LEAD_UNIT and self.new_lead_unit is not None:
            return f"牵头单位改为{self.new_lead_unit.name}"
        return "暂停该任务"


# ``version`` and ``updated_at`` change on every save: logging them would only add noise.
auditlog.register(SourceDocument, exclude_fields=["text"])
auditlog.register(Plan, exclude_fields=["updated_at", "version"])
auditlog.register(Task, exclude_fields=["updated_at", "version"], m2m_fields={"co_units"})
auditlog.register(Milestone)
auditlog.register(ProgressReport, exclude_fields=["version"])
auditlog.register(Attachment)
auditlog.register(Comment)
auditlog.register(CoReport, exclude_fields=["version"])
auditlog.register(ChangeRequest, exclude_fields=["version"])
