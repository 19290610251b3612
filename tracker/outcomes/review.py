"""The quarterly statistical review: each metric's funnel over every jurisdiction that reported,
the outliers it flags, and the editors' dispositions of them, with earlier quarters' as history.

The review is computed from the statistics in force whenever it is asked for (nothing about the
flags is stored); a disposition keeps the flag as it stood when it was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import func, select

from tracker.cache import cached
from tracker.extensions import db
from tracker.outcomes.dispositions import DispositionRecord, dispositions_for_review
from tracker.outcomes.funnel import Assessment, Funnel, funnel_of
from tracker.outcomes.models import COUNT_FIELDS, Metric, MonthlyStatistics
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.services import Totals, has_demo_statistics
from tracker.registry.models import Jurisdiction, State

M = MonthlyStatistics
# Flagged jurisdictions are listed widest limit first, then by how far they stand out.
LIMIT_ORDER = {"99.8%": 0, "95%": 1}


@dataclass(frozen=True)
class Place:
    fips: str
    name: str
    state: str  # postal code

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True)
class Flag:
    """A jurisdiction the funnel flags, with what the editors decided about it."""

    place: Place
    metric: Metric
    assessment: Assessment
    # This quarter's dispositions of it, newest first (the first is the one in force).
    dispositions: tuple[DispositionRecord, ...]
    # Earlier quarters' final dispositions of it for the same metric, newest first.
    history: tuple[DispositionRecord, ...]

    @property
    def disposition(self) -> DispositionRecord | None:
        return self.dispositions[0] if self.dispositions else None


@dataclass(frozen=True)
class MetricReview:
    metric: Metric
    funnel: Funnel
    flags: tuple[Flag, ...]  # widest limit first, then by |z|
    small: tuple[tuple[Place, Assessment], ...]  # too few cases to judge, by FIPS code
    places: dict[str, Place]

    def flagged(self, direction: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.assessment.direction == direction)

    def flag_of(self, fips: str) -> Flag | None:
        return next((f for f in self.flags if f.place.fips == fips), None)


@dataclass(frozen=True)
class Carried:
    """Last quarter's disposition of a flag, and whether this quarter flags it again."""

    record: DispositionRecord
    place: Place
    flagged_again: bool


@dataclass(frozen=True)
class QuarterReview:
    quarter: Quarter
    min_cases: int
    totals: Totals
    metrics: tuple[MetricReview, ...]
    carried_over: tuple[Carried, ...]
    is_demo: bool = False  # some of the quarter's figures are demo data

    def metric(self, metric: Metric) -> MetricReview:
        return next(m for m in self.metrics if m.metric is metric)

    @property
    def has_data(self) -> bool:
        return self.totals.jurisdictions > 0


def min_cases() -> int:
    """The fewest cases (identifications, or submissions for the match rate) a jurisdiction
    needs in a quarter to be judged: TRACKER_REVIEW_MIN_CASES."""
    return current_app.config["TRACKER_REVIEW_MIN_CASES"]


def quarter_counts(quarter: Quarter) -> tuple[list[Place], np.ndarray]:
    """The reporting jurisdictions in FIPS order, and their counts summed over the quarter (one
    row each, one column per COUNT_FIELDS).

    The sums are grouped on the statistics alone and the names read apart: joining the registry
    into the grouping costs PostgreSQL a sort of every row, three times the whole query.
    """
    sums = db.session.execute(
        select(M.jurisdiction_fips, *[func.sum(getattr(M, name)) for name in COUNT_FIELDS])
        .where(M.in_force(), M.month.between(quarter.first_month, quarter.last_month))
        .group_by(M.jurisdiction_fips)
    ).all()
    names = {
        fips: (name, postal)
        for fips, name, postal in db.session.execute(
            select(Jurisdiction.fips, Jurisdiction.full_name, State.postal).join(
                State, State.fips == Jurisdiction.state_fips
            )
        )
    }
    sums.sort(key=lambda row: row[0])
    places = [Place(row[0], *names[row[0]]) for row in sums]
    figures = np.array([row[1:] for row in sums], dtype=float).reshape(len(sums), len(COUNT_FIELDS))
    return places, figures


def assess_metric(metric: Metric, places: list[Place], figures: np.ndarray, minimum: int) -> Funnel:
    """The funnel of one metric over the jurisdictions' quarter counts."""
    count = figures[:, COUNT_FIELDS.index(metric.count_field)]
    cases = figures[:, [COUNT_FIELDS.index(name) for name in metric.case_fields]].sum(axis=1)
    return funnel_of([place.fips for place in places], count, cases, minimum)


def review_quarter(quarter: Quarter) -> QuarterReview:
    """The review of `quarter`: every metric's funnel, its flags with their dispositions and
    history, those too small to judge, and last quarter's dispositions carried over."""
    minimum = min_cases()
    reporting, figures = quarter_counts(quarter)
    places = {place.fips: place for place in reporting}
    totals = Totals(len(reporting), *(int(total) for total in figures.sum(axis=0)))
    funnels = {metric: assess_metric(metric, reporting, figures, minimum) for metric in Metric}
    flagged_keys = {
        (metric, a.key) for metric, funnel in funnels.items() for a in funnel.assessments
        if a.flagged
    }  # fmt: skip
    current, earlier, previous = dispositions_for_review(
        str(quarter), str(quarter.previous()), {fips for _, fips in flagged_keys}
    )
    metrics = []
    for metric, funnel in funnels.items():
        flags = [
            Flag(
                places[a.key],
                metric,
                a,
                tuple(current.get((metric, a.key), ())),
                tuple(earlier.get((metric, a.key), ())),
            )
            for a in funnel.assessments
            if a.flagged
        ]
        flags.sort(key=lambda f: (LIMIT_ORDER[f.assessment.limit], -abs(f.assessment.z or 0)))
        small = tuple((places[a.key], a) for a in funnel.assessments if a.small)
        metrics.append(MetricReview(metric, funnel, tuple(flags), small, places))
    carried = tuple(
        Carried(
            record,
            places.get(record.fips) or Place(record.fips, record.jurisdiction, record.state),
            (record.metric, record.fips) in flagged_keys,
        )
        for record in previous
    )
    demo = has_demo_statistics(quarter.first_month, quarter.last_month)
    return QuarterReview(quarter, minimum, totals, tuple(metrics), carried, demo)


def cached_review(quarter: Quarter) -> QuarterReview:
    """review_quarter(), remembered until the data changes (an import, a disposition, any audited
    write): the page, its flags, the API and the files all ask for the same quarter."""
    return cached("outcomes.review", (str(quarter), min_cases()), lambda: review_quarter(quarter))


def flag_for(quarter: Quarter, metric: Metric, fips: str) -> Flag | None:
    """The flag the review of `quarter` raises on one jurisdiction for one metric, if any."""
    return cached_review(quarter).metric(metric).flag_of(fips)
