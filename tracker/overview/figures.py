"""Headline figures for the public overview, computed from the "as of" rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select

from tracker.dates import today
from tracker.extensions import db
from tracker.jurisdictions.models import State, StateKind
from tracker.plan.models import PlanChange
from tracker.plan.status import Status, count_by_status, status_as_of


@dataclass(frozen=True)
class HeadlineFigures:
    as_of: dt.date
    total: int
    activated: int
    planned: int
    not_scheduled: int
    states_with_activation: int
    territories_with_activation: int
    has_demo_data: bool


def headline_figures(as_of: dt.date | None = None) -> HeadlineFigures:
    """ "N of 3,233 county equivalents activated in S states": every number from status_as_of."""
    as_of = as_of or today()
    rows = status_as_of(as_of, public=True)
    counts = count_by_status(rows)
    kinds = dict(db.session.execute(select(State.fips, State.kind)).all())
    activated_states = {row.state_fips for row in rows if row.status is Status.ACTIVATED}
    return HeadlineFigures(
        as_of=as_of,
        total=len(rows),
        activated=counts[Status.ACTIVATED],
        planned=counts[Status.PLANNED],
        not_scheduled=counts[Status.NOT_SCHEDULED],
        states_with_activation=sum(
            1 for fips in activated_states if kinds[fips] is not StateKind.TERRITORY
        ),
        territories_with_activation=sum(
            1 for fips in activated_states if kinds[fips] is StateKind.TERRITORY
        ),
        has_demo_data=bool(db.session.scalar(select(exists().where(PlanChange.is_demo.is_(True))))),
    )
