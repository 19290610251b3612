"""Logging briefings and reading them back: per place, filtered, and as reach figures.

A briefing covers jurisdictions (named one by one, or every jurisdiction of a state at once)
and/or whole states. "Every jurisdiction in a state" is expanded when the briefing is logged, so
the record keeps the exact list that was briefed even if the registry changes later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import record, resolve_actor
from tracker.auth.models import User
from tracker.briefings.log import briefings_query
from tracker.briefings.models import (
    Briefing,
    BriefingKind,
    BriefingVersion,
    briefing_jurisdiction,
    briefing_state,
    briefing_version_jurisdiction,
)
from tracker.cache import cached
from tracker.corrections.models import CorrectionAction, FactKind
from tracker.corrections.services import record_correction, require_reason
from tracker.corrections.versions import newest_versions, note_version
from tracker.dates import today
from tracker.db import utcnow
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.registry.lookup import resolve_states
from tracker.registry.models import Jurisdiction, State, StateKind

STALE_MESSAGE = (
    "This briefing was changed by someone else since you opened it. Nothing was saved; "
    "reload the page to see their change and try again."
)
# The kinds that count towards "jurisdictions briefed".
REACH_KINDS = (BriefingKind.LOCAL_BRIEFING, BriefingKind.ADVANCE_NOTICE)

_TEXT_LIMITS = {"presenter": 200, "materials_version": 100}


def coverage_summary(briefing: Briefing, limit: int = 3) -> str:
    """How a briefing's coverage reads in a table cell: "States: OK · 2 jurisdictions in TX", or
    the jurisdictions' names when there are at most `limit`."""
    places = []
    if briefing.states:
        places.append("States: " + ", ".join(sorted(s.postal for s in briefing.states)))
    covered = briefing.jurisdictions
    if len(covered) > limit:
        postals = ", ".join(sorted({j.state.postal for j in covered}))
        places.append(f"{len(covered)} jurisdictions in {postals}")
    elif covered:
        places.append("; ".join(sorted(j.label for j in covered)))
    return " · ".join(places)


def jurisdiction_lines(briefing: Briefing) -> str:
    """The textarea text that reproduces a briefing's jurisdictions (FIPS code and label)."""
    ordered = sorted(briefing.jurisdictions, key=lambda j: j.fips)
    return "\n".join(f"{j.fips} {j.label}" for j in ordered)


# --- writing -------------------------------------------------------------------------------

AUDIT_FIELDS = ("held_on", "kind", "presenter", "attendees", "materials_version", "notes")


def _snapshot(briefing: Briefing) -> dict:
    values = {name: getattr(briefing, name) for name in AUDIT_FIELDS}
    values["jurisdictions"] = sorted(j.fips for j in briefing.jurisdictions)
    values["states"] = sorted(s.postal for s in briefing.states)
    return values


def _clean(value: str | None, name: str) -> str | None:
    value = (value or "").strip()
    limit = _TEXT_LIMITS.get(name)
    if limit and len(value) > limit:
        raise DomainError(f"{name.replace('_', ' ').capitalize()}: at most {limit} characters.")
    return value or None


def _coverage(
    jurisdiction_fips: Iterable[str],
    every_jurisdiction_in: Iterable[str],
    states: Iterable[str],
) -> tuple[list[Jurisdiction], list[State]]:
    """The jurisdictions and states a briefing covers, with whole-state choices expanded."""
    codes = list(dict.fromkeys(jurisdiction_fips))
    whole = resolve_states(every_jurisdiction_in, "every_jurisdiction_in")
    if whole:
        codes += db.session.scalars(
            select(Jurisdiction.fips)
            .where(Jurisdiction.state_fips.in_([s.fips for s in whole]))
            .order_by(Jurisdiction.fips)
        ).all()
        codes = list(dict.fromkeys(codes))
    jurisdictions = (
        db.session.scalars(
            select(Jurisdiction).where(Jurisdiction.fips.in_(codes)).order_by(Jurisdiction.fips)
        ).all()
        if codes
        else []
    )
    if len(jurisdictions) != len(codes):
        missing = sorted(set(codes) - {j.fips for j in jurisdictions})
        raise DomainError(
            f"No jurisdiction has FIPS code {', '.join(missing)}.", field="jurisdictions"
        )
    covered_states = resolve_states(states, "states")
    if not jurisdictions and not covered_states:
        raise DomainError(
            "Name at least one jurisdiction or state that the briefing covered.",
            field="jurisdictions",
        )
    return list(jurisdictions), covered_states


def _check_date(held_on: dt.date | None) -> dt.date:
    if held_on is None:
        raise DomainError("Give the date the briefing was held.", field="held_on")
    if held_on > today():
        raise DomainError(
            "A briefing is logged once it has been held: the date cannot be in the future.",
            field="held_on",
        )
    return held_on


def _fill(
    briefing: Briefing,
    *,
    held_on: dt.date,
    kind: BriefingKind | str,
    jurisdiction_fips: Iterable[str] = (),
    every_jurisdiction_in: Iterable[str] = (),
    states: Iterable[str] = (),
    presenter: str | None = None,
    attendees: str | None = None,
    materials_version: str | None = None,
    notes: str | None = None,
) -> Briefing:
    """Check a briefing's facts against the rules and write them onto `briefing`.

    It was held on `held_on` (today or earlier) and covers at least one jurisdiction or state;
    `every_jurisdiction_in` (postal or FIPS codes) adds every jurisdiction of those states.
    """
    held_on = _check_date(held_on)
    try:
        kind = BriefingKind(kind)
    except ValueError as exc:
        raise DomainError(f"Unknown kind of briefing: {kind!r}.", field="kind") from exc
    briefing.jurisdictions, briefing.states = _coverage(
        jurisdiction_fips, every_jurisdiction_in, states
    )
    briefing.held_on = held_on
    briefing.kind = kind
    briefing.presenter = _clean(presenter, "presenter")
    briefing.attendees = _clean(attendees, "attendees")
    briefing.materials_version = _clean(materials_version, "materials_version")
    briefing.notes = _clean(notes, "notes")
    return briefing


def log_briefing(*, actor: User | None = None, **facts) -> Briefing:
    """Log a briefing with `facts` (the keyword arguments of _fill, which states the rules).
    Audited as "briefing.create"."""
    actor = resolve_actor(actor)
    briefing = Briefing(recorded_by_id=actor.id if actor is not None else None)
    _fill(briefing, **facts)
    db.session.add(briefing)
    db.session.flush()
    record("briefing.create", "briefing", briefing.id, after=_snapshot(briefing), actor=actor)
    return briefing


def get_briefing(briefing_id: int, *, for_update_version: int | None = None) -> Briefing:
    """The briefing with this id; with `for_update_version`, also check nobody changed it since.

    Raises NotFound for an unknown id and Conflict for a stale version.
    """
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        raise NotFound(f"No briefing has id {briefing_id}.")
    if for_update_version is not None and briefing.version_id != for_update_version:
        raise Conflict(STALE_MESSAGE)
    return briefing


def update_briefing(
    briefing_id: int,
    *,
    expected_version: int,
    reason: str | None,
    actor: User | None = None,
    **facts,
) -> Briefing:
    """Correct a logged briefing: the same facts and rules as logging, plus a reason (required:
    a briefing is held once, so changing it corrects what was logged) and the version check: a
    form rendered before someone else's save is refused (Conflict). Recorded as a correction with
    the values before and after; the briefing as it was stays as a kept version."""
    briefing = get_briefing(briefing_id, for_update_version=expected_version)
    reason = require_reason(reason)
    before = _snapshot(briefing)
    _fill(briefing, **facts)
    after = _snapshot(briefing)
    if after == before:
        raise DomainError("The correction changes nothing.", field="reason")
    correction = record_correction(
        FactKind.BRIEFING,
        briefing.id,
        CorrectionAction.AMEND,
        reason=reason,
        summary=f"Briefing #{briefing.id} ({briefing.kind.label}, held "
        f"{briefing.held_on.isoformat()}) corrected: "
        + ", ".join(name.replace("_", " ") for name in after if after[name] != before[name]),
        before=before,
        after=after,
        actor=actor,
        flush=False,
    )
    note_version(briefing, "update", correction=correction, actor=resolve_actor(actor))
    # Changing only the links would not UPDATE the row; touching it makes the version check bite
    # (flagged, so it is written even when the clock reads the same as at the last write).
    briefing.updated_at = utcnow()
    flag_modified(briefing, "updated_at")
    try:
        db.session.flush()
    except StaleDataError as exc:  # another save landed between our check and our write
        raise Conflict(STALE_MESSAGE) from exc
    record(
        "briefing.update",
        "briefing",
        briefing.id,
        before=before,
        after=_snapshot(briefing),
        actor=actor,
    )
    return briefing


# --- reading -------------------------------------------------------------------------------


def briefings_for_state(state: str) -> list[Briefing]:
    """Every briefing covering the state or any of its jurisdictions, newest first."""
    return list(db.session.scalars(briefings_query(state=state)).unique())


def briefings_for_jurisdiction(fips: str) -> list[Briefing]:
    """Every briefing covering the jurisdiction directly or through its whole state, newest
    first (a state-level SIB meeting or advance notice concerns each of its jurisdictions)."""
    state_fips = fips[:2]
    direct = select(briefing_jurisdiction.c.briefing_id).where(
        briefing_jurisdiction.c.jurisdiction_fips == fips
    )
    via_state = select(briefing_state.c.briefing_id).where(
        briefing_state.c.state_fips == state_fips
    )
    statement = (
        select(Briefing)
        .options(
            selectinload(Briefing.jurisdictions),
            selectinload(Briefing.states),
            selectinload(Briefing.recorded_by),
        )
        .where(or_(Briefing.id.in_(direct), Briefing.id.in_(via_state)))
        .order_by(Briefing.held_on.desc(), Briefing.id.desc())
    )
    return list(db.session.scalars(statement).unique())


@dataclass(frozen=True)
class BriefingReach:
    """ "About 700 jurisdictions briefed across 49 states and one U.S. territory"."""

    as_of: dt.date
    jurisdictions: int
    states: int
    territories: int
    by_state: dict[str, int] = field(default_factory=dict)


def _known_coverage(known_at: dt.datetime | None):
    """(briefings, their jurisdiction links) as the records stood at `known_at`: the tables
    themselves when None, else each briefing's newest kept version then (keyed by version)."""
    if known_at is None:
        return Briefing.__table__, briefing_jurisdiction
    newest = newest_versions(BriefingVersion, BriefingVersion.briefing_id, known_at)
    briefings = (
        select(
            BriefingVersion.version_no.label("id"),
            BriefingVersion.held_on.label("held_on"),
            BriefingVersion.kind.label("kind"),
        )
        .where(BriefingVersion.version_no.in_(newest))
        .subquery("briefings_known")
    )
    links = select(
        briefing_version_jurisdiction.c.version_no.label("briefing_id"),
        briefing_version_jurisdiction.c.jurisdiction_fips.label("jurisdiction_fips"),
    ).subquery("briefing_jurisdictions_known")
    return briefings, links


def briefing_reach(
    as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> BriefingReach:
    """How many jurisdictions were briefed by `as_of`, and in how many states and territories,
    as the records stood at `known_at` (default now).

    A jurisdiction counts as briefed once a local law-enforcement briefing or an advance notice
    naming it was held on or before `as_of`. "States" are states and DC (as in every headline
    figure); territories are counted apart. `by_state` maps state FIPS to its briefed count.
    Counted from first_reached(), so any date costs the same.
    """
    as_of = as_of or today()
    counties: dict[str, int] = {}
    for fips, first in first_reached(known_at).items():
        if first <= as_of:
            # A county's FIPS code begins with its state's.
            counties[fips[:2]] = counties.get(fips[:2], 0) + 1
    kinds = dict(db.session.execute(select(State.fips, State.kind)).all())
    rows = [(state_fips, kinds[state_fips], count) for state_fips, count in counties.items()]
    return BriefingReach(
        as_of=as_of,
        jurisdictions=sum(count for *_, count in rows),
        states=sum(1 for _, kind, _ in rows if kind is not StateKind.TERRITORY),
        territories=sum(1 for _, kind, _ in rows if kind is StateKind.TERRITORY),
        by_state={state_fips: count for state_fips, _, count in rows},
    )


def first_reached(known_at: dt.datetime | None = None) -> dict[str, dt.date]:
    """{jurisdiction FIPS: the day the first local briefing or advance notice naming it was
    held}, as the records stood at `known_at` (default now): one grouped query over the
    briefings, remembered per data version (a briefing logged or corrected changes it), so each
    date's reach is a count over 3,233 dates."""

    def compute() -> dict[str, dt.date]:
        briefings, links = _known_coverage(known_at)
        statement = (
            select(links.c.jurisdiction_fips, func.min(briefings.c.held_on))
            .select_from(links)
            .join(briefings, briefings.c.id == links.c.briefing_id)
            .where(briefings.c.kind.in_(REACH_KINDS))
            .group_by(links.c.jurisdiction_fips)
        )
        return dict(db.session.execute(statement).all())

    return cached("briefings.first_reached", (known_at,), compute)


def _held_dates(link, key, aggregate, kinds: Iterable[BriefingKind], as_of: dt.date, only=None):
    """{`key` of `link` (a jurisdiction or state link table): aggregate(held_on) of the briefings
    of `kinds` held by `as_of`}, optionally for the keys in `only`."""
    statement = (
        select(key, aggregate(Briefing.held_on))
        .join(Briefing, Briefing.id == link.c.briefing_id)
        .where(Briefing.kind.in_(list(kinds)), Briefing.held_on <= as_of)
        .group_by(key)
    )
    if only is not None:
        statement = statement.where(key.in_(list(only)))
    return dict(db.session.execute(statement).all())


def latest_held_by_jurisdiction(
    kind: BriefingKind, as_of: dt.date, fips: Iterable[str] | None = None
) -> dict[str, dt.date]:
    """{jurisdiction FIPS: latest date a briefing of `kind` naming it was held, by `as_of`}."""
    link = briefing_jurisdiction
    return _held_dates(link, link.c.jurisdiction_fips, func.max, (kind,), as_of, fips)


def latest_held_by_state(kind: BriefingKind, as_of: dt.date) -> dict[str, dt.date]:
    """{state FIPS: latest date a briefing of `kind` covering the whole state was held}."""
    return _held_dates(briefing_state, briefing_state.c.state_fips, func.max, (kind,), as_of)


def first_held_by_jurisdiction(kinds: Iterable[BriefingKind], as_of: dt.date) -> dict[str, dt.date]:
    """{jurisdiction FIPS: earliest date a briefing of one of `kinds` naming it was held}."""
    link = briefing_jurisdiction
    return _held_dates(link, link.c.jurisdiction_fips, func.min, kinds, as_of)


def first_held_by_state(kinds: Iterable[BriefingKind], as_of: dt.date) -> dict[str, dt.date]:
    """{state FIPS: earliest date a briefing of one of `kinds` covering the whole state was held}."""
    return _held_dates(briefing_state, briefing_state.c.state_fips, func.min, kinds, as_of)


def recent_briefings(
    limit: int = 10, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> list[Briefing | BriefingVersion]:
    """The latest briefings held on or before `as_of`, as the records stood at `known_at`
    (default now: each briefing recorded by then, as kept then), for the dashboard."""
    statement = briefings_query(date_to=as_of or today(), known_at=known_at).limit(limit)
    return list(db.session.scalars(statement).unique())
