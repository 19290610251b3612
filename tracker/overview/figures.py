"""Headline figures for the public overview, computed from the "as of" rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, select

from tracker.dates import today
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.registry.models import State, StateKind
from tracker.status.rule import (
    JurisdictionStatus,
    Status,
    cached_status_as_of,
    count_by_status,
)


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


def activated_places(rows: Iterable[JurisdictionStatus]) -> tuple[int, int]:
    """(states, territories) with at least one activated jurisdiction among `rows`.

    DC counts with the states, as the program's own figures did ("N jurisdictions in S states").
    """
    kinds = dict(db.session.execute(select(State.fips, State.kind)).all())
    activated = {row.state_fips for row in rows if row.status is Status.ACTIVATED}
    territories = sum(1 for fips in activated if kinds[fips] is StateKind.TERRITORY)
    return len(activated) - territories, territories


def headline_figures(as_of: dt.date | None = None) -> HeadlineFigures:
    """ "N of 3,233 county equivalents activated in S states": every number from status_as_of."""
    as_of = as_of or today()
    rows = cached_status_as_of(as_of, public=True)
    counts = count_by_status(rows)
    states, territories = activated_places(rows)
    return HeadlineFigures(
        as_of=as_of,
        total=len(rows),
        activated=counts[Status.ACTIVATED],
        planned=counts[Status.PLANNED],
        not_scheduled=counts[Status.NOT_SCHEDULED],
        states_with_activation=states,
        territories_with_activation=territories,
        has_demo_data=bool(db.session.scalar(select(exists().where(PlanChange.is_demo.is_(True))))),
    )
