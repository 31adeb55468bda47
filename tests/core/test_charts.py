"""The chart module: round axes, the data table, and SVG that is well-formed, escaped, accessible,
to scale and the same every time. Pure: no database."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from taizhang.core import charts
from taizhang.core.charts import BarChart, LineChart, Reference, Series, render, table
from taizhang.core.charts.model import number_text
from taizhang.core.charts.scale import axis, nice_step
from taizhang.core.charts.svg import fit, text_width

pytestmark = pytest.mark.nodb

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # fails on anything not well-formed (an unescaped < or &)


def all_of(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{SVG}{tag}"))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in all_of(root, "text")]


def counts_chart(*values: tuple[float | None, ...], categories: tuple[str, ...] = ()) -> LineChart:
    cats = categories or tuple(f"第{i + 1}周" for i in range(len(values[0])))
    return LineChart(
        "四色趋势",
        cats,
        tuple(Series(name, v, "#b91c1c") for name, v in zip(("红色", "黄色", "绿色"), values, strict=False)),
        key_title="周",
        unit="项",
        integer=True,
    )


# --- scales -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "count", "integer", "step"),
    [
        (100, 4, False, 25),  # 25 a quarter
        (7, 4, True, 2),  # 1.75 → 2
        (1, 4, False, 0.25),  # 0.25 is round
        (1, 4, True, 1),  # counts never step by a fraction
        (11, 4, True, 5),  # 2.75 → 2.5 is no integer → 5
        (115, 4, False, 50),  # 28.75 → 50
        (0, 4, False, 1),  # nothing to span
    ],
)
def test_nice_steps(span: float, count: int, integer: bool, step: float) -> None:
    assert nice_step(span, count, integer) == step


@pytest.mark.parametrize(
    ("values", "options", "ticks"),
    [
        ([0, 7], {"integer": True}, (0, 2, 4, 6, 8)),
        ([45.5, 60, 12.25, 88], {"minimum_high": 100}, (0, 25, 50, 75, 100)),
        ([-5, 110], {}, (-50, 0, 50, 100, 150)),  # a negative value: the axis goes below zero
        ([-3, -7], {}, (-8, -6, -4, -2, 0)),  # all negative: zero stays on the axis
        ([3], {"integer": True}, (0, 1, 2, 3)),  # a single value
        ([0], {"integer": True}, (0, 1)),  # only zero: room above it
        ([], {}, (0, 0.25, 0.5, 0.75, 1)),  # no values at all: 0 to 1 in quarters
        ([3, 5, 2, 1], {"integer": True, "floor": 1, "include_zero": False}, (1, 2, 3, 4, 5)),
        ([3, 12, 8], {"integer": True, "floor": 1, "include_zero": False}, (1, 5, 10, 15)),
        ([0.1, 0.2], {}, (0, 0.05, 0.1, 0.15, 0.2)),  # no float dust (0.15000000000000002)
    ],
)
def test_axis_ticks(values: list[float], options: dict[str, object], ticks: tuple[float, ...]) -> None:
    found = axis(values, **options)  # type: ignore[arg-type]
    assert found.ticks == ticks
    assert (found.low, found.high) == (ticks[0], ticks[-1])


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.0, "3"), (12.25, "12.3"), (2.5, "2.5"), (0.05, "0.1"), (-1.25, "-1.3"), (-0.04, "0"), (100, "100")],
)
def test_numbers_are_written_half_up_without_minus_zero(value: float, text: str) -> None:
    assert number_text(value) == text


# --- the data table -------------------------------------------------------------------------------


def test_the_table_holds_every_value_and_writes_gaps_as_dashes() -> None:
    chart = counts_chart((1, None, 3), (0, 2, 2), categories=("3/2", "3/9", "3/16"))
    assert table(chart) == charts.Table(
        ("周", "红色", "黄色"),
        (("3/2", "1项", "0项"), ("3/9", "—", "2项"), ("3/16", "3项", "2项")),
    )


def test_given_texts_are_kept_as_written() -> None:
    chart = BarChart("指标", ("地区生产总值",), (Series("完成率", (20.04,), texts=("20.0%",)),), unit="%")
    assert table(chart).rows == (("地区生产总值", "20.0%"),)
    assert "20.0%" in texts(parse(render(chart, "c")))


# --- SVG ----------------------------------------------------------------------------------------


def test_labels_are_escaped_and_the_svg_is_well_formed() -> None:
    nasty = 'A<b>&"引号"'
    chart = BarChart(nasty, (nasty,), (Series(nasty, (5,)),), key_title=nasty)
    svg = render(chart, 'x"<')
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == nasty  # type: ignore[union-attr]
    assert nasty in texts(root)
    line = LineChart(nasty, (nasty, "b"), (Series(nasty, (1, 2)),))
    assert nasty in " ".join(texts(parse(render(line, "l"))))


def test_the_picture_names_itself_for_screen_readers() -> None:
    root = parse(render(counts_chart((1, 2, 3)), "trend"))
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby", "").split()
    assert ids == ["trend-title", "trend-desc"]
    found = {el.get("id"): el.text for el in root if el.get("id")}
    assert found["trend-title"] == "四色趋势"
    assert found["trend-desc"] == "第1周至第3周：红色由1项到3项"


def test_it_scales_with_its_container() -> None:
    root = parse(render(counts_chart((1, 2)), "c", width=360))
    assert root.get("viewBox", "").startswith("0 0 360 ")
    assert "sans-serif" in root.get("font-family", "")
    assert "Noto Sans CJK SC" in root.get("font-family", "")


def test_same_data_same_svg() -> None:
    a = render(counts_chart((1, 2, 3), (3, 2, 1)), "c")
    b = render(counts_chart((1, 2, 3), (3, 2, 1)), "c")
    assert a == b
    assert a != render(counts_chart((1, 2, 4), (3, 2, 1)), "c")


@pytest.mark.parametrize(
    "chart",
    [
        LineChart("空", (), ()),
        LineChart("空", ("3/2",), (Series("红色", (None,)),)),
        BarChart("空", (), ()),
        BarChart("空", ("a",), (Series("s", (None,)),)),
    ],
)
def test_empty_data_says_so(chart: LineChart | BarChart) -> None:
    root = parse(render(chart, "e"))
    assert texts(root) == ["暂无数据"]
    assert not all_of(root, "path") and not all_of(root, "rect")


def test_a_single_point_is_a_marker_without_a_line() -> None:
    root = parse(render(counts_chart((3,), categories=("5/18",)), "one"))
    assert not all_of(root, "path")
    assert len(all_of(root, "circle")) == 2  # the point and the legend's sample
    assert "5/18" in texts(root)


def test_a_missing_value_breaks_the_line() -> None:
    root = parse(render(counts_chart((1, 2, None, 3, 4)), "gap"))
    assert len(all_of(root, "path")) == 2
    assert len(all_of(root, "circle")) == 4 + 1


def _point_heights(svg: str) -> list[float]:
    """The y of each data marker (the first circle is the legend's)."""
    return [float(c.get("cy", "")) for c in all_of(parse(svg), "circle")[1:]]


def test_higher_values_are_higher_and_ranks_are_upside_down() -> None:
    up = _point_heights(render(counts_chart((1, 5)), "c"))
    assert up[1] < up[0]  # 5 is drawn above 1
    rank = LineChart(
        "排名", ("1月", "2月"), (Series("交通局", (5, 1)),), integer=True, inverted=True, floor=1
    )
    drawn = _point_heights(render(rank, "r"))
    assert drawn[1] < drawn[0]  # rank 1 is drawn above rank 5
    assert "1" in texts(parse(render(rank, "r")))  # the axis starts at rank 1, not 0
    assert "0" not in texts(parse(render(rank, "r")))


def test_line_ticks_are_the_axis_ticks() -> None:
    root = parse(render(counts_chart((0, 7)), "c"))
    grid = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "grid")
    assert [t.text for t in grid.iter(f"{SVG}text")] == ["0", "2", "4", "6", "8"]


def test_crowded_week_labels_are_thinned_keeping_the_latest() -> None:
    weeks = tuple(f"12/{d:02d}" for d in range(1, 27))
    root = parse(render(counts_chart(tuple(range(26)), categories=weeks), "c"))
    labels = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "x-labels")
    shown = [t.text for t in labels.iter(f"{SVG}text")]
    assert shown[-1] == "12/26"
    assert 2 < len(shown) < 26


def _bars(svg: str) -> list[tuple[float, float]]:
    """(x, width) of each bar (legend swatches are 16 wide and 10 high; bars are 12 high)."""
    return [
        (float(r.get("x", "")), float(r.get("width", "")))
        for r in all_of(parse(svg), "rect")
        if r.get("height") == "12"
    ]


def test_bars_are_to_scale() -> None:
    chart = BarChart("进度", ("一", "二", "三"), (Series("平均进度", (25, 50, 100)),), unit="%")
    svg = render(chart, "b")
    (x1, w1), (x2, w2), (x3, w3) = _bars(svg)
    assert x1 == x2 == x3
    assert w2 == pytest.approx(2 * w1, abs=0.2) and w3 == pytest.approx(4 * w1, abs=0.2)
    # the 100 % bar ends on the 100 % tick's grid line
    grid = next(g for g in parse(svg).iter(f"{SVG}g") if g.get("class") == "grid")
    lines = [float(li.get("x1", "")) for li in grid.iter(f"{SVG}line")]
    assert x3 + w3 == pytest.approx(lines[-1], abs=0.2)
    assert [t.text for t in grid.iter(f"{SVG}text")] == ["0%", "25%", "50%", "75%", "100%"]


def test_negative_and_zero_bars_start_at_zero() -> None:
    chart = BarChart("差距", ("落后", "持平", "领先"), (Series("差距", (-10, 0, 30)),))
    (xn, wn), (xz, wz), (xp, wp) = _bars(render(chart, "g"))
    zero = xp
    assert xn + wn == pytest.approx(zero, abs=0.1)  # the negative bar ends at zero
    assert xz == pytest.approx(zero, abs=0.1) and wz < 1  # zero is a hairline, not nothing
    assert wp == pytest.approx(3 * wn, abs=0.2)


def test_grouped_bars_with_a_reference_line_have_a_legend() -> None:
    chart = BarChart(
        "指标",
        ("地区生产总值", "固定资产投资"),
        (Series("完成率", (20, 40), "#1d4ed8"), Series("序时进度", (33.3, 33.3), "#9ca3af")),
        unit="%",
        references=(Reference(100, "年度目标"),),
    )
    root = parse(render(chart, "i"))
    assert len(_bars(render(chart, "i"))) == 4
    assert {"完成率", "序时进度", "年度目标"} <= set(texts(root))
    dashed = [li for li in all_of(root, "line") if li.get("stroke-dasharray") == "3 2"]
    assert len(dashed) == 2  # the legend's sample and the line itself


def test_long_labels_are_cut_to_the_width_and_kept_whole_in_the_table() -> None:
    label = "坚持项目为王推动经济高质量发展" * 3
    chart = BarChart("进度", (label,), (Series("平均进度", (50,)),), unit="%")
    shown = [t for t in texts(parse(render(chart, "b", width=200))) if t.startswith("坚持")]
    assert shown[0].endswith("…") and text_width(shown[0]) <= 200
    assert table(chart).rows[0][0] == label
    assert fit("短", 100) == "短"


def test_the_drawing_code_imports_no_django() -> None:
    """The writing side draws the same charts into .docx files outside a request."""
    folder = Path(charts.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {
            m
            for m in names
            if m.startswith("django")
            or (m.startswith("taizhang.") and not m.startswith("taizhang.core.charts"))
        }, path
