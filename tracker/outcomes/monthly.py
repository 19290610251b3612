"""A jurisdiction's outcomes for its page: its months since activation, two charts and totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from tracker.outcomes.models import COUNT_FIELDS, COUNT_LABELS
from tracker.outcomes.plots import ACTIVITY_SERIES, OUTCOME_SERIES, monthly_chart
from tracker.outcomes.services import MonthFigures, Totals, months_since_activation


@dataclass(frozen=True)
class MonthlyOutcomes:
    months: tuple[MonthFigures, ...]
    totals: Totals  # every month shown, added up
    activity_chart: Markup  # fingerprints submitted and matches
    outcome_chart: Markup  # identifications by level, and removals
    activity_series: tuple[tuple[str, str, str], ...]
    outcome_series: tuple[tuple[str, str, str], ...]
    columns: tuple[tuple[str, str], ...]  # (count field, heading) of the table

    @property
    def is_demo(self) -> bool:
        return any(month.is_demo for month in self.months)

    @property
    def reported(self) -> int:
        return sum(1 for month in self.months if month.counts is not None)


def monthly_outcomes(
    fips: str, until: dt.date | None = None, known_at: dt.datetime | None = None
) -> MonthlyOutcomes | None:
    """The jurisdiction's statistics month by month from its activation to its latest month (or
    `until`), with gaps, as recorded at `known_at`; None before activation or when none was
    imported."""
    months = tuple(months_since_activation(fips, until, known_at))
    if not any(month.counts for month in months):
        return None
    sums = [sum(m.counts[name] for m in months if m.counts) for name in COUNT_FIELDS]
    return MonthlyOutcomes(
        months=months,
        totals=Totals(1, *sums),
        activity_chart=monthly_chart(
            "activity-chart",
            "Fingerprints submitted and matches, by month",
            months,
            ACTIVITY_SERIES,
        ),
        outcome_chart=monthly_chart(
            "outcome-chart",
            "Identifications by level, and removals, by month",
            months,
            OUTCOME_SERIES,
        ),
        activity_series=ACTIVITY_SERIES,
        outcome_series=OUTCOME_SERIES,
        columns=tuple((name, COUNT_LABELS[name]) for name in COUNT_FIELDS),
    )
