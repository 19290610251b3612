"""A jurisdiction's story, oldest first: plan changes, its activation, letters, briefings and
the corrections made to them, as the records stood at a moment ("known at", default now).

An entry that a correction superseded stays in the story, marked as such with its correction
(who, when, why); looked at as known at a moment before the correction, it is in force again and
the correction is not yet there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.briefings.services import briefings_for_jurisdiction
from tracker.corrections.models import Correction, FactKind
from tracker.dates import as_utc, office_date, office_time, today
from tracker.deferrals import queries as deferral_queries
from tracker.deferrals.clocks import Badges, badges_for
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.registry.lookup import get_jurisdiction


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event in a jurisdiction's story."""

    on: dt.date
    kind: str  # scheduled, removed, activated, deferral, briefing, correction
    title: str
    details: dict[str, str | None] = field(default_factory=dict)
    is_demo: bool = False
    deferral_id: int | None = None
    badges: Badges | None = None  # a letter's clocks on the page's date
    recorded_by: str | None = None
    # Ties on the same day keep the order things happened: plan changes by id, then the rest.
    order: tuple = ()
    fact_id: int | None = None  # the plan change or activation, for its correction forms
    in_force: bool = True  # False once superseded (as known at the timeline's moment)
    correction: Correction | None = None  # what superseded it

    @property
    def correction_note(self) -> str:
        """ "Entered in error — by ann@example.gov, 3 June 2011, 14:05 EDT: typed the wrong
        county"."""
        c = self.correction
        if c is None:
            return ""
        return (
            f"{c.action.label} — by {c.recorded_by_label}, {office_time(c.recorded_at)}: {c.reason}"
        )


def _who(user: User | None) -> str | None:
    return user.email if user is not None else None


def _fact_entry(
    fact: PlanChange | Activation,
    known_at: dt.datetime | None,
    rank: int,
    *,
    details: dict[str, str | None],
    **entry,
) -> TimelineEntry:
    """The entry of one of the plan's append-only facts (a plan change, an activation): when it
    was recorded and by whom, and whether it was in force as known at `known_at` (else the
    correction that superseded it). `rank` orders it among the same day's entries."""
    superseded = fact.superseded_at
    in_force = superseded is None or (known_at is not None and as_utc(superseded) > known_at)
    return TimelineEntry(
        details={**details, "Recorded": office_time(fact.recorded_at)},
        is_demo=fact.is_demo,
        recorded_by=_who(fact.recorded_by),
        order=(rank, fact.id),
        fact_id=fact.id,
        in_force=in_force,
        correction=None if in_force else fact.superseded_by,
        **entry,
    )


def plan_history(
    fips: str,
    *,
    as_of: dt.date | None = None,
    known_at: dt.datetime | None = None,
    superseded: bool = False,
) -> list[PlanChange]:
    """The jurisdiction's plan changes in force as known at `known_at` (default now), oldest
    first (decided on, then recorded order); with `as_of`, only those decided on or before it;
    with `superseded`, the corrected ones recorded by then too."""
    condition = (
        PlanChange.in_force(known_at)
        if not superseded
        else (PlanChange.recorded_at <= known_at if known_at else PlanChange.id.is_not(None))
    )
    statement = (
        select(PlanChange)
        .where(PlanChange.jurisdiction_fips == fips, condition)
        .options(selectinload(PlanChange.recorded_by), selectinload(PlanChange.superseded_by))
        .order_by(PlanChange.decided_on, PlanChange.id)
    )
    if as_of is not None:
        statement = statement.where(PlanChange.decided_on <= as_of)
    return list(db.session.scalars(statement))


def _plan_entries(fips: str, known_at: dt.datetime | None) -> Iterable[TimelineEntry]:
    for change in plan_history(fips, known_at=known_at, superseded=True):
        scheduled = change.kind is PlanChangeKind.SCHEDULED
        yield _fact_entry(
            change,
            known_at,
            0,
            on=change.decided_on,
            kind=change.kind.value,
            title=(
                f"Scheduled for {change.scheduled_on.isoformat()}"
                if scheduled
                else "Removed from the plan"
            ),
            details={
                "Reason": change.reason,
                "Source": change.source,
                "Deferral request": f"#{change.deferral_request_id}"
                if change.deferral_request_id
                else None,
            },
            deferral_id=change.deferral_request_id,
        )


def _activation_entries(fips: str, known_at: dt.datetime | None) -> Iterable[TimelineEntry]:
    statement = (
        select(Activation)
        .where(Activation.jurisdiction_fips == fips)
        .options(selectinload(Activation.recorded_by), selectinload(Activation.superseded_by))
        .order_by(Activation.id)
    )
    if known_at is not None:
        statement = statement.where(Activation.recorded_at <= known_at)
    for activation in db.session.scalars(statement):
        yield _fact_entry(
            activation,
            known_at,
            2,
            on=activation.activated_on,
            kind="activated",
            title="Activated",
            details={"Source": activation.source},
        )


def _letter_entries(
    fips: str, as_of: dt.date, known_at: dt.datetime | None
) -> Iterable[TimelineEntry]:
    # Letters come from their own feature, so what a letter's steps are lives in one place.
    requests = deferral_queries.requests_for_jurisdiction(fips, known_at)
    badges = badges_for(requests, as_of, known_at)
    for request in requests:
        for step, (on, text) in enumerate(deferral_queries.timeline_steps(request)):
            received = step == 1
            yield TimelineEntry(
                on=on,
                kind="deferral",
                title=text,
                details={"From": request.sender_name, "Status": request.status.label}
                if received
                else {},
                is_demo=request.is_demo,
                deferral_id=request.id,
                badges=badges[request.id] if received else None,
                recorded_by=_who(request.created_by) if received else None,
                order=(1, request.id, step),
            )
    # Corrections of the letters this jurisdiction ever had: an edit, a move, a step undone.
    letter_ids = [str(i) for i in deferral_queries.letters_ever_in(fips)]
    if not letter_ids:
        return
    statement = select(Correction).where(
        Correction.fact_kind == FactKind.DEFERRAL_REQUEST, Correction.fact_id.in_(letter_ids)
    )
    if known_at is not None:
        statement = statement.where(Correction.recorded_at <= known_at)
    for correction in db.session.scalars(statement.order_by(Correction.id)):
        yield TimelineEntry(
            on=office_date(correction.recorded_at),
            kind="correction",
            title=correction.summary,
            details={"Reason": correction.reason, "Recorded": office_time(correction.recorded_at)},
            deferral_id=int(correction.fact_id),
            recorded_by=correction.recorded_by_label,
            order=(4, correction.id),
        )


def _briefing_entries(fips: str, known_at: dt.datetime | None) -> Iterable[TimelineEntry]:
    for briefing in briefings_for_jurisdiction(fips):
        if known_at is not None and as_utc(briefing.recorded_at) > known_at:
            continue
        yield TimelineEntry(
            on=briefing.held_on,
            kind="briefing",
            title=f"Briefing: {briefing.kind.label}",
            details={"Presenter": briefing.presenter, "Attendees": briefing.attendees},
            is_demo=briefing.is_demo,
            recorded_by=_who(briefing.recorded_by),
            order=(3, briefing.id),
        )


def timeline(
    fips: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> list[TimelineEntry]:
    """The jurisdiction's whole history as the records stood at `known_at` (default now),
    oldest first: plan changes (reason, decided-on date, source, who recorded it and when),
    its activation, each deferral letter's dated steps (with its OVERDUE / URGENT badges on
    `as_of`, default today), the briefings that covered it or its state, and the corrections of
    its letters. Superseded plan changes and activations stay, with their correction."""
    get_jurisdiction(fips)  # NotFound for an unknown code
    entries = [
        *_plan_entries(fips, known_at),
        *_activation_entries(fips, known_at),
        *_letter_entries(fips, as_of or today(), known_at),
        *_briefing_entries(fips, known_at),
    ]
    entries.sort(key=lambda entry: (entry.on, entry.order))
    return entries
