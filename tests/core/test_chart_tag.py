"""``{% chart %}``: the SVG as markup (not escaped twice), and its numbers in a table beside it."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from taizhang.core.charts import BarChart, Series

pytestmark = pytest.mark.nodb


def test_the_tag_shows_the_picture_and_its_numbers() -> None:
    chart = BarChart(
        "按分类<进度>", ("交通&水利",), (Series("平均进度", (45.5,)),), key_title="分类", unit="%"
    )
    html = Template('{% load charts %}{% chart chart "by-category" %}').render(Context({"chart": chart}))
    assert html.count("<svg ") == 1 and 'aria-labelledby="by-category-title by-category-desc"' in html
    assert "&amp;lt;" not in html  # escaped once, by the renderer, not again by the template
    assert '<th scope="row">交通&amp;水利</th><td class="num">45.5%</td>' in html
    assert '<th scope="col">分类</th>' in html and "按分类&lt;进度&gt;" in html
