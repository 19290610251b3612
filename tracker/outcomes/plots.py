"""The review's funnel plots and a jurisdiction's monthly charts, as server-rendered SVG.

Pure functions of the computed figures. In a funnel plot every jurisdiction is a link with an
accessible name (its figures and whether it is flagged), so each point is reachable by keyboard;
flagged points differ by shape as well as colour. The pages pair each chart with a table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup, escape

from tracker.charts import (
    Scale,
    horizontal_grid,
    log_ticks,
    nice_ticks,
    svg_frame,
    vertical_grid,
)
from tracker.formatting import percent
from tracker.outcomes.funnel import Assessment, Funnel
from tracker.outcomes.models import Metric
from tracker.outcomes.quarters import month_label
from tracker.outcomes.services import MonthFigures

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
CURVE_POINTS = 120


@dataclass(frozen=True)
class PointText:
    """How one jurisdiction's point reads, worked out once for the plot and its table."""

    label: str  # "Travis County, TX", HTML-escaped
    rate: str  # "18.9%"
    z: str  # "2.41", or a dash
    verdict: str  # "above the 99.8% limit"

    def name(self, a: Assessment, metric: Metric) -> str:
        """The point's accessible name: "Travis County, TX: 40 of 212 identifications with no
        criminal conviction, 18.9%, z 2.41, above the 99.8% limit" (HTML-escaped)."""
        z = f", z {self.z}" if a.z is not None else ""
        return f"{self.label}: {metric.phrase(a.count, a.cases)}, {self.rate}{z}, {self.verdict}"


def point_texts(review, labels: dict[str, str]) -> dict[str, PointText]:
    """Every point's texts, by FIPS code (`labels`: each jurisdiction's, HTML-escaped)."""
    return {
        a.key: PointText(
            labels[a.key],
            percent(a.rate),
            "—" if a.z is None else f"{a.z:.2f}",
            a.verdict,
        )
        for a in review.funnel.assessments
    }


def _mark(x: float, y: float, a: Assessment) -> str:
    if a.small:
        return f'<circle class="point-small" cx="{x}" cy="{y}" r="3"/>'
    if a.direction == "high":
        return f'<path class="point-high" d="M{x},{y - 5.5}l5,8.5h-10z"/>'
    if a.direction == "low":
        return f'<path class="point-low" d="M{x},{y + 5.5}l5,-8.5h-10z"/>'
    return f'<circle class="point" cx="{x}" cy="{y}" r="3"/>'


@dataclass(frozen=True)
class FunnelFrame:
    """What a drawing of a funnel needs besides its points, for the page and the PDF alike: the
    range of cases (log scale), the top of the rate axis, and the limits along the range."""

    low_cases: float
    high_cases: float
    top: float
    target: float
    grid: tuple[float, ...]  # numbers of cases at which the limit curves are drawn
    limits: dict[str, tuple[tuple[float, ...], tuple[float, ...]]]  # name -> (lower, upper)


def funnel_frame(funnel: Funnel) -> FunnelFrame | None:
    """The frame of a funnel with at least one point, else None."""
    points = funnel.assessments
    if not points or funnel.target is None:
        return None
    low_n = max(1, min(a.cases for a in points))
    high_n = max(max(a.cases for a in points), low_n * 10)
    grid = np.unique(np.geomspace(low_n, high_n, CURVE_POINTS).round())
    limits = funnel.limits(grid)
    top = max(max(a.rate for a in points), float(np.nanmax(limits["99.8%"][1])), funnel.target)
    return FunnelFrame(
        low_cases=float(low_n),
        high_cases=float(high_n),
        top=min(1.0, top * 1.05 + 0.01),
        target=funnel.target,
        grid=tuple(grid.tolist()),
        limits={
            name: (tuple(lower.tolist()), tuple(upper.tolist()))
            for name, (lower, upper) in limits.items()
        },
    )


def review_views(review, links: dict[Metric, str]) -> dict[Metric, tuple[Markup, Markup]]:
    """Each metric's funnel plot and its table's rows (of a review.QuarterReview); a metric's
    points link to links[metric] + their FIPS code."""
    # html.escape once per jurisdiction: thousands of names, and Markup objects cost more.
    labels = {fips: html.escape(place.label) for fips, place in review.metrics[0].places.items()}
    views = {}
    for m in review.metrics:
        texts = point_texts(m, labels)
        views[m.metric] = (
            funnel_plot(m, links[m.metric], texts),
            funnel_table_rows(m, texts),
        )
    return views


def funnel_plot(review, link_prefix: str, texts: dict[str, PointText]) -> Markup:
    """The funnel of one metric: rate against cases (log scale), the national rate, the 95 % and
    99.8 % limits, and every jurisdiction as a linked point."""
    metric, funnel = review.metric, review.funnel
    points = funnel.assessments
    frame = funnel_frame(funnel)
    if frame is None:
        return Markup("")
    chart_id = f"funnel-{metric.value}"
    low_n, high_n, top, grid, limits = (
        frame.low_cases, frame.high_cases, frame.top, frame.grid, frame.limits
    )  # fmt: skip
    x = Scale(low_n, high_n, LEFT, WIDTH - RIGHT, log=True)
    y = Scale(0, top, HEIGHT - BOTTOM, TOP)
    body = [
        *horizontal_grid(
            [t for t in nice_ticks(0, top) if t <= top], y, LEFT, WIDTH - RIGHT,
            lambda t: percent(t, 0),
        ),
        *vertical_grid(log_ticks(low_n, high_n), x, TOP, HEIGHT - BOTTOM, "{:,.0f}".format),
    ]  # fmt: skip
    body.append(
        f'<text class="axis-title" x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 8}" '
        f'text-anchor="middle">{escape(metric.cases_noun.capitalize())} in the quarter (log scale)</text>'
    )
    body.append(
        f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(funnel.target)}" y2="{y(funnel.target)}"/>'
    )
    for name, css in (("95%", "limit-95"), ("99.8%", "limit-998")):
        for curve in limits[name]:
            path = " ".join(f"{x(n)},{y(v)}" for n, v in zip(grid, curve, strict=True))
            body.append(f'<polyline class="{css}" points="{path}"/>')
    # Flagged points last, so they are drawn on top and come last in the keyboard order.
    ordered = sorted(points, key=lambda a: (a.flagged, a.key))
    xs, ys = x.many([a.cases for a in ordered]), y.many([a.rate for a in ordered])
    for a, px, py in zip(ordered, xs, ys, strict=True):
        name = texts[a.key].name(a, metric)
        body.append(
            f'<a href="{link_prefix}{a.key}" aria-label="{name}">'
            f"<title>{name}</title>{_mark(px, py, a)}</a>"
        )
    description = (
        f"{metric.label}: {len(points):,} jurisdictions, national rate {percent(funnel.target)}; "
        f"{len(review.flagged('high')):,} above and {len(review.flagged('low')):,} below the "
        f"95% limits; {len(review.small):,} too small to judge."
    )
    return svg_frame(
        "funnel-plot", chart_id, WIDTH, HEIGHT, f"Funnel plot: {metric.label}", description, body,
        interactive=True,
    )  # fmt: skip


# (field, css class, label) of the series a jurisdiction's monthly charts draw.
ACTIVITY_SERIES = (
    ("submissions", "series-1", "Fingerprints submitted"),
    ("matches", "series-2", "Matches"),
)
OUTCOME_SERIES = (
    ("level1", "series-1", "Level 1"),
    ("level2", "series-2", "Level 2"),
    ("level3", "series-3", "Level 3"),
    ("non_criminal", "series-4", "No criminal conviction"),
    ("removed", "series-5", "Removals"),
)


def monthly_chart(
    chart_id: str,
    title: str,
    months: Sequence[MonthFigures],
    series: Sequence[tuple[str, str, str]],
) -> Markup:
    """A line per series over the months since activation; gaps where a month has no figures."""
    reported = [m for m in months if m.counts is not None]
    if not reported:
        return Markup("")
    top = max(max(m.counts[f] for m in reported for f, _, _ in series), 1)
    ticks = nice_ticks(0, top)
    top = max(top, ticks[-1])
    x = Scale(0, max(len(months) - 1, 1), LEFT, WIDTH - RIGHT)
    y = Scale(0, top, HEIGHT - BOTTOM, TOP)
    body = horizontal_grid(ticks, y, LEFT, WIDTH - RIGHT, "{:,.0f}".format)
    for index, figures in enumerate(months):
        if figures.month.month == 1 or index == 0:
            body.append(
                f'<text class="axis" x="{x(index)}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{figures.month:%b %Y}</text>'
            )
    for field, css, _ in series:
        runs: list[list[str]] = [[]]
        for index, figures in enumerate(months):
            if figures.counts is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(index)},{y(figures.counts[field])}")
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                body.append(f'<circle class="{css}" cx="{cx}" cy="{cy}" r="2.5"/>')
            elif run:
                body.append(f'<polyline class="line {css}" points="{" ".join(run)}"/>')
    last = reported[-1]
    description = (
        f"{title}, {month_label(months[0].month)} to {month_label(months[-1].month)}. "
        f"{month_label(last.month)}: "
        + "; ".join(f"{label} {last.counts[field]:,}" for field, _, label in series)
        + "."
    )
    return svg_frame("monthly-chart", chart_id, WIDTH, HEIGHT, title, description, body)


def funnel_table_rows(review, texts: dict[str, PointText]) -> Markup:
    """The table alternative of a funnel plot: one <tr> per jurisdiction (name, FIPS code, count,
    cases, rate, z, verdict), by FIPS code. Built here rather than in the template because a
    quarter has thousands of rows per metric and every one would cost a template loop."""
    rows = []
    for a in review.funnel.assessments:
        t = texts[a.key]
        rows.append(
            f'<tr><th scope="row">{t.label}</th><td>{a.key}</td><td>{a.count}</td>'
            f"<td>{a.cases}</td><td>{t.rate}</td><td>{t.z}</td><td>{t.verdict}</td></tr>"
        )
    # Names pass through html.escape; everything else is a number or a fixed word.
    return Markup("".join(rows))  # noqa: S704
