"""The briefing log: briefings newest first, filtered by kind, date and state, as the records
stand now or as they stood at a moment.

As known at K, the log is the briefings recorded by K, each read as its newest kept version
recorded by then (BriefingVersion reads like a Briefing: `id`, its values and its coverage), so a
briefing corrected after K shows its date, kind and coverage as they were at K, and the filters
judge those values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, Table, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from tracker.briefings.models import (
    Briefing,
    BriefingKind,
    BriefingVersion,
    briefing_jurisdiction,
    briefing_state,
    briefing_version_jurisdiction,
    briefing_version_state,
)
from tracker.corrections.versions import newest_versions
from tracker.registry.lookup import resolve_states
from tracker.registry.models import Jurisdiction


@dataclass(frozen=True)
class _Source:
    """Where the log reads briefings: the model, the briefing's id, and its coverage tables with
    the column that links them to a row of the model."""

    model: type
    briefing_id: ColumnElement
    row_key: ColumnElement
    jurisdictions: Table
    states: Table
    link: str


_NOW = _Source(
    Briefing, Briefing.id, Briefing.id, briefing_jurisdiction, briefing_state, "briefing_id"
)
_KEPT = _Source(
    BriefingVersion,
    BriefingVersion.briefing_id,
    BriefingVersion.version_no,
    briefing_version_jurisdiction,
    briefing_version_state,
    "version_no",
)


def briefings_query(
    *,
    kind: BriefingKind | str | None = None,
    state: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    known_at: dt.datetime | None = None,
) -> Select:
    """Briefings newest first, filtered by kind, date range (inclusive) and state; with
    `known_at`, the briefings recorded by then, each as its kept version then (filtered on
    those values).

    A state filter matches briefings that cover the state itself or any of its jurisdictions.
    Links are loaded in batches (selectin), never one query per row.
    """
    source = _NOW if known_at is None else _KEPT
    model = source.model
    statement = select(model).options(selectinload(model.jurisdictions), selectinload(model.states))
    if known_at is not None:
        newest = newest_versions(BriefingVersion, BriefingVersion.briefing_id, known_at)
        statement = statement.where(BriefingVersion.version_no.in_(newest))
    if kind:
        statement = statement.where(model.kind == BriefingKind(kind))
    if date_from:
        statement = statement.where(model.held_on >= date_from)
    if date_to:
        statement = statement.where(model.held_on <= date_to)
    if state:
        state_fips = resolve_states([state], "state")[0].fips
        statement = statement.where(_covers_state(source, state_fips))
    return statement.order_by(model.held_on.desc(), source.briefing_id.desc())


def _covers_state(source: _Source, state_fips: str) -> ColumnElement[bool]:
    states, jurisdictions = source.states, source.jurisdictions
    via_state = select(states.c[source.link]).where(states.c.state_fips == state_fips)
    via_jurisdiction = (
        select(jurisdictions.c[source.link])
        .join(Jurisdiction, Jurisdiction.fips == jurisdictions.c.jurisdiction_fips)
        .where(Jurisdiction.state_fips == state_fips)
    )
    return or_(source.row_key.in_(via_state), source.row_key.in_(via_jurisdiction))
