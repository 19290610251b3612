"""Readiness of upcoming activations, and activations that went ahead without a briefing.

A jurisdiction scheduled to activate within the next N days (TRACKER_READINESS_DAYS) is ready
on a date when, by that date:
1. its state's identification bureau had its pre-activation (SIB) meeting — a SIB meeting
   covering the state, or naming any jurisdiction in it;
2. its local law enforcement was briefed — a local briefing naming the jurisdiction;
3. advance notice was given — an advance notice naming the jurisdiction or covering its state;
4. no deferral letter from it is open (received and not yet resolved or withdrawn).
Every check reads only facts dated on or before the date, so any past day reads as it did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from tracker.briefings.models import Briefing, BriefingKind, briefing_jurisdiction
from tracker.briefings.services import (
    REACH_KINDS,
    first_held_by_jurisdiction,
    first_held_by_state,
    latest_held_by_jurisdiction,
    latest_held_by_state,
)
from tracker.dates import today
from tracker.deferrals.queries import open_letter_counts
from tracker.extensions import db
from tracker.registry.models import Jurisdiction
from tracker.status.rule import JurisdictionStatus, Status, cached_status_as_of

REASON_NO_SIB = "No SIB pre-activation meeting held for its state"
REASON_NO_LOCAL = "No local law-enforcement briefing held"
REASON_NO_NOTICE = "No advance notice given"


@dataclass(frozen=True)
class ReadinessRow:
    """One upcoming activation and what it still lacks (no reasons: ready)."""

    jurisdiction: JurisdictionStatus
    sib_meeting_on: dt.date | None
    local_briefing_on: dt.date | None
    advance_notice_on: dt.date | None
    open_letters: int
    reasons: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class ReadinessReport:
    as_of: dt.date
    until: dt.date
    days: int
    rows: tuple[ReadinessRow, ...]

    @property
    def not_ready(self) -> tuple[ReadinessRow, ...]:
        return tuple(row for row in self.rows if not row.ready)

    @property
    def ready_count(self) -> int:
        return len(self.rows) - len(self.not_ready)


def readiness_days() -> int:
    return int(current_app.config["TRACKER_READINESS_DAYS"])


def _sib_meetings_by_state(as_of: dt.date) -> dict[str, dt.date]:
    """{state FIPS: latest SIB meeting by `as_of`}, whether it named the state or a jurisdiction."""
    latest = dict(latest_held_by_state(BriefingKind.SIB_MEETING, as_of))
    via_jurisdictions = db.session.execute(
        select(Jurisdiction.state_fips, Briefing.held_on)
        .select_from(briefing_jurisdiction)
        .join(Briefing, Briefing.id == briefing_jurisdiction.c.briefing_id)
        .join(Jurisdiction, Jurisdiction.fips == briefing_jurisdiction.c.jurisdiction_fips)
        .where(Briefing.kind == BriefingKind.SIB_MEETING, Briefing.held_on <= as_of)
        .distinct()
    ).all()
    for state_fips, held_on in via_jurisdictions:
        if state_fips not in latest or held_on > latest[state_fips]:
            latest[state_fips] = held_on
    return latest


def readiness_report(
    as_of: dt.date | None = None, *, days: int | None = None, state: str | None = None
) -> ReadinessReport:
    """Every jurisdiction scheduled to activate from `as_of` to `as_of` + `days` (inclusive),
    not yet activated, with the checks above. Ordered by scheduled date, then FIPS.

    Jurisdictions whose scheduled activation is held up by a pending deferral are included (the
    open letter is one of their reasons); removed ones are not scheduled and so not listed.
    A fixed number of queries, whatever the number of jurisdictions.
    """
    as_of = as_of or today()
    days = readiness_days() if days is None else days
    until = as_of + dt.timedelta(days=days)
    upcoming = [
        row
        for row in cached_status_as_of(as_of, state=state)
        if row.status in (Status.PLANNED, Status.DEFERRAL_PENDING)
        and row.scheduled_on is not None
        and as_of <= row.scheduled_on <= until
    ]
    codes = [row.fips for row in upcoming]
    sib = _sib_meetings_by_state(as_of) if codes else {}
    local = latest_held_by_jurisdiction(BriefingKind.LOCAL_BRIEFING, as_of, codes) if codes else {}
    notice = latest_held_by_jurisdiction(BriefingKind.ADVANCE_NOTICE, as_of, codes) if codes else {}
    notice_by_state = latest_held_by_state(BriefingKind.ADVANCE_NOTICE, as_of) if codes else {}
    letters = open_letter_counts(as_of, by="jurisdiction", fips=codes) if codes else {}

    rows = []
    for row in sorted(upcoming, key=lambda r: (r.scheduled_on, r.fips)):
        sib_on = sib.get(row.state_fips)
        local_on = local.get(row.fips)
        notices = [d for d in (notice.get(row.fips), notice_by_state.get(row.state_fips)) if d]
        notice_on = max(notices) if notices else None
        open_count = letters.get(row.fips, 0)
        reasons = []
        if sib_on is None:
            reasons.append(REASON_NO_SIB)
        if local_on is None:
            reasons.append(REASON_NO_LOCAL)
        if notice_on is None:
            reasons.append(REASON_NO_NOTICE)
        if open_count:
            reasons.append(
                "A deferral letter is open"
                if open_count == 1
                else f"{open_count} deferral letters are open"
            )
        rows.append(
            ReadinessRow(
                jurisdiction=row,
                sib_meeting_on=sib_on,
                local_briefing_on=local_on,
                advance_notice_on=notice_on,
                open_letters=open_count,
                reasons=tuple(reasons),
            )
        )
    return ReadinessReport(as_of=as_of, until=until, days=days, rows=tuple(rows))


@dataclass(frozen=True)
class UnbriefedActivation:
    """An activation with no local briefing or advance notice recorded before it."""

    jurisdiction: JurisdictionStatus
    first_briefed_on: dt.date | None  # the first briefing or notice recorded after activation


def unbriefed_activations(
    as_of: dt.date | None = None, *, state: str | None = None
) -> list[UnbriefedActivation]:
    """The data-quality report: jurisdictions activated by `as_of` for which no local
    law-enforcement briefing or advance notice (naming it, or a notice covering its state) was
    recorded on or before its activation date. Ordered by state, then name.

    A briefing logged later than the activation is shown but does not make up for it.
    """
    as_of = as_of or today()
    activated = [
        row for row in cached_status_as_of(as_of, state=state) if row.status is Status.ACTIVATED
    ]
    if not activated:
        return []
    direct = first_held_by_jurisdiction(REACH_KINDS, as_of)
    by_state = first_held_by_state((BriefingKind.ADVANCE_NOTICE,), as_of)
    found = []
    for row in activated:
        dates = [d for d in (direct.get(row.fips), by_state.get(row.state_fips)) if d]
        first = min(dates) if dates else None
        if first is None or first > row.activated_on:
            found.append(UnbriefedActivation(jurisdiction=row, first_briefed_on=first))
    found.sort(key=lambda item: (item.jurisdiction.state_name, item.jurisdiction.name))
    return found
