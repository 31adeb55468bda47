"""The problem ledger (问题清单 / 整改台账): problems found in a plan's 存在问题 part, in a notice or by
hand, each with a responsible unit, measures and a deadline, rectified by the unit, verified and
signed off (销号) by the plan's supervisors, and re-opened when a 回头看 check finds it back.

States: 整改中 → (the unit submits its rectification) 待验收 → (the supervisor signs off) 已销号, or
returns it (back to 整改中, ``returned`` set, with a comment); 已销号 → (回头看) 整改中, counted in
``reopen_count``. Every step is a ``ProblemEvent`` (who, when, comment, evidence files), so the
history survives later steps; the row itself holds the current state only.

Imported by ``supervision.models`` so that Django finds these models in the app.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.ledger.models import Plan, SourceDocument, StoredFile, Task


class ProblemState(models.TextChoices):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待验收"
    CLOSED = "closed", "已销号"


class ProblemSource(models.TextChoices):
    DOCUMENT = "document", "文件"
    NOTICE = "notice", "督办通知"
    MANUAL = "manual", "手工录入"


class Problem(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="所属计划", on_delete=models.CASCADE, related_name="problems")
    task = models.ForeignKey(
        Task,
        verbose_name="相关任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    title = models.CharField("问题", max_length=300)
    description = models.TextField("问题描述", blank=True)
    source = models.CharField(
        "来源", max_length=16, choices=ProblemSource.choices, default=ProblemSource.MANUAL
    )
    source_document = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    source_line = models.PositiveIntegerField("来源行号", null=True, blank=True)
    source_note = models.CharField("来源说明", max_length=200, blank=True, help_text="如通知文号")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="problems")
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限")
    state = models.CharField("状态", max_length=16, choices=ProblemState.choices, default=ProblemState.OPEN)
    rectification = models.TextField("整改情况", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交整改时间", null=True, blank=True)
    returned = models.BooleanField("已退回", default=False, help_text="上次验收未通过，退回重新整改")
    return_comment = models.TextField("退回意见", blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField("销号时间", null=True, blank=True)
    sign_off_comment = models.TextField("验收意见", blank=True)
    reopen_count = models.PositiveSmallIntegerField("回头看重新挂账次数", default=0)
    reopen_reason = models.TextField("重新挂账理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["plan", "id"]
        indexes = [
            models.Index(fields=["plan", "state"], name="problem_plan_state"),
            models.Index(fields=["unit", "state"], name="problem_unit_state"),
        ]

    def __str__(self) -> str:
        return self.title[:40]

    @property
    def is_open(self) -> bool:
        return self.state == ProblemState.OPEN

    @property
    def is_submitted(self) -> bool:
        return self.state == ProblemState.SUBMITTED

    @property
    def is_closed(self) -> bool:
        return self.state == ProblemState.CLOSED


class ProblemEventKind(models.TextChoices):
    CREATED = "created", "登记问题"
    EDITED = "edited", "修改"
    SUBMITTED = "submitted", "提交整改"
    RETURNED = "returned", "验收退回"
    SIGNED_OFF = "signed_off", "验收销号"
    REOPENED = "reopened", "回头看重新挂账"


class ProblemEvent(models.Model):
    """One step of a problem's history: who did what, when, with what comment (and evidence)."""

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=ProblemEventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField("说明", blank=True)
    state = models.CharField("此后状态", max_length=16, choices=ProblemState.choices)

    class Meta:
        verbose_name = "问题记录"
        verbose_name_plural = "问题记录"
        ordering = ["problem", "at", "id"]

    def __str__(self) -> str:
        return f"{self.problem} · {self.get_kind_display()}"


def problem_upload_to(instance: ProblemAttachment, filename: str) -> str:
    """A random stored name (the original name is kept in the row); never trust the client's name."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"problems/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ProblemAttachment(StoredFile):
    """Evidence of a rectification (整改佐证材料), kept with the submission it came with."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ProblemEvent, verbose_name="提交记录", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=problem_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["event", "id"]


auditlog.register(Problem, exclude_fields=["updated_at", "version"])
auditlog.register(ProblemEvent)
auditlog.register(ProblemAttachment)
