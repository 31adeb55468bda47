"""Small template helpers for the ledger screens."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from taizhang.ledger import obligations, periods
from taizhang.ledger.errors import DomainError
from taizhang.ledger.queries import CATEGORY_SEPARATOR

register = template.Library()


@register.filter
def period_label(period: str | None) -> str:
    """``2026-03`` → ``2026年3月`` (the key itself when malformed)."""
    if not period:
        return ""
    try:
        return periods.period_label(period)
    except DomainError:
        return period


@register.filter
def category(path: Any) -> str:
    """A task's category path as one line: ``一、… › （一）…``."""
    if not path:
        return ""
    return CATEGORY_SEPARATOR.join(str(part) for part in path)


@register.filter
def late(report: Any) -> bool:
    """Whether a report's period was first reported after its window closed (``obligations``)."""
    if report is None or not getattr(report, "first_submitted_at", None):
        return False
    return obligations.report_is_late(report)


@register.filter
def overdue_on(task: Any, as_of: Any) -> bool:
    """``task|overdue_on:as_of`` — open and past its deadline (``obligations.is_overdue``)."""
    return obligations.is_overdue(task, as_of)


@register.filter
def lowers_progress(report: Any) -> bool:
    """Whether approving the report would move its task's approved progress backwards."""
    if report is None or report.is_zero_report:
        return False
    return obligations.lower_than_approved(report.task, report.percent)


@register.filter
def clamp_percent(value: Any) -> int:
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, number))


@register.filter
def late_in(report: Any, plan: Any) -> bool:
    """``report|late_in:plan`` — as ``late``, with the plan given (no query for ``report.task``)."""
    if report is None or plan is None or not getattr(report, "first_submitted_at", None):
        return False
    return obligations.report_is_late(report, plan)


@register.simple_tag
def progress(value: Any) -> str:
    """A small progress bar with its percent (a tag, not an include: it is drawn once per row)."""
    percent = clamp_percent(value)
    return format_html(
        # <progress>, not a styled span: its width needs no style attribute (the CSP allows none).
        '<progress class="progress" value="{}" max="100" title="{}%"></progress> '
        '<span class="progress-num">{}%</span>',
        percent,
        percent,
        percent,
    )
