"""Supervision's records: each plan's colour thresholds, each task's current colour and its history.

The colour itself is computed by ``colours.task_colour`` (a pure function of the ledger's facts and
a date); ``TaskColour`` is its latest result, kept so lists and counts are one indexed read, and
``ColourChange`` records every change (when, from, to, why) for history and trends.
"""

from __future__ import annotations

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.core.colours import Colour
from taizhang.ledger.models import Comment, Plan, StoredFile, Task, upload_path

__all__ = ["Colour", "ColourChange", "ColourRules", "TaskColour"]


class ColourRules(models.Model):
    """A plan's thresholds for the colour rules (a plan without a row uses the defaults)."""

    plan = models.OneToOneField(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="colour_rules"
    )
    warn_days = models.PositiveSmallIntegerField(
        "节点预警天数",
        default=7,
        validators=[MaxValueValidator(60)],
        help_text="节点在此天数内到期仍未完成的，标为黄色",
    )
    yellow_behind = models.PositiveSmallIntegerField(
        "黄色：落后序时进度（百分点）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="完成进度落后序时进度超过此数的，标为黄色",
    )
    red_behind = models.PositiveSmallIntegerField(
        "红色：落后序时进度（百分点）",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="完成进度落后序时进度超过此数的，标为红色",
    )
    red_missing = models.PositiveSmallIntegerField(
        "红色：连续未报期数",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="连续此数期进展未报的，标为红色（一期未报为黄色）",
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "四色规则"
        verbose_name_plural = "四色规则"

    def __str__(self) -> str:
        return f"{self.plan} 四色规则"


class TaskColour(models.Model):
    """A task's colour as last computed, with its reasons and the day it was computed for."""

    task = models.OneToOneField(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="colour")
    colour = models.CharField("颜色", max_length=8, choices=Colour.choices)
    reasons = models.JSONField("原因", default=list)
    as_of = models.DateField("计算日期")
    since = models.DateTimeField("本颜色起始时间")

    class Meta:
        verbose_name = "任务颜色"
        verbose_name_plural = "任务颜色"
        indexes = [models.Index(fields=["colour"], name="taskcolour_colour")]

    def __str__(self) -> str:
        return f"{self.task} {self.get_colour_display()}"


class ColourChange(models.Model):
    """One change of a task's colour: when, from, to, why."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="colour_changes"
    )
    at = models.DateTimeField("变化时间")
    as_of = models.DateField("计算日期")
    before = models.CharField("原颜色", max_length=8, choices=Colour.choices, blank=True)
    after = models.CharField("新颜色", max_length=8, choices=Colour.choices)
    reasons = models.JSONField("原因", default=list)

    class Meta:
        verbose_name = "颜色变化"
        verbose_name_plural = "颜色变化"
        ordering = ["task", "at", "id"]
        indexes = [
            models.Index(fields=["task", "at"], name="colourchange_task_at"),
            models.Index(fields=["at"], name="colourchange_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.before or '—'} → {self.after}"


# --- notices (督办通知): 提示单 / 警示单 / 督办单 ---------------------------------------------------


class NoticeKind(models.TextChoices):
    """In order of escalation: an unanswered 提示单 becomes a 警示单, then a 督办单."""

    PROMPT = "prompt", "提示单"
    WARNING = "warning", "警示单"
    ORDER = "order", "督办单"


# The word in the document number: 督办〔2026〕12号.
NUMBER_WORD = {NoticeKind.PROMPT: "提示", NoticeKind.WARNING: "警示", NoticeKind.ORDER: "督办"}


class NoticeState(models.TextChoices):
    PENDING = "pending", "待回复"
    REPLIED = "replied", "已回复"
    RETURNED = "returned", "退回"
    CLOSED = "closed", "已办结"
    ESCALATED = "escalated", "已升级"


# States in which the unit owes a reply (and the reply deadline runs).
AWAITING_REPLY = (NoticeState.PENDING, NoticeState.RETURNED)
# States in which the notice is still being dealt with (no second notice is suggested).
OPEN_STATES = (NoticeState.PENDING, NoticeState.REPLIED, NoticeState.RETURNED)


NOTICE_BADGES: dict[str, str] = {
    NoticeState.PENDING: "open",
    NoticeState.REPLIED: "co",
    NoticeState.RETURNED: "late",
    NoticeState.CLOSED: "done",
    NoticeState.ESCALATED: "zero",
}


class NoticeCounter(models.Model):
    """The last number given per year and kind; bumped under a row lock, so numbers never repeat."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=16, choices=NoticeKind.choices)
    last = models.PositiveIntegerField("已用号", default=0)

    class Meta:
        verbose_name = "通知编号"
        verbose_name_plural = "通知编号"
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="noticecounter_year_kind")]


class Notice(models.Model):
    """A 提示单 / 警示单 / 督办单 sent by a plan's supervisor to the unit leading some of its tasks."""

    plan = models.ForeignKey(Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类别", max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")
    unit = models.ForeignKey(Unit, verbose_name="主送单位", on_delete=models.PROTECT, related_name="notices")
    subject = models.TextField("事由")
    reply_due = models.DateField("回复时限")
    state = models.CharField("状态", max_length=16, choices=NoticeState.choices, default=NoticeState.PENDING)
    previous = models.OneToOneField(
        "self",
        verbose_name="升级自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_to",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发出人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("发出时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_comment = models.TextField("审核意见", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="notice_number_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "reply_due"], name="notice_state_due"),
            models.Index(fields=["unit", "state"], name="notice_unit_state"),
        ]

    def __str__(self) -> str:
        return self.doc_number

    @property
    def doc_number(self) -> str:
        """文号, e.g. 督办〔2026〕12号."""
        return f"{NUMBER_WORD[NoticeKind(self.kind)]}〔{self.year}〕{self.number}号"

    @property
    def awaits_reply(self) -> bool:
        return self.state in AWAITING_REPLY

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_returned(self) -> bool:
        return self.state == NoticeState.RETURNED

    @property
    def is_replied(self) -> bool:
        return self.state == NoticeState.REPLIED

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.awaits_reply and self.reply_due < as_of

    @property
    def badge(self) -> str:
        """The ledger's badge class that shows this state (app.css)."""
        return NOTICE_BADGES.get(self.state, "")


class NoticeItem(models.Model):
    """One task of a notice, with its colour and reasons as they were when the notice was issued."""

    notice = models.ForeignKey(Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="notice_items")
    colour = models.CharField("颜色", max_length=8, choices=Colour.choices, blank=True)
    reasons = models.JSONField("原因", default=list)

    class Meta:
        verbose_name = "通知任务"
        verbose_name_plural = "通知任务"
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "task"], name="noticeitem_once")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.task}"


class ReplyVerdict(models.TextChoices):
    WAITING = "", "待审核"
    ACCEPTED = "accepted", "办结"
    RETURNED = "returned", "退回"


class NoticeReply(models.Model):
    """The unit's answer to a notice (each answer is kept: a returned notice is answered again)."""

    notice = models.ForeignKey(Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="replies")
    text = models.TextField("回复内容")
    new_date = models.DateField("承诺完成时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间")
    verdict = models.CharField("审核结果", max_length=16, choices=ReplyVerdict.choices, blank=True)
    edited_at = models.DateTimeField("修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知回复"
        verbose_name_plural = "通知回复"
        ordering = ["notice", "replied_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice} 回复"


def notice_upload_to(instance: NoticeAttachment, filename: str) -> str:
    return upload_path("notices", filename)


class NoticeAttachment(StoredFile):
    reply = models.ForeignKey(
        NoticeReply, verbose_name="回复", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=notice_upload_to)

    class Meta:
        verbose_name = "回复附件"
        verbose_name_plural = "回复附件"
        ordering = ["reply", "id"]


# --- 批示件: a 批示 that must be answered -----------------------------------------------------------


class InstructionState(models.TextChoices):
    WAITING = "waiting", "待落实"
    DONE = "done", "已落实"


class Instruction(models.Model):
    """A leader's 批示 (``ledger.Comment``) the lead unit must answer with its 落实情况 by a date."""

    comment = models.OneToOneField(
        Comment, verbose_name="批示", on_delete=models.CASCADE, related_name="instruction"
    )
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="instructions")
    due_on = models.DateField("落实时限")
    state = models.CharField(
        "状态", max_length=16, choices=InstructionState.choices, default=InstructionState.WAITING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("交办时间")
    answer = models.TextField("落实情况", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报告人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("报告时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "批示件"
        verbose_name_plural = "批示件"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="instruction_state_due")]

    def __str__(self) -> str:
        return f"批示件：{self.task}"

    @property
    def is_waiting(self) -> bool:
        return self.state == InstructionState.WAITING

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.is_waiting and self.due_on < as_of


auditlog.register(Notice, exclude_fields=["version"])
auditlog.register(NoticeItem)
auditlog.register(NoticeReply)
auditlog.register(NoticeAttachment)
auditlog.register(Instruction, exclude_fields=["version"])


# Thresholds are a supervisor's decision: audited. Colours and their changes are computed records.
auditlog.register(ColourRules, exclude_fields=["version"])

# The problem ledger lives in its own module; imported here so that Django finds its models.
from taizhang.supervision.problem_models import (  # noqa: E402, F401
    Problem,
    ProblemAttachment,
    ProblemEvent,
)
