"""The rollout over time: cumulative activations against the plan, and the projected finish.

Plain functions over status rows (from tracker.status.rule), so the dashboard, its chart and its
table alternative all read the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.dates import DOMAIN_LAST
from tracker.formatting import count, long_date
from tracker.status.rule import JurisdictionStatus, Status

PACE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ProgressPoint:
    """Cumulative counts at the end of one month."""

    month_end: dt.date
    actual: int | None  # None for months after the as-of date: nothing is known yet
    planned: int


@dataclass(frozen=True)
class Projection:
    """Where the rollout is heading at the recent pace."""

    pace_per_month: float  # activations per 30 days over the last PACE_WINDOW_DAYS
    remaining: int
    # None when nothing activated in the window (no pace to project), or when the pace would
    # finish after the last date the tracker keeps.
    finish_on: dt.date | None

    @property
    def sentence(self) -> str:
        """Where the rollout is heading, in words."""
        if self.remaining == 0:
            return "Every county equivalent has activated."
        if self.finish_on is None and self.pace_per_month:
            return (
                f"At the pace of the last {PACE_WINDOW_DAYS} days ({self.pace_per_month:.1f} "
                f"activations a month), the remaining {count(self.remaining)} would not all be "
                f"active before {long_date(DOMAIN_LAST)}, the last date the tracker keeps."
            )
        if self.finish_on is None:
            return (
                f"No jurisdiction activated in the last {PACE_WINDOW_DAYS} days, so there is no "
                f"pace to project from; {count(self.remaining)} remain."
            )
        return (
            f"At the pace of the last {PACE_WINDOW_DAYS} days ({self.pace_per_month:.0f} "
            f"activations a month), the remaining {count(self.remaining)} would all be active "
            f"by {long_date(self.finish_on)}."
        )


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends = []
    current = _month_end(first)
    while current <= _month_end(last):
        ends.append(current)
        current = _month_end(current + dt.timedelta(days=1))
    return ends


def planned_date(row: JurisdictionStatus) -> dt.date | None:
    """When the plan in force on the as-of date puts this jurisdiction live: its activation if it
    has one, else its scheduled date (pending letters do not move the plan until resolved)."""
    return row.activated_on or row.scheduled_on


def rollout_progress(rows: Sequence[JurisdictionStatus], as_of: dt.date) -> list[ProgressPoint]:
    """Month by month, how many jurisdictions had activated (up to `as_of`) and how many the plan
    as it stood on `as_of` had live by then. Rows must come from status_as_of(as_of)."""
    actual_dates = sorted(row.activated_on for row in rows if row.activated_on is not None)
    plan_dates = sorted(day for row in rows if (day := planned_date(row)) is not None)
    if not plan_dates:
        return []
    points = []
    actual_index = plan_index = 0
    for month_end in _month_ends(plan_dates[0], max(plan_dates[-1], as_of)):
        while plan_index < len(plan_dates) and plan_dates[plan_index] <= month_end:
            plan_index += 1
        while actual_index < len(actual_dates) and actual_dates[actual_index] <= month_end:
            actual_index += 1
        known = month_end <= _month_end(as_of)
        points.append(ProgressPoint(month_end, actual_index if known else None, plan_index))
    return points


def project_completion(rows: Sequence[JurisdictionStatus], as_of: dt.date) -> Projection:
    """At the pace of the last PACE_WINDOW_DAYS days, the day every jurisdiction would be active."""
    window_start = as_of - dt.timedelta(days=PACE_WINDOW_DAYS)
    recent = sum(
        1 for row in rows if row.activated_on is not None and window_start < row.activated_on
    )
    remaining = sum(1 for row in rows if row.status is not Status.ACTIVATED)
    per_day = recent / PACE_WINDOW_DAYS
    if remaining == 0:
        return Projection(per_day * 30, 0, as_of)
    if per_day == 0:
        return Projection(0.0, remaining, None)
    days_left = math.ceil(remaining / per_day)
    if days_left > (DOMAIN_LAST - as_of).days:
        return Projection(per_day * 30, remaining, None)
    return Projection(per_day * 30, remaining, as_of + dt.timedelta(days=days_left))


def due_within(rows: Sequence[JurisdictionStatus], as_of: dt.date, days: int) -> int:
    """Jurisdictions planned (or awaiting a deferral decision) to activate in the next `days`."""
    horizon = as_of + dt.timedelta(days=days)
    return sum(
        1
        for row in rows
        if row.status in (Status.PLANNED, Status.DEFERRAL_PENDING)
        and row.scheduled_on is not None
        and as_of <= row.scheduled_on <= horizon
    )
