"""Headline figures for the public overview, computed from the "as of" rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select

from tracker.dates import today
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.status.headline import Headline, headline
from tracker.status.rule import Status, cached_status_as_of, count_by_status


@dataclass(frozen=True)
class HeadlineFigures:
    headline: Headline
    planned: int
    not_scheduled: int
    has_demo_data: bool


def headline_figures(
    as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> HeadlineFigures:
    """The public headline on `as_of` (default today), as known at `known_at` (default now), and
    the planned and unscheduled counts beside it, every number from status_as_of."""
    as_of = as_of or today()
    rows = cached_status_as_of(as_of, known_at, public=True)
    counts = count_by_status(rows)
    return HeadlineFigures(
        headline=headline(rows, as_of),
        planned=counts[Status.PLANNED],
        not_scheduled=counts[Status.NOT_SCHEDULED],
        has_demo_data=bool(db.session.scalar(select(exists().where(PlanChange.is_demo.is_(True))))),
    )
