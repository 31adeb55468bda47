"""Supervision's records: each plan's colour thresholds, each task's current colour and its history.

The colour itself is computed by ``colours.task_colour`` (a pure function of the ledger's facts and
a date); ``TaskColour`` is its latest result, kept so lists and counts are one indexed read, and
``ColourChange`` records every change (when, from, to, why) for history and trends.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taizhang.core.colours import Colour
from taizhang.ledger.models import Plan, Task

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


# Thresholds are a supervisor's decision: audited. Colours and their changes are computed records.
auditlog.register(ColourRules, exclude_fields=["version"])

# The problem ledger lives in its own module; imported here so that Django finds its models.
from taizhang.supervision.problem_models import (  # noqa: E402, F401
    Problem,
    ProblemAttachment,
    ProblemEvent,
)
