"""Every state's progress on a date: jurisdictions by status, open letters, jurisdictions briefed.

Progress counts come from the "as of" rule (tracker.status.rule), grouped by state, so a state
page and the national figures always add up to the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from tracker.briefings.services import briefing_reach
from tracker.dates import today
from tracker.deferrals.queries import open_letter_counts
from tracker.extensions import db
from tracker.registry.lookup import get_state
from tracker.registry.models import State, StateKind, StateVersion
from tracker.status.rule import Status, cached_status_as_of, count_by_status


@dataclass(frozen=True)
class StateProgress:
    """One state's standing on a date: jurisdictions by status, open letters, briefed count."""

    fips: str
    postal: str
    name: str
    kind: StateKind
    total: int
    activated: int
    planned: int
    deferral_pending: int
    removed: int
    not_scheduled: int
    open_letters: int
    briefed: int

    @property
    def percent_activated(self) -> int:
        return round(100 * self.activated / self.total) if self.total else 0


def state_progress(
    as_of: dt.date | None = None,
    known_at: dt.datetime | None = None,
    *,
    state: str | None = None,
) -> list[StateProgress]:
    """Every state's progress on `as_of` (default today), as the records stood at `known_at`
    (default now), ordered by name; or one state's.

    Statuses are the staff view of the "as of" rule (deferral pending and removed shown apart
    from planned and not scheduled). Three queries in all, whatever the number of states.
    """
    as_of = as_of or today()
    rows = cached_status_as_of(as_of, known_at)
    by_state: dict[str, list] = {}
    for row in rows:
        by_state.setdefault(row.state_fips, []).append(row)
    letters = open_letter_counts(as_of, known_at=known_at)
    briefed = briefing_reach(as_of, known_at).by_state
    statement = select(State).order_by(State.name)
    if state:
        statement = statement.where(State.fips == get_state(state).fips)
    result = []
    for item in db.session.scalars(statement):
        counts = count_by_status(by_state.get(item.fips, ()))
        result.append(
            StateProgress(
                fips=item.fips,
                postal=item.postal,
                name=item.name,
                kind=item.kind,
                total=sum(counts.values()),
                activated=counts[Status.ACTIVATED],
                planned=counts[Status.PLANNED],
                deferral_pending=counts[Status.DEFERRAL_PENDING],
                removed=counts[Status.REMOVED],
                not_scheduled=counts[Status.NOT_SCHEDULED],
                open_letters=letters.get(item.fips, 0),
                briefed=briefed.get(item.fips, 0),
            )
        )
    return result


def progress_totals(progress: Iterable[StateProgress]) -> dict[str, int]:
    """Column totals of a progress table (the national figures when every state is listed)."""
    names = (
        "total",
        "activated",
        "planned",
        "deferral_pending",
        "removed",
        "not_scheduled",
        "open_letters",
        "briefed",
    )
    totals = dict.fromkeys(names, 0)
    for row in progress:
        for name in names:
            totals[name] += getattr(row, name)
    return totals


def bureau_known_at(state: State, known_at: dt.datetime | None) -> State | StateVersion | None:
    """A state's bureau and agreement facts as the records stood at `known_at`: the state itself
    when None (now), else its newest kept version recorded by then (None: nothing recorded yet)."""
    if known_at is None:
        return state
    return db.session.scalar(
        select(StateVersion)
        .where(StateVersion.state_fips == state.fips, StateVersion.version_recorded_at <= known_at)
        .order_by(StateVersion.version_recorded_at.desc(), StateVersion.version_no.desc())
        .limit(1)
    )


def bureau_versions(state: State) -> list[StateVersion]:
    """Every kept version of the state's bureau and agreement facts, oldest first."""
    return list(
        db.session.scalars(
            select(StateVersion)
            .where(StateVersion.state_fips == state.fips)
            .order_by(StateVersion.version_recorded_at, StateVersion.version_no)
        )
    )
