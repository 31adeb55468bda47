"""``{% chart chart "id" %}``: a chart's SVG with its numbers in a folded table beside it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from taizhang.core.charts import Chart, render, table

register = template.Library()


@register.inclusion_tag("_chart.html")
def chart(chart: Chart, chart_id: str) -> dict[str, Any]:
    return {
        "chart": chart,
        "id": chart_id,
        "svg": mark_safe(render(chart, chart_id)),  # every text in it is escaped by the renderer
        "table": table(chart),
    }
