"""A plan's scoring scheme (评分办法) and its published, frozen league tables (晾晒)."""

from __future__ import annotations

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taizhang.ledger.models import Plan
from taizhang.rankings.scores import RULES, Weights

_DEFAULTS = Weights()
WEIGHT_FIELDS = ("base", *(r.key for r in RULES))


def _weight(label: str, default: Decimal, help_text: str) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal(-1000)), MaxValueValidator(Decimal(1000))],
        help_text=help_text,
    )


_HELP = {r.key: f"{r.help}，加（正数）或扣（负数）的分值" for r in RULES}


class ScoringScheme(models.Model):
    """A plan's weights (a plan without a row uses ``scores.Weights``' defaults)."""

    plan = models.OneToOneField(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="scoring_scheme"
    )
    base = _weight("基础分", _DEFAULTS.base, "每个单位每期的起始分")
    done_on_time = _weight("按期完成任务", _DEFAULTS.done_on_time, _HELP["done_on_time"])
    on_time_reports = _weight("按时报送", _DEFAULTS.on_time_reports, _HELP["on_time_reports"])
    late_reports = _weight("逾期报送", _DEFAULTS.late_reports, _HELP["late_reports"])
    missing_reports = _weight("未报送", _DEFAULTS.missing_reports, _HELP["missing_reports"])
    red_tasks = _weight("红色任务", _DEFAULTS.red_tasks, _HELP["red_tasks"])
    overdue_notices = _weight("督办通知逾期未回复", _DEFAULTS.overdue_notices, _HELP["overdue_notices"])
    indicators_behind = _weight("指标落后序时进度", _DEFAULTS.indicators_behind, _HELP["indicators_behind"])
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "评分办法"
        verbose_name_plural = "评分办法"

    def __str__(self) -> str:
        return f"{self.plan} 评分办法"

    def weights(self) -> Weights:
        return Weights(**{name: Decimal(getattr(self, name)) for name in WEIGHT_FIELDS})


class PublishedRanking(models.Model):
    """A period's league table as published by the plan's supervisor: shown instead of the live
    table from then on, and never recomputed (later approvals or colour changes do not move it)."""

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="published_rankings"
    )
    period = models.CharField("期别", max_length=7, help_text="如 2026-10")
    rows = models.JSONField("排名", default=list)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "已发布排名"
        verbose_name_plural = "已发布排名"
        ordering = ["plan", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="publishedranking_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.period} 排名"


auditlog.register(ScoringScheme, exclude_fields=["version"])
auditlog.register(PublishedRanking, exclude_fields=["rows"])
