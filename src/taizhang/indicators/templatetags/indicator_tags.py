"""Display helpers of the indicator screens (rounding happens here, for display only)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from taizhang.indicators.figures import Figure, number_text

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    return number_text(value)


@register.filter
def percent(figure: Figure) -> str:
    return figure.text()


@register.filter
def points(figure: Figure) -> str:
    return figure.points()
