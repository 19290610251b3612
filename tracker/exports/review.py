"""The quarterly review as a download: its table source (every flagged jurisdiction, per metric,
with its figures and disposition) and, for the PDF report, a section per metric with the national
rate, the over-dispersion and the funnel plot. Written by the one export stack (write_table)."""

from __future__ import annotations

from tracker.cache import cached
from tracker.exports.services import RenderedExport, write_table
from tracker.exports.table import Column, Figure, Row, Section
from tracker.formatting import percent
from tracker.outcomes.plots import funnel_frame
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.review import MetricReview, QuarterReview, cached_review

REVIEW = "quarterly-review"
REVIEW_COLUMNS = (
    Column("metric", "Metric"),
    Column("fips", "FIPS"),
    Column("jurisdiction", "Jurisdiction"),
    Column("state", "State"),
    Column("direction", "Direction"),
    Column("limit", "Limit crossed"),
    Column("count", "Count"),
    Column("cases", "Cases"),
    Column("rate", "Rate"),
    Column("z", "z"),
    Column("disposition", "Disposition"),
    Column("note", "Note"),
    Column("decided_by", "Decided by"),
    Column("decided_at", "Decided at"),
)


def review_rows(review: QuarterReview) -> list[Row]:
    """One row per flagged jurisdiction and metric, in the page's order, with the disposition in
    force (blank when none is recorded yet)."""
    rows = []
    for m in review.metrics:
        for flag in m.flags:
            a, d = flag.assessment, flag.disposition
            rows.append(
                (
                    m.metric.value,
                    flag.place.fips,
                    flag.place.name,
                    flag.place.state,
                    a.direction,
                    a.limit,
                    a.count,
                    a.cases,
                    round(a.rate, 6),
                    round(a.z, 3),
                    d.disposition.label if d else None,
                    d.note if d else None,
                    d.recorded_by if d else None,
                    d.recorded_at.strftime("%Y-%m-%d %H:%M UTC") if d else None,
                )
            )
    return rows


def funnel_figure(m: MetricReview) -> Figure | None:
    """The funnel plot of one metric as a report figure (the frame the page draws, too)."""
    frame = funnel_frame(m.funnel)
    if frame is None:
        return None
    lines = [("solid", ((frame.low_cases, frame.target), (frame.high_cases, frame.target)))]
    for name, style in (("95%", "dashed"), ("99.8%", "dotted")):
        for curve in frame.limits[name]:
            lines.append((style, tuple(zip(frame.grid, curve, strict=True))))
    marks = tuple(
        ("small" if a.small else a.direction or "point", a.cases, a.rate)
        for a in sorted(m.funnel.assessments, key=lambda a: a.flagged)
    )
    return Figure(
        x_label=f"{m.metric.cases_noun.capitalize()} in the quarter (log scale)",
        x_range=(frame.low_cases, frame.high_cases),
        y_top=frame.top,
        x_log=True,
        lines=tuple(lines),
        marks=marks,
    )


def review_sections(review: QuarterReview) -> tuple[Section, ...]:
    sections = []
    for m in review.metrics:
        f = m.funnel
        dispersion = (
            "too few jurisdictions to estimate the over-dispersion"
            if f.phi is None
            else f"over-dispersion phi = {f.phi:.2f}: "
            + (f"limits widened by {f.scale:.2f}" if f.widened else "binomial limits")
        )
        sections.append(
            Section(
                key=m.metric.value,
                heading=m.metric.label,
                lines=(
                    f"National rate {percent(f.target, 2)}; {dispersion}. {f.judged:,} "
                    f"jurisdictions judged: {len(m.flagged('high')):,} above and "
                    f"{len(m.flagged('low')):,} below the 95% limits; {len(m.small):,} with fewer "
                    f"than {review.min_cases} cases listed apart.",
                    "Triangles up: flagged above; down: flagged below; hollow circles: too few "
                    "cases. Solid line: national rate; dashed: 95% limits; dotted: 99.8% limits.",
                ),
                figure=funnel_figure(m),
            )
        )
    return tuple(sections)


def build_review_export(quarter: Quarter, fmt: str) -> RenderedExport:
    """The review of `quarter` as a CSV, XLSX or PDF file, written now."""
    review = cached_review(quarter)
    return write_table(
        REVIEW,
        fmt,
        quarter.end,
        REVIEW_COLUMNS,
        review_rows(review),
        {"quarter": str(quarter)},
        title=f"Quarterly statistical review, {quarter.label}",
        group_column="metric",
        sections=review_sections(review),
    )


def render_review_export(quarter: Quarter, fmt: str) -> RenderedExport:
    """build_review_export(), remembered per data version (a disposition changes the file)."""
    return cached("exports.review", (str(quarter), fmt), lambda: build_review_export(quarter, fmt))
