"""The cumulative-activations chart as server-rendered SVG: no script, no CDN, prints anywhere.

A pure function of the progress points; every text is escaped. The page pairs it with a table
of the same points for people who cannot see the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup

from tracker.charts import Scale, horizontal_grid, svg_frame, vertical_grid
from tracker.dashboard.progress import ProgressPoint, Projection
from tracker.formatting import long_date
from tracker.status.headline import Headline

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44


def cumulative_chart(
    points: Sequence[ProgressPoint], headline: Headline, projection: Projection
) -> Markup:
    """An SVG line chart: activations to date (solid), the plan (dashed), the projection (dotted)."""
    total, as_of = headline.total, headline.as_of
    if not points:
        return Markup("")
    last_day = points[-1].month_end
    if projection.finish_on and projection.finish_on > last_day:
        last_day = projection.finish_on
    days = Scale(points[0].month_end.toordinal(), last_day.toordinal(), LEFT, WIDTH - RIGHT)
    y = Scale(0, max(total, 1), HEIGHT - BOTTOM, TOP)

    def x(day: dt.date) -> float:
        return days(day.toordinal())

    plan = " ".join(f"{x(p.month_end)},{y(p.planned)}" for p in points)
    actual = " ".join(f"{x(p.month_end)},{y(p.actual)}" for p in points if p.actual is not None)
    years = [
        dt.date(year, 1, 1).toordinal()
        for year in range(points[0].month_end.year + 1, last_day.year + 1)
    ]
    body = [
        *horizontal_grid(
            [round(total * f) for f in (0, 0.25, 0.5, 0.75, 1)],
            y,
            LEFT,
            WIDTH - RIGHT,
            "{:,.0f}".format,
        ),
        *vertical_grid(
            years, days, TOP, HEIGHT - BOTTOM, lambda day: str(dt.date.fromordinal(int(day)).year)
        ),
        f'<polyline class="line-plan" points="{plan}"/>',
    ]
    if actual:
        body.append(f'<polyline class="line-actual" points="{actual}"/>')
    if projection.finish_on and projection.remaining:
        body.append(
            f'<polyline class="line-projection" points="{x(as_of)},{y(headline.activated)} '
            f'{x(projection.finish_on)},{y(total)}"/>'
        )
    body.append(
        f'<line class="as-of" x1="{x(as_of)}" x2="{x(as_of)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
    )
    return svg_frame(
        "progress-chart",
        "progress-chart",
        WIDTH,
        HEIGHT,
        "Cumulative activations, actual against plan",
        _description(points, headline, projection),
        body,
    )


def _description(
    points: Sequence[ProgressPoint], headline: Headline, projection: Projection
) -> str:
    text = (
        f"{headline.sentence}; the plan reaches {points[-1].planned:,} by "
        f"{long_date(points[-1].month_end)}."
    )
    return f"{text} {projection.sentence}"
