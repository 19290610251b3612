"""The cumulative-activations chart as server-rendered SVG: no script, no CDN, prints anywhere.

A pure function of the progress points; every text is escaped. The page pairs it with a table
of the same points for people who cannot see the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from tracker.dashboard.progress import ProgressPoint, Projection
from tracker.formatting import long_date
from tracker.status.headline import Headline

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    if high == low:
        return out_low
    return out_low + (value - low) * (out_high - out_low) / (high - low)


def cumulative_chart(
    points: Sequence[ProgressPoint], headline: Headline, projection: Projection
) -> Markup:
    """An SVG line chart: activations to date (solid), the plan (dashed), the projection (dotted)."""
    total, as_of = headline.total, headline.as_of
    if not points:
        return Markup("")
    first = points[0].month_end.toordinal()
    last_day = points[-1].month_end
    if projection.finish_on and projection.finish_on > last_day:
        last_day = projection.finish_on
    last = last_day.toordinal()

    def x(day: dt.date) -> float:
        return round(_scale(day.toordinal(), first, last, LEFT, WIDTH - RIGHT), 1)

    def y(value: float) -> float:
        return round(_scale(value, 0, max(total, 1), HEIGHT - BOTTOM, TOP), 1)

    plan = " ".join(f"{x(p.month_end)},{y(p.planned)}" for p in points)
    actual = " ".join(f"{x(p.month_end)},{y(p.actual)}" for p in points if p.actual is not None)
    parts = [
        f'<svg class="progress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="progress-chart-title progress-chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="progress-chart-title">Cumulative activations, actual against plan</title>',
        f'<desc id="progress-chart-desc">{escape(_description(points, headline, projection))}</desc>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = round(total * fraction)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" y2="{y(value)}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4}" text-anchor="end">{value:,}</text>'
        )
    for year in range(points[0].month_end.year + 1, last_day.year + 1):
        jan = dt.date(year, 1, 1)
        parts.append(
            f'<line class="grid" x1="{x(jan)}" x2="{x(jan)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="axis" x="{x(jan)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>'
        )
    parts.append(f'<polyline class="line-plan" points="{plan}"/>')
    if actual:
        parts.append(f'<polyline class="line-actual" points="{actual}"/>')
    if projection.finish_on and projection.remaining:
        parts.append(
            f'<polyline class="line-projection" points="{x(as_of)},{y(headline.activated)} '
            f'{x(projection.finish_on)},{y(total)}"/>'
        )
    parts.append(
        f'<line class="as-of" x1="{x(as_of)}" x2="{x(as_of)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
    )
    parts.append("</svg>")
    # Every part is either a number we formatted or text passed through escape() above.
    return Markup("".join(parts))  # noqa: S704


def _description(
    points: Sequence[ProgressPoint], headline: Headline, projection: Projection
) -> str:
    text = (
        f"{headline.sentence}; the plan reaches {points[-1].planned:,} by "
        f"{long_date(points[-1].month_end)}."
    )
    return f"{text} {projection.sentence}"
