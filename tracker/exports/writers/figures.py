"""A report's figure (exports.table.Figure) as a reportlab drawing, for the PDF writer.

The same funnel the page draws in SVG: grid and axis labels, the lines (solid, dashed, dotted)
and the marks (points; triangles up and down for the flagged, hollow circles for the small), so
the printed plot reads without colour too.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors

from tracker.charts import Scale, log_ticks, nice_ticks
from tracker.exports.table import Figure
from tracker.formatting import percent

HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 42, 8, 8, 34
DASHES = {"solid": None, "dashed": [5, 3], "dotted": [1.5, 2]}
GREY = colors.HexColor("#5f6b7a")
HIGH, LOW = colors.HexColor("#b50909"), colors.HexColor("#005ea2")


def drawing(figure: Figure, width: float) -> Drawing:
    """The figure drawn `width` points wide (y grows upwards in reportlab)."""
    area = Drawing(width, HEIGHT)
    x = Scale(*figure.x_range, LEFT, width - RIGHT, log=figure.x_log)
    y = Scale(0, figure.y_top, BOTTOM, HEIGHT - TOP)
    for tick in [t for t in nice_ticks(0, figure.y_top) if t <= figure.y_top]:
        area.add(Line(LEFT, y(tick), width - RIGHT, y(tick), strokeColor=colors.lightgrey))
        area.add(String(LEFT - 4, y(tick) - 3, percent(tick, 0), fontSize=7, textAnchor="end"))
    ticks = log_ticks(*figure.x_range) if figure.x_log else nice_ticks(*figure.x_range)
    for tick in ticks:
        area.add(Line(x(tick), BOTTOM, x(tick), HEIGHT - TOP, strokeColor=colors.lightgrey))
        area.add(String(x(tick), BOTTOM - 10, f"{tick:,.0f}", fontSize=7, textAnchor="middle"))
    area.add(String((LEFT + width - RIGHT) / 2, 4, figure.x_label, fontSize=8, textAnchor="middle"))
    for style, points in figure.lines:
        coordinates = [value for px, py in points for value in (x(px), y(py)) if math.isfinite(py)]
        area.add(
            PolyLine(
                coordinates,
                strokeColor=colors.black,
                strokeWidth=1.5 if style == "solid" else 1,
                strokeDashArray=DASHES[style],
            )
        )
    for kind, px, py in figure.marks:
        cx, cy = x(px), y(py)
        if kind == "high":
            area.add(
                Polygon(
                    [cx, cy + 4, cx + 3.5, cy - 2, cx - 3.5, cy - 2],
                    fillColor=HIGH,
                    strokeColor=None,
                )
            )
        elif kind == "low":
            area.add(
                Polygon(
                    [cx, cy - 4, cx + 3.5, cy + 2, cx - 3.5, cy + 2],
                    fillColor=LOW,
                    strokeColor=None,
                )
            )
        elif kind == "small":
            area.add(Circle(cx, cy, 1.8, fillColor=colors.white, strokeColor=GREY, strokeWidth=0.5))
        else:
            area.add(Circle(cx, cy, 1.6, fillColor=GREY, strokeColor=None))
    return area
