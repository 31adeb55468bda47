"""Indicators (指标) of a plan and their values per period.

An ``Indicator`` belongs to one plan and one owner unit (the unit that enters its values). Its
values are ``IndicatorValue`` rows, one per (indicator, period); the period keys are the ledger's
(``2026-03`` monthly, ``2026-Q1`` quarterly, see ``ledger.periods``). Derived figures (同比, 完成率,
序时进度, trend) are never stored: ``indicators.figures`` computes them from these rows.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from taizhang.accounts.models import Unit
from taizhang.ledger.models import Plan, SourceDocument

DIGITS = 20
PLACES = 4


class Periodicity(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class Accumulation(models.TextChoices):
    CUMULATIVE = "cumulative", "累计值（自年初累计）"
    PERIOD = "period", "当期值（每期单独计）"
    LEVEL = "level", "时点值（比率、水平等，不累加）"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class Indicator(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="所属计划", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指标名称", max_length=100)
    measure = models.CharField("计量单位", max_length=20, blank=True, help_text="如 亿元、%、个")
    target = models.DecimalField("年度目标", max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True)
    last_year = models.DecimalField(
        "上年全年值", max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="indicators"
    )
    periodicity = models.CharField(
        "报送周期", max_length=16, choices=Periodicity.choices, default=Periodicity.MONTHLY
    )
    accumulation = models.CharField(
        "统计口径", max_length=16, choices=Accumulation.choices, default=Accumulation.CUMULATIVE
    )
    direction = models.CharField(
        "指标方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    source_document = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    source_line = models.PositiveIntegerField("来源行号", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
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
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["plan", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="indicator_plan_name")]
        indexes = [models.Index(fields=["owner_unit", "plan"], name="indicator_unit_plan")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name}（{self.measure}）" if self.measure else self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="values"
    )
    period = models.CharField("报送期", max_length=10)
    value = models.DecimalField("本期数值", max_digits=DIGITS, decimal_places=PLACES)
    last_year_value = models.DecimalField(
        "上年同期值", max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    rank = models.PositiveIntegerField(
        "排名", null=True, blank=True, help_text="上级通报的位次，如 居全市第3位"
    )
    rank_of = models.PositiveIntegerField("参评数", null=True, blank=True, help_text="共多少个参评单位")
    note = models.CharField("备注", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("填报时间")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="indicator_value_period")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period}"


auditlog.register(Indicator, exclude_fields=["updated_at", "version"])
auditlog.register(IndicatorValue, exclude_fields=["version"])
