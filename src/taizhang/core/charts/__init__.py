"""Charts for pages and documents: a data model (``model``) and an SVG renderer (``svg``).

Pure Python, no Django import: the writing side draws the same ``LineChart`` / ``BarChart`` into a
.docx. Colours come in with the data (``core.colours.HEX`` for the four colours).
"""

from taizhang.core.charts.model import BarChart, Chart, LineChart, Reference, Series, Table, table
from taizhang.core.charts.svg import render

__all__ = ["BarChart", "Chart", "LineChart", "Reference", "Series", "Table", "render", "table"]
